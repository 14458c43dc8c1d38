package dev.autotune.domain.analysis;

import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.BudgetReport.Breach;
import dev.autotune.domain.analysis.BudgetReport.Row;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Holds measured experiments against budgets: which pass, which fail and by how much, which cannot be told. */
public final class BudgetCheck {
    private BudgetCheck() {
    }

    /**
     * Verdict per experiment: FAIL if any budget is broken, even when another budgeted metric is missing (one
     * broken budget is already enough to reject the config); otherwise UNKNOWN when a budgeted metric is
     * missing; otherwise PASS. With no budgets every experiment passes.
     */
    public static BudgetReport check(List<Measured> experiments, List<Budget> budgets) {
        List<Budget> limits = budgets == null ? List.of() : budgets;
        List<Row> rows = new ArrayList<>();
        int pass = 0;
        int fail = 0;
        int unknown = 0;
        for (Measured e : experiments) {
            Row row = row(e.number(), e.experimentId(), e.scenario(), e.metrics(), limits);
            switch (row.verdict()) {
                case PASS -> pass++;
                case FAIL -> fail++;
                case UNKNOWN -> unknown++;
            }
            rows.add(row);
        }
        return new BudgetReport(limits, rows, pass, fail, unknown);
    }

    /**
     * The experiment that passes every budget with the best value of {@code objective}; ties go to the earlier row,
     * which was there first. Empty when none passes or none that passes measured the objective.
     */
    public static Optional<Row> best(BudgetReport report, Metric objective) {
        Row best = null;
        for (Row r : report.rows()) {
            Double v = r.metrics().get(objective.key());
            if (r.verdict() != Budget.Verdict.PASS || v == null) {
                continue;
            }
            if (best == null || objective.better(v, best.metrics().get(objective.key()))) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The verdict of one set of metrics; the recommender judges tuning points with the same rule. */
    static Row row(int number, String experimentId, String scenario, Map<String, Double> metrics,
                   List<Budget> budgets) {
        Map<String, Double> measured = metrics == null ? Map.of() : metrics;
        List<Breach> breaches = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>(); // a metric with two budgets (a range) is missing once
        for (Budget b : budgets) {
            Double value = measured.get(b.metric().key());
            switch (b.check(value)) {
                case FAIL -> breaches.add(breach(b, value));
                case UNKNOWN -> missing.add(b.metric().key());
                case PASS -> {
                }
            }
        }
        Budget.Verdict verdict = !breaches.isEmpty() ? Budget.Verdict.FAIL
                : !missing.isEmpty() ? Budget.Verdict.UNKNOWN : Budget.Verdict.PASS;
        return new Row(number, experimentId, scenario, verdict, breaches, new ArrayList<>(missing),
                Collections.unmodifiableSortedMap(new TreeMap<>(measured)));
    }

    /**
     * The excess of a broken budget, subtracted in decimal: in binary 212.345 - 200 is 12.344999..., which would
     * read "212.35 > 200 by 12.34". A breach's excess is positive by definition, so the magnitude is enough.
     */
    static Breach breach(Budget budget, double value) {
        double excess = Double.isFinite(value)
                ? BigDecimal.valueOf(value).subtract(BigDecimal.valueOf(budget.limit())).abs().doubleValue()
                : budget.excess(value); // NaN and infinities have no decimal form
        double percent = budget.limit() == 0 ? Double.NaN : excess / budget.limit() * 100;
        return new Breach(budget, value, excess, percent);
    }

    /**
     * One line a person reads: {@code latency_ms 260 > 200 by 60 (30%)}. The comparison shown is the one that
     * holds, i.e. the opposite of the budget's bound; the percentage is left out when the limit is 0.
     */
    public static String describe(Breach breach) {
        Budget b = breach.budget();
        String op = b.bound() == Budget.Bound.AT_MOST ? ">" : "<";
        String text = b.metric().key() + " " + Numbers.format(breach.value()) + " " + op + " "
                + Numbers.format(b.limit()) + " by " + Numbers.format(breach.excess());
        return Double.isNaN(breach.excessPercent()) ? text
                : text + " (" + Numbers.format(breach.excessPercent()) + "%)";
    }

    /** All breaches of a row, joined for a table cell or a list item. */
    public static String describe(List<Breach> breaches) {
        return String.join("; ", breaches.stream().map(BudgetCheck::describe).toList());
    }
}
