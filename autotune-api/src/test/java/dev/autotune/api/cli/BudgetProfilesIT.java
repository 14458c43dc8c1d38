package dev.autotune.api.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.autotune.api.cli.AutotuneProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Budgets on the real jar over the demo history: a profile saved and used by every analysis command end to end, and
 * a malformed budget is one line naming the option, exit 2. How profiles combine with options, are replaced and
 * deleted is {@link BudgetProfilesCliTest}, in process.
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

    @Test
    void aProfileIsSavedOnceAndEveryAnalysisCommandUsesIt() {
        var save = run(dir, "budget", "save", "chat-slo", "--latency-budget-ms", "200", "--max", "tpot_ms=10",
                "--db", "d.db");
        assertThat(save.exit()).as(save.toString()).isZero();
        assertThat(save.out()).contains("saved budget profile chat-slo: latency_ms<=200, tpot_ms<=10");
        assertThat(run(dir, "budget", "list", "--db", "d.db").out()).contains("chat-slo: latency_ms<=200, tpot_ms<=10");
        assertThat(run(dir, "budget", "show", "chat-slo", "--json", "--db", "d.db").out())
                .contains("\"name\" : \"chat-slo\"").contains("\"tpot_ms<=10\"");

        var check = run(dir, "check", "--budget", "chat-slo", "--db", "d.db");
        assertThat(check.exit()).as(check.toString()).isZero();
        assertThat(check.out()).contains("budgets: latency_ms<=200, tpot_ms<=10; objective: throughput_tokens_per_sec")
                .containsPattern("id\\s+scenario\\s+serving.batch_size\\s+throughput_tokens_per_sec\\s+verdict")
                .containsPattern("2\\s+llama3-8b-chat\\s+4\\s+330\\s+PASS")
                .contains("2 PASS, 1 FAIL, 0 UNKNOWN")
                .contains("best within budgets: experiment 2 (serving.batch_size=4, throughput_tokens_per_sec 330)");

        var recommend = run(dir, "recommend", "--knob", "serving.batch_size", "--budget", "chat-slo", "--db", "d.db");
        assertThat(recommend.out()).contains("budgets: latency_ms<=200, tpot_ms<=10").contains("try 6");
        var export = run(dir, "export", "--template", "pr", "--budget", "chat-slo", "--db", "d.db");
        assertThat(export.out()).contains("latency_ms<=200").contains("tpot_ms<=10");
        var diff = run(dir, "diff", "2", "3", "--budget", "chat-slo", "--db", "d.db");
        assertThat(diff.out()).contains("budgets: latency_ms<=200, tpot_ms<=10").contains("2: PASS")
                .contains("3: FAIL (latency_ms 260 > 200 by 60 (30%)");
    }
}
