package dev.autotune.api.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.autotune.api.cli.AutotuneProcess.example;
import static dev.autotune.api.cli.InProcessCli.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Markdown templates of export over the demo history, through the CLI in process ({@link InProcessCli}).
 * {@link ExportTemplatesIT} keeps a refused baseline's one line and exit code on the real jar.
 */
class ExportTemplatesCliTest {
    @TempDir
    Path dir;

    @BeforeEach
    void demo() {
        assertThat(run(dir, "demo", "--db", "d.db").exit()).isZero();
    }

    @Test
    void thePrTemplateComparesTheBestRunWithTheBaselineChosen() {
        var byDefault = run(dir, "export", "--template", "pr", "--latency-budget-ms", "200", "--db", "d.db");
        assertThat(byDefault.out()).contains("Experiment 2 against the baseline, experiment 1: serving.batch_size 1 → 4");
        var chosen = run(dir, "export", "--template", "pr", "--baseline", "3", "--latency-budget-ms", "200",
                "--db", "d.db");
        assertThat(chosen.exit()).as(chosen.toString()).isZero();
        assertThat(chosen.out()).contains("Experiment 2 against the baseline, experiment 3: serving.batch_size 8 → 4")
                .contains("| baseline (3) | best (2) |");
        assertThat(chosen.err()).isEmpty();
    }

    @Test
    void aReportOverSeveralScenariosWarnsOnOneLineAndIsStillWritten() {
        assertThat(run(dir, "ingest", example("batch-4-aiperf.json").toString(), "--scenario", "other",
                "--set", "serving.batch_size=4", "--db", "d.db").exit()).isZero();
        var mixed = run(dir, "export", "--template", "benchmark-report", "--db", "d.db");
        assertThat(mixed.exit()).as(mixed.toString()).isZero();
        assertThat(mixed.err().strip()).isEqualTo("autotune: warning: this report mixes 2 scenarios "
                + "(llama3-8b-chat, other); pass --scenario S to report on one");
        assertThat(mixed.out()).contains("llama3-8b-chat").contains("other");
        var one = run(dir, "export", "--template", "benchmark-report", "--scenario", "other", "--db", "d.db");
        assertThat(one.err()).isEmpty();
        // a plain export is data, not a report: one file of every experiment is what it is for
        assertThat(run(dir, "export", "--format", "csv", "--db", "d.db").err()).isEmpty();
    }
}
