package dev.autotune.domain.analysis;

import dev.autotune.domain.Budget;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The budgets held against each completed experiment. Rows keep the input order (recording order), and the
 * counts are over rows, so {@code pass + fail + unknown == rows.size()}.
 */
public record BudgetReport(List<Budget> budgets, List<Row> rows, int pass, int fail, int unknown) {

    public BudgetReport {
        budgets = List.copyOf(budgets);
        rows = List.copyOf(rows);
    }

    /**
     * One experiment's verdict. {@code metrics} are all the metrics the experiment measured, not only the
     * budgeted ones, so a renderer can show context next to a breach.
     */
    public record Row(int number, String experimentId, String scenario, Budget.Verdict verdict,
                      List<Breach> breaches, List<String> missingMetrics, SortedMap<String, Double> metrics) {
        public Row {
            breaches = List.copyOf(breaches);
            missingMetrics = List.copyOf(missingMetrics);
        }
    }

    /**
     * A budget an experiment broke. {@code excess} is how far past the limit the value is (always positive);
     * {@code excessPercent} is that excess relative to the limit, NaN when the limit is 0 (no meaningful ratio).
     */
    public record Breach(Budget budget, double value, double excess, double excessPercent) {
    }

    public Optional<Row> row(int number) {
        return rows.stream().filter(r -> r.number() == number).findFirst();
    }
}
