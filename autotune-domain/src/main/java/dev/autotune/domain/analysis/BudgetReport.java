package dev.autotune.domain.analysis;

import dev.autotune.domain.Budget;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The budgets held against each completed experiment. Rows keep the input order (recording order), and the
 * counts are over rows, so {@code pass + fail + unknown == rows.size()}. A class rather than a record only to
 * hold the rows by number as well: the reports look a row up once per experiment, which a scan made quadratic.
 */
public final class BudgetReport {
    private final List<Budget> budgets;
    private final List<Row> rows;
    private final int pass;
    private final int fail;
    private final int unknown;
    private final Map<Integer, Row> byNumber = new HashMap<>();

    public BudgetReport(List<Budget> budgets, List<Row> rows, int pass, int fail, int unknown) {
        this.budgets = List.copyOf(budgets);
        this.rows = List.copyOf(rows);
        this.pass = pass;
        this.fail = fail;
        this.unknown = unknown;
        for (Row r : this.rows) {
            byNumber.putIfAbsent(r.number(), r); // the first, as the scan found it
        }
    }

    public List<Budget> budgets() {
        return budgets;
    }

    public List<Row> rows() {
        return rows;
    }

    public int pass() {
        return pass;
    }

    public int fail() {
        return fail;
    }

    public int unknown() {
        return unknown;
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

    /** The verdict of experiment {@code number}, in constant time; empty when it was not checked. */
    public Optional<Row> row(int number) {
        return Optional.ofNullable(byNumber.get(number));
    }
}
