package dev.autotune.api.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.autotune.api.cli.AutotuneProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Querying the history from the shell (issue 14), on the real jar: the default table, a table that fits
 * $COLUMNS and --wide. --where, --sort and --columns are {@link QueryCliTest}, in process.
 */
class QueryIT {
    @TempDir
    static Path dir;

    @BeforeAll
    static void history() {
        QueryCliTest.history(dir, AutotuneProcess::run);
    }

    @Test
    void theDefaultTableHeadsKnobsByTheirShortestSuffixFitsTheTerminalAndWideShowsEverything() {
        String plain = run(dir, "list").out();
        assertThat(plain.lines().findFirst().orElseThrow()).contains("tensor_parallel_size").contains("max_num_seqs")
                .doesNotContain("cmd_args.");
        var narrow = run(dir, Map.of("COLUMNS", "100"), "list");
        assertThat(narrow.out().lines().filter(l -> !l.startsWith("("))).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
        assertThat(narrow.out().lines().findFirst().orElseThrow()).contains("max_num_seqs").doesNotContain("backend");
        assertThat(narrow.out()).contains("left out to fit 100 characters: backend, tensor_parallel_size, failure_rate; "
                + "--wide shows every column, --columns chooses)");
        String wide = run(dir, "list", "--wide").out().lines().findFirst().orElseThrow();
        assertThat(wide).contains("tensor_parallel_size").contains("tpot_ms").contains("latency_p95_ms").contains("tag.gpu");
    }
}
