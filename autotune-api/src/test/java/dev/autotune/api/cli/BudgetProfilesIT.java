package dev.autotune.api.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.autotune.api.cli.AutotuneProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Budgets on the real jar over the demo history: a malformed budget is one line naming the option, exit 2. What
 * saved profiles do is {@link BudgetProfilesCliTest}, in process.
 */
class BudgetProfilesIT {
    @TempDir
    Path dir;

    @BeforeEach
    void demo() {
        assertThat(run(dir, "demo", "--db", "d.db").exit()).isZero();
    }

    @Test
    void malformedBudgetsGetOneLineNamingTheOption() {
        for (String[] args : new String[][]{
                {"check", "--latency-budget-ms", "200ms", "--db", "d.db"},
                {"check", "--max", "tpot_ms", "--db", "d.db"},
                {"check", "--min", "throughput_tokens_per_sec=lots", "--db", "d.db"},
                {"budget", "save", "chat slo", "--latency-budget-ms", "200", "--db", "d.db"},
                {"budget", "save", "empty", "--db", "d.db"}}) {
            var r = run(dir, args);
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip()).as(r.toString()).startsWith("autotune: ").doesNotContain("\n")
                    .doesNotContain("Usage");
        }
        assertThat(run(dir, "check", "--latency-budget-ms", "200ms", "--db", "d.db").err().strip())
                .isEqualTo("autotune: --latency-budget-ms: budget for latency_ms must be a number, got '200ms'");
        assertThat(run(dir, "check", "--max", "tpot_ms", "--db", "d.db").err().strip())
                .isEqualTo("autotune: --max: budget 'tpot_ms' must look like metric=value, e.g. tpot_ms=10");
        // a space carries its own budgets: budget options beside it would be silently ignored, so they are refused
        var space = run(dir, "recommend", "--space",
                AutotuneProcess.REPO.resolve("configs/examples/batch-size-space.toml").toString(), "--max", "tpot_ms=10",
                "--db", "d.db");
        assertThat(space.exit()).isEqualTo(2);
        assertThat(space.err().strip()).startsWith("autotune: --space: a space holds its own budgets");
    }
}
