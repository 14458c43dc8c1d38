package dev.autotune.api.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.autotune.api.cli.AutotuneProcess.example;
import static dev.autotune.api.cli.AutotuneProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A baseline that cannot be one is one line and exit 2, on the real jar. What the templates write is
 * {@link ExportTemplatesCliTest}, in process.
 */
class ExportTemplatesIT {
    @TempDir
    Path dir;

    @BeforeEach
    void demo() {
        assertThat(run(dir, "demo", "--db", "d.db").exit()).isZero();
    }

    @Test
    void aBaselineThatCannotBeOneIsOneLine() {
        var unknown = run(dir, "export", "--template", "pr", "--baseline", "42", "--db", "d.db");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip())
                .isEqualTo("autotune: --baseline: experiment 42 is not among the exported experiments");
        assertThat(run(dir, "ingest", example("batch-4-aiperf.json").toString(), "--scenario", "other",
                "--set", "serving.batch_size=4", "--db", "d.db").exit()).isZero();
        var otherScenario = run(dir, "export", "--template", "pr", "--baseline", "1", "--scenario", "other",
                "--db", "d.db");
        assertThat(otherScenario.err().strip()).isEqualTo(
                "autotune: --baseline: experiment 1 is not among the exported experiments of scenario other");
        var notPr = run(dir, "export", "--template", "issue", "--baseline", "1", "--db", "d.db");
        assertThat(notPr.err().strip()).isEqualTo("autotune: --baseline: only the pr template compares with a baseline");
    }
}
