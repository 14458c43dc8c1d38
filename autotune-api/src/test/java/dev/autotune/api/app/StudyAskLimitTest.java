package dev.autotune.api.app;

import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.common.StoreLocation;
import dev.autotune.api.app.studies.Studies;
import dev.autotune.store.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** One ask proposes at most {@link Studies#MAX_ASK} configs: the work one request does under the study lock is bounded. */
class StudyAskLimitTest {
    @TempDir
    Path dir;

    @Test
    void askingForMoreThanTheLimitIsBadInputOnCountAndRecordsNothing() throws Exception {
        Path space = Files.writeString(dir.resolve("space.toml"), """
                scenario = "chat"
                objective = "maximize throughput_tokens_per_sec"
                strategy = "grid"
                [knobs]
                "cmd_args.decode.max_num_seqs" = { start = 1, end = 1000, step = 1 }
                """);
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "a.db")))) {
            Studies studies = autotune.studies();
            studies.create(space, null, null);
            UserError e = catchThrowableOfType(() -> studies.ask("1", 100, null, null), UserError.class);
            assertThat(e.field()).isEqualTo("count");
            assertThat(e.getMessage()).contains("at most " + Studies.MAX_ASK);
            assertThat(studies.show("1").trials()).isEmpty();
            assertThat(studies.ask("1", Studies.MAX_ASK, null, null).proposals()).hasSize(Studies.MAX_ASK);
        }
    }
}
