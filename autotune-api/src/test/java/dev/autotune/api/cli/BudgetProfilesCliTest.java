package dev.autotune.api.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.autotune.api.cli.InProcessCli.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Budget profiles combined with options, replaced and deleted, over the demo history, through the CLI in process
 * ({@link InProcessCli}). {@link BudgetProfilesIT} keeps a profile used end to end and malformed budgets on the jar.
 */
class BudgetProfilesCliTest {
    @TempDir
    Path dir;

    @BeforeEach
    void demo() {
        assertThat(run(dir, "demo", "--db", "d.db").exit()).isZero();
    }

    @Test
    void anOptionBesideTheProfileReplacesItsBudgetOnThatMetric() {
        run(dir, "budget", "save", "chat-slo", "--latency-budget-ms", "200", "--db", "d.db");
        var looser = run(dir, "check", "--budget", "chat-slo", "--latency-budget-ms", "300", "--db", "d.db");
        assertThat(looser.out()).contains("budgets: latency_ms<=300;").contains("3 PASS")
                .contains("best within budgets: experiment 3");
        var floor = run(dir, "check", "--budget", "chat-slo", "--min", "throughput_tokens_per_sec=300",
                "--objective", "latency_ms", "--db", "d.db");
        assertThat(floor.out()).contains("budgets: latency_ms<=200, throughput_tokens_per_sec>=300;")
                .contains("objective: latency_ms (lower is better)").contains("best within budgets: experiment 2");
    }

    @Test
    void replacingOrDeletingIsDeliberateAndUnknownProfilesNameTheSavedOnes() {
        run(dir, "budget", "save", "chat-slo", "--latency-budget-ms", "200", "--db", "d.db");
        var clash = run(dir, "budget", "save", "chat-slo", "--latency-budget-ms", "150", "--db", "d.db");
        assertThat(clash.exit()).isEqualTo(2);
        assertThat(clash.err().strip()).isEqualTo("autotune: budget profile chat-slo is saved with latency_ms<=200; "
                + "pass --force to replace its budgets");
        var same = run(dir, "budget", "save", "chat-slo", "--latency-budget-ms", "200", "--db", "d.db");
        assertThat(same.out()).contains("unchanged budget profile chat-slo");
        var forced = run(dir, "budget", "save", "chat-slo", "--latency-budget-ms", "150", "--force", "--db", "d.db");
        assertThat(forced.out()).contains("replaced budget profile chat-slo: latency_ms<=150 (was latency_ms<=200)");

        var unknown = run(dir, "check", "--budget", "chat", "--db", "d.db");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("autotune: --budget: no budget profile 'chat' in "
                + InProcessCli.shown(dir, "d.db") + "; saved: chat-slo");

        assertThat(run(dir, "budget", "delete", "chat-slo", "--db", "d.db").out())
                .contains("deleted budget profile chat-slo: latency_ms<=150");
        var gone = run(dir, "check", "--budget", "chat-slo", "--db", "d.db");
        assertThat(gone.exit()).isEqualTo(2);
        assertThat(gone.err()).contains("no budget profile 'chat-slo'").contains("none is saved yet");
        // the history of the profile stays in the log: a rebuild of the read models gives the same answer
        assertThat(run(dir, "rebuild", "--db", "d.db").exit()).isZero();
        assertThat(run(dir, "budget", "list", "--db", "d.db").out()).contains("no budget profiles yet");
    }
}
