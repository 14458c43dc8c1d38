package dev.autotune.api.render.export;

import dev.autotune.api.render.TerminalText;

import dev.autotune.domain.query.ListColumn;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** "when" means one thing in every table: when the benchmark ran (its report's time, else when it was recorded). */
class WhenColumnTest {
    @Test
    void whenHeadsTheHappenedColumnAndRecordedIsHeadedRecorded() {
        String table = TerminalText.table(Runs.classic().rows(),
                List.of(ListColumn.field("id"), ListColumn.field("happened"), ListColumn.field("recorded")));
        assertThat(table.lines().findFirst().orElseThrow().split("\\s+")).containsExactly("id", "when", "recorded");
        assertThat(TerminalText.list(Runs.classic().rows()).lines().findFirst().orElseThrow()).endsWith("when");
    }
}
