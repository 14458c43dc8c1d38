package dev.autotune.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetTest {
    @Test
    void aLatencyBudgetPassesAtTheLimitAndFailsAboveIt() {
        Budget b = Budget.atMost(Metric.LATENCY_MS, 200);
        assertThat(b.check(200.0)).isEqualTo(Budget.Verdict.PASS);
        assertThat(b.check(260.0)).isEqualTo(Budget.Verdict.FAIL);
        assertThat(b.excess(260.0)).isEqualTo(60.0);
        assertThat(b.check(null)).isEqualTo(Budget.Verdict.UNKNOWN);
    }

    @Test
    void aThroughputFloorFailsBelowIt() {
        Budget b = Budget.parse("throughput_tokens_per_sec >= 300");
        assertThat(b.bound()).isEqualTo(Budget.Bound.AT_LEAST);
        assertThat(b.check(250.0)).isEqualTo(Budget.Verdict.FAIL);
        assertThat(b.excess(250.0)).isEqualTo(50.0);
        assertThat(b.toString()).isEqualTo("throughput_tokens_per_sec>=300");
    }

    @Test
    void percentileBudgetsParse() {
        assertThat(Budget.parse("latency_p95_ms<=200").metric()).isEqualTo(Metric.LATENCY_P95_MS);
    }

    @Test
    void nonsenseBudgetsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Budget.parse("latency_ms<200")).hasMessageContaining("metric<=value");
        assertThatThrownBy(() -> Budget.parse("speed<=3")).hasMessageContaining("unknown metric 'speed'");
        assertThatThrownBy(() -> Budget.parse("latency_ms<=fast")).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> Budget.atMost(Metric.LATENCY_MS, -1)).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> Budget.atMost(Metric.FAILURE_RATE, 5)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> Budget.atMost(Metric.TTFT_MS, Double.NaN)).hasMessageContaining("finite");
    }

    @Test
    void theQuotingFreeFormsMeanTheSameBudgetsAsTheExpressions() {
        assertThat(Budget.bounded("tpot_ms=10", Budget.Bound.AT_MOST)).isEqualTo(Budget.parse("tpot_ms<=10"));
        assertThat(Budget.bounded("throughput_tokens_per_sec=300", Budget.Bound.AT_LEAST))
                .isEqualTo(Budget.parse("throughput_tokens_per_sec>=300"));
        assertThat(Budget.bounded("tpot_ms<=10", Budget.Bound.AT_MOST)).isEqualTo(Budget.parse("tpot_ms<=10"));
        assertThat(Budget.of("latency_ms", Budget.Bound.AT_MOST, " 200 ")).isEqualTo(Budget.atMost(Metric.LATENCY_MS, 200));
    }

    @Test
    void aQuotingFreeFormThatContradictsItsBoundOrIsNotAPairIsRefused() {
        assertThatThrownBy(() -> Budget.bounded("tpot_ms>=10", Budget.Bound.AT_MOST))
                .hasMessage("budget 'tpot_ms>=10' says >= where <= is meant; write it as tpot_ms=10");
        assertThatThrownBy(() -> Budget.bounded("tpot_ms", Budget.Bound.AT_MOST))
                .hasMessageContaining("must look like metric=value");
        assertThatThrownBy(() -> Budget.bounded("tpot_ms=10ms", Budget.Bound.AT_MOST))
                .hasMessage("budget for tpot_ms must be a number, got '10ms'");
        assertThatThrownBy(() -> Budget.bounded("speed=3", Budget.Bound.AT_LEAST))
                .hasMessageContaining("unknown metric 'speed'");
    }

    @Test
    void aGivenBudgetReplacesTheProfilesBudgetOnTheSameMetricAndDirectionOnly() {
        List<Budget> saved = List.of(Budget.parse("latency_ms<=200"), Budget.parse("ttft_ms<=50"),
                Budget.parse("tpot_ms<=10"));
        List<Budget> given = List.of(Budget.parse("latency_ms<=150"), Budget.parse("tpot_ms>=2"));
        assertThat(Budget.overriding(saved, given).stream().map(Budget::toString))
                .containsExactly("ttft_ms<=50", "tpot_ms<=10", "latency_ms<=150", "tpot_ms>=2");
        assertThat(Budget.overriding(saved, List.of())).isEqualTo(saved);
    }
}
