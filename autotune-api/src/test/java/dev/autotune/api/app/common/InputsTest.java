package dev.autotune.api.app.common;

import dev.autotune.api.app.analysis.Analysis;
import dev.autotune.domain.Budget;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.Metric;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The user's raw inputs, parsed once for the CLI and HTTP: each error names its field as data. */
class InputsTest {
    @Test
    void budgetsComeInAFixedOrderWhateverTheAdapter() {
        var budgets = Inputs.budgets(new BudgetInput("200", " 50 ", "300", "0.01", List.of("latency_p95_ms<=250")));
        assertThat(budgets).containsExactly(Budget.atMost(Metric.LATENCY_MS, 200), Budget.atMost(Metric.TTFT_MS, 50),
                Budget.atLeast(Metric.THROUGHPUT_TOKENS_PER_SEC, 300), Budget.atMost(Metric.FAILURE_RATE, 0.01),
                Budget.parse("latency_p95_ms<=250"));
        assertThat(Inputs.budgets(null)).isEmpty();
        assertThat(Inputs.budgets(new BudgetInput(" ", null, "", null, Arrays.asList("", null)))).isEmpty();
    }

    @Test
    void aBadBudgetNamesItsOwnField() {
        assertField(() -> Inputs.budgets(new BudgetInput("fast", null, null, null, List.of())), "latency_budget_ms");
        assertField(() -> Inputs.budgets(new BudgetInput(null, null, null, "3", List.of())), "max_failure_rate");
        assertField(() -> Inputs.budgets(new BudgetInput(null, null, null, null, List.of("latency<200"))), "metric");
    }

    @Test
    void theQuotingFreeFormsComeAfterTheExpressionsAndMeanTheSame() {
        var budgets = Inputs.budgets(new BudgetInput(null, null, null, null, List.of("itl_ms<=12"),
                List.of("tpot_ms=10", " latency_p95_ms=250 "), List.of("throughput_tokens_per_sec=300"), "ignored-here"));
        assertThat(budgets.stream().map(Budget::toString)).containsExactly("itl_ms<=12", "tpot_ms<=10",
                "latency_p95_ms<=250", "throughput_tokens_per_sec>=300");
        assertThat(new BudgetInput(null, null, null, null, List.of(), List.of(" "), null, null).isGiven()).isFalse();
        assertThat(new BudgetInput(null, null, null, null, null, null, null, "chat-slo").isGiven()).isTrue();
        assertThat(BudgetInput.NONE.isGiven()).isFalse();
    }

    @Test
    void aBadQuotingFreeBudgetNamesItsOption() {
        assertField(() -> Inputs.budgets(new BudgetInput(null, null, null, null, null, List.of("tpot_ms"), null, null)),
                "max");
        assertField(() -> Inputs.budgets(new BudgetInput(null, null, null, null, null, null,
                List.of("throughput_tokens_per_sec<=3"), null)), "min");
    }

    @Test
    void knobValuesAreTypedLikeTomlAndMetadataStaysText() {
        assertThat(Inputs.knobs("set", List.of("serving.batch_size=8", "serving.ratio=0.25", "flag=true",
                "name=\"llama\"", "list=[1, 2]", " ")))
                .containsExactly(Map.entry("serving.batch_size", 8L), Map.entry("serving.ratio", 0.25),
                        Map.entry("flag", true), Map.entry("name", "llama"), Map.entry("list", List.of(1L, 2L)));
        assertThat(Inputs.pairs("metadata", List.of("gpu=H100", "owner = perf")))
                .containsExactly(Map.entry("gpu", "H100"), Map.entry("owner", "perf"));
        assertField(() -> Inputs.knobs("set", List.of("novalue")), "set");
        assertField(() -> Inputs.knobs("set", List.of("serving.batch_size=[unclosed")), "set");
        assertField(() -> Inputs.pairs("metadata", List.of("=x")), "metadata");
    }

    @Test
    void choicesStatusesObjectivesAndKnobNamesNameTheirField() {
        assertThat(Inputs.choice(Analysis.ExportTemplate.class, "template", "benchmark-report"))
                .isEqualTo(Analysis.ExportTemplate.BENCHMARK_REPORT);
        assertThat(Inputs.choice(Analysis.ExportFormat.class, "format", null)).isNull();
        assertField(() -> Inputs.choice(Analysis.ExportFormat.class, "format", "xml"), "format");
        assertThat(Inputs.status("completed")).isEqualTo(ExperimentStatus.COMPLETED);
        assertField(() -> Inputs.status("sleeping"), "status");
        assertThat(Inputs.objective(null)).isEqualTo(Metric.THROUGHPUT_TOKENS_PER_SEC);
        assertField(() -> Inputs.objective("speed"), "objective");
        assertField(() -> Inputs.knobNames(List.of("not a knob!")), "knob");
    }

    @Test
    void noMessageNamesACommandLineOption() {
        for (Runnable bad : List.<Runnable>of(() -> Inputs.knobs("set", List.of("novalue")),
                () -> Inputs.choice(Analysis.ExportFormat.class, "format", "xml"), () -> Inputs.objective("speed"),
                () -> Inputs.budgets(new BudgetInput("fast", null, null, null, List.of())))) {
            assertThatThrownBy(bad::run).isInstanceOf(UserError.class).message().doesNotContain("--");
        }
    }

    private static void assertField(Runnable bad, String field) {
        assertThatThrownBy(bad::run).isInstanceOf(UserError.class)
                .satisfies(e -> assertThat(((UserError) e).field()).isEqualTo(field));
    }
}
