package dev.autotune.api.render.export;

import dev.autotune.domain.Budget;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.BudgetReport;
import dev.autotune.domain.analysis.Recommender;
import dev.autotune.domain.query.ExperimentSummary;

import java.util.List;
import java.util.Optional;

/**
 * The run a report leads with: the completed experiment with the highest throughput among those passing the
 * budgets, or among all completed ones when there are no budgets. Ties go to the earlier experiment, which
 * was there first.
 */
final class BestRun {
    static final Metric BY = Recommender.DEFAULT_OBJECTIVE;

    private BestRun() {
    }

    static Optional<ExperimentSummary> of(List<ExperimentSummary> rows, BudgetReport budgets) {
        boolean judged = budgets != null && !budgets.budgets().isEmpty();
        ExperimentSummary best = null;
        for (ExperimentSummary r : rows) {
            Double v = r.metric(BY.key());
            if (r.status() != ExperimentStatus.COMPLETED || v == null) {
                continue;
            }
            if (judged && budgets.row(r.number()).map(x -> x.verdict() != Budget.Verdict.PASS).orElse(true)) {
                continue;
            }
            if (best == null || BY.better(v, best.metric(BY.key()))) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Why there is no best run, in words for the report. */
    static String none(List<ExperimentSummary> rows, BudgetReport budgets) {
        boolean anyCompleted = rows.stream().anyMatch(r -> r.status() == ExperimentStatus.COMPLETED);
        if (!anyCompleted) {
            return "No completed experiment yet.";
        }
        boolean anyMeasured = rows.stream()
                .anyMatch(r -> r.status() == ExperimentStatus.COMPLETED && r.metric(BY.key()) != null);
        if (!anyMeasured) {
            return "No completed experiment measured " + BY.key() + ".";
        }
        return "No completed experiment meets the budgets (" + budgetList(budgets) + ").";
    }

    static String budgetList(BudgetReport budgets) {
        return String.join(", ", budgets.budgets().stream().map(Budget::toString).toList());
    }
}
