package dev.autotune.domain.analysis;

import dev.autotune.domain.Budget.Verdict;
import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.BudgetReport.Breach;
import dev.autotune.domain.analysis.BudgetReport.Row;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BudgetCheckTest {
    private static final Budget LAT_200 = Budget.parse("latency_ms<=200");
    private static final Budget P95_250 = Budget.parse("latency_p95_ms<=250");
    private static final Budget TPUT_300 = Budget.parse("throughput_tokens_per_sec>=300");

    private static Measured measured(int n, Object... metrics) {
        return new Measured(n, "exp-" + n, "llama3-8b-chat", History.metrics(metrics));
    }

    @Test
    void the_classic_sweep_passes_twice_and_fails_once_with_the_excess() {
        BudgetReport report = BudgetCheck.check(History.classic().measured(), List.of(LAT_200));

        assertThat(report.rows()).extracting(Row::verdict).containsExactly(Verdict.PASS, Verdict.PASS, Verdict.FAIL);
        assertThat(report.pass()).isEqualTo(2);
        assertThat(report.fail()).isEqualTo(1);
        assertThat(report.unknown()).isZero();
        assertThat(report.budgets()).containsExactly(LAT_200);
        Row failed = report.rows().get(2);
        assertThat(failed.number()).isEqualTo(3);
        assertThat(failed.experimentId()).isEqualTo("exp-3");
        assertThat(failed.scenario()).isEqualTo("llama3-8b-chat");
        assertThat(failed.breaches()).containsExactly(new Breach(LAT_200, 260, 60, 30));
        assertThat(failed.missingMetrics()).isEmpty();
        assertThat(failed.metrics()).containsEntry("latency_ms", 260.0).containsEntry("throughput_tokens_per_sec", 430.0);
    }

    @Test
    void a_missing_budgeted_metric_makes_the_verdict_unknown() {
        BudgetReport report = BudgetCheck.check(List.of(measured(1, "latency_ms", 150)), List.of(LAT_200, P95_250));

        Row row = report.rows().get(0);
        assertThat(row.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(row.missingMetrics()).containsExactly("latency_p95_ms");
        assertThat(row.breaches()).isEmpty();
        assertThat(report.unknown()).isEqualTo(1);
        assertThat(report.pass()).isZero();
    }

    @Test
    void a_broken_budget_fails_even_when_another_metric_is_missing() {
        BudgetReport report = BudgetCheck.check(List.of(measured(1, "latency_ms", 260)), List.of(LAT_200, P95_250));

        Row row = report.rows().get(0);
        assertThat(row.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(row.missingMetrics()).containsExactly("latency_p95_ms");
        assertThat(report.fail()).isEqualTo(1);
        assertThat(report.unknown()).isZero();
    }

    @Test
    void a_value_exactly_at_the_limit_passes() {
        BudgetReport report = BudgetCheck.check(List.of(measured(1, "latency_ms", 200)), List.of(LAT_200));

        assertThat(report.rows().get(0).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void a_minimum_budget_reports_how_far_below_it_the_value_is() {
        BudgetReport report = BudgetCheck.check(List.of(measured(1, "throughput_tokens_per_sec", 250)),
                List.of(TPUT_300));

        Breach b = report.rows().get(0).breaches().get(0);
        assertThat(b.value()).isEqualTo(250);
        assertThat(b.excess()).isEqualTo(50);
        assertThat(b.excessPercent()).isCloseTo(16.6667, within(1e-3));
        assertThat(BudgetCheck.describe(b)).isEqualTo("throughput_tokens_per_sec 250 < 300 by 50 (16.67%)");
    }

    @Test
    void every_broken_budget_is_listed_in_budget_order() {
        BudgetReport report = BudgetCheck.check(
                List.of(measured(1, "latency_ms", 260, "latency_p95_ms", 400, "throughput_tokens_per_sec", 200)),
                List.of(TPUT_300, LAT_200, P95_250));

        assertThat(report.rows().get(0).breaches()).extracting(Breach::budget).containsExactly(TPUT_300, LAT_200, P95_250);
    }

    @Test
    void a_metric_missing_for_two_budgets_is_listed_once() {
        BudgetReport report = BudgetCheck.check(List.of(measured(1, "throughput_tokens_per_sec", 330)),
                List.of(Budget.parse("latency_ms>=10"), LAT_200));

        assertThat(report.rows().get(0).missingMetrics()).containsExactly("latency_ms");
    }

    @Test
    void without_budgets_every_experiment_passes() {
        BudgetReport report = BudgetCheck.check(History.classic().measured(), List.of());

        assertThat(report.pass()).isEqualTo(3);
        assertThat(report.rows()).allSatisfy(r -> assertThat(r.verdict()).isEqualTo(Verdict.PASS));
    }

    @Test
    void a_budget_of_zero_has_an_excess_but_no_percentage() {
        Budget noFailures = Budget.atMost(Metric.FAILURE_RATE, 0);

        BudgetReport report = BudgetCheck.check(List.of(measured(1, "failure_rate", 0.05)), List.of(noFailures));

        Breach b = report.rows().get(0).breaches().get(0);
        assertThat(b.excess()).isEqualTo(0.05);
        assertThat(b.excessPercent()).isNaN();
        assertThat(BudgetCheck.describe(b)).isEqualTo("failure_rate 0.05 > 0 by 0.05");
    }

    @Test
    void describes_a_breach_like_an_engineer_would() {
        assertThat(BudgetCheck.describe(new Breach(LAT_200, 260, 60, 30))).isEqualTo("latency_ms 260 > 200 by 60 (30%)");
        assertThat(BudgetCheck.describe(BudgetCheck.breach(LAT_200, 212.345)))
                .isEqualTo("latency_ms 212.35 > 200 by 12.35 (6.17%)");
    }

    @Test
    void rows_can_be_found_by_experiment_number() {
        BudgetReport report = BudgetCheck.check(History.classic().measured(), List.of(LAT_200));

        assertThat(report.row(3)).map(Row::verdict).contains(Verdict.FAIL);
        assertThat(report.row(9)).isEmpty();
    }
}
