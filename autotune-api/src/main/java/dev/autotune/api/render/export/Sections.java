package dev.autotune.api.render.export;

import dev.autotune.domain.Budget;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.BudgetCheck;
import dev.autotune.domain.analysis.BudgetReport;
import dev.autotune.domain.analysis.ExperimentDiff.ConfigChange;
import dev.autotune.domain.analysis.ExperimentDiff.MetricChange;
import dev.autotune.domain.analysis.ExperimentDiff;
import dev.autotune.domain.analysis.Numbers;
import dev.autotune.domain.analysis.Recommendation;
import dev.autotune.domain.query.ExperimentSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The Markdown sections the issue, pull-request and report texts share, so they say things the same way. */
final class Sections {
    private static final String NL = Export.NL;

    private Sections() {
    }

    /** One paragraph on the best run: which experiment, its distinguishing knobs, headline metrics. */
    static String bestRun(List<ExperimentSummary> rows, BudgetReport budgets) {
        Optional<ExperimentSummary> best = BestRun.of(rows, budgets);
        if (best.isEmpty()) {
            return BestRun.none(rows, budgets) + NL;
        }
        ExperimentSummary b = best.get();
        List<String> varying = ExperimentTable.varyingKnobs(rows);
        List<String> shown = varying.isEmpty() ? new ArrayList<>(b.knobs().keySet()) : varying;
        String knobs = ExperimentTable.knobs(b, shown);
        List<String> metrics = new ArrayList<>();
        for (Metric m : Metric.HEADLINE) {
            Double v = b.metric(m.key());
            if (v != null) {
                metrics.add(m.key() + " " + Numbers.withUnit(m, v));
            }
        }
        boolean judged = budgets != null && !budgets.budgets().isEmpty();
        return "Experiment **" + b.number() + "** (`" + b.experimentId() + "`)" + (knobs.isEmpty() ? "" : ": " + knobs)
                + (metrics.isEmpty() ? "" : " — " + String.join(", ", metrics))
                + (judged ? "; within budgets " + BestRun.budgetList(budgets) : "") + "." + NL;
    }

    /** The budgets, the totals, and a verdict per experiment with what broke or was missing. */
    static String budgets(BudgetReport report) {
        StringBuilder out = new StringBuilder();
        if (report.budgets().isEmpty()) {
            return "No budgets given." + NL;
        }
        out.append(String.join(", ", report.budgets().stream().map(b -> "`" + b + "`").toList()))
                .append(": ").append(totals(report)).append(NL).append(NL);
        MarkdownTable table = new MarkdownTable(List.of("id", "verdict", "breaches"));
        for (BudgetReport.Row r : report.rows()) {
            table.add(List.of(Integer.toString(r.number()), verdict(r.verdict()), details(r)));
        }
        return out.append(table.render()).toString();
    }

    static String totals(BudgetReport report) {
        return report.pass() + " pass, " + report.fail() + " fail, " + report.unknown() + " unknown.";
    }

    static String verdict(Budget.Verdict v) {
        return v.name().toLowerCase(Locale.ROOT);
    }

    /** What broke, then what could not be checked. */
    static String details(BudgetReport.Row r) {
        List<String> parts = new ArrayList<>();
        if (!r.breaches().isEmpty()) {
            parts.add(BudgetCheck.describe(r.breaches()));
        }
        if (!r.missingMetrics().isEmpty()) {
            parts.add("missing " + String.join(", ", r.missingMetrics()));
        }
        return String.join("; ", parts);
    }

    /** A bullet per knob: what to run and why. */
    static String recommendations(List<Recommendation> recommendations) {
        if (recommendations.isEmpty()) {
            return "No knob was analysed." + NL;
        }
        StringBuilder out = new StringBuilder();
        for (Recommendation r : recommendations) {
            out.append("- **").append(r.knob()).append("**: ")
                    .append(r.suggested() == null ? "nothing to run" : "run " + Numbers.format(r.suggested()))
                    .append(" (").append(kind(r.kind())).append(") — ").append(sentence(r.reason())).append(NL);
        }
        return out.toString();
    }

    static String kind(Recommendation.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** The reason with a full stop; not capitalised, since it usually starts with a knob name. */
    static String sentence(String reason) {
        if (reason == null || reason.isEmpty()) {
            return "";
        }
        return reason.endsWith(".") ? reason : reason + ".";
    }

    /**
     * The best run against the baseline, the first completed experiment: the knobs that changed and every
     * metric with its absolute and relative change and whether that is better.
     */
    /** @param chosen the baseline the user named, or null for the first completed experiment */
    static String baselineComparison(List<ExperimentSummary> rows, BudgetReport budgets, ExperimentSummary chosen) {
        Optional<ExperimentSummary> best = BestRun.of(rows, budgets);
        Optional<ExperimentSummary> baseline = chosen != null ? Optional.of(chosen)
                : rows.stream().filter(r -> r.status() == ExperimentStatus.COMPLETED).findFirst();
        if (best.isEmpty() || baseline.isEmpty()) {
            return "No best run to compare with the baseline yet." + NL;
        }
        ExperimentSummary a = baseline.get();
        ExperimentSummary b = best.get();
        if (a.number() == b.number()) {
            return "The best run is the baseline itself (experiment " + a.number() + "): no improvement over it yet."
                    + NL;
        }
        List<ConfigChange> config = ExperimentDiff.configChanges(a.knobs(), b.knobs());
        StringBuilder out = new StringBuilder("Experiment " + b.number() + " against the baseline, experiment "
                + a.number() + ": " + (config.isEmpty() ? "same knobs" : String.join(", ",
                config.stream().map(Sections::change).toList())) + "." + NL + NL);
        MarkdownTable table = new MarkdownTable(List.of("metric", "baseline (" + a.number() + ")",
                "best (" + b.number() + ")", "change"));
        for (MetricChange m : ExperimentDiff.metricChanges(a.metrics(), b.metrics())) {
            table.add(List.of(m.metric().key(), Numbers.format(m.a()), Numbers.format(m.b()), change(m)));
        }
        return out.append(table.render()).toString();
    }

    static String change(ConfigChange c) {
        return switch (c.kind()) {
            case ADDED -> c.key() + " set to " + Numbers.format(c.after());
            case REMOVED -> c.key() + " unset (was " + Numbers.format(c.before()) + ")";
            case CHANGED -> c.key() + " " + Numbers.format(c.before()) + " → " + Numbers.format(c.after());
        };
    }

    /** {@code +210 (+175%), better}: b relative to a, judged in the metric's direction. */
    static String change(MetricChange m) {
        if (m.absolute() == null) {
            return Numbers.MISSING;
        }
        String abs = (m.absolute() > 0 ? "+" : "") + Numbers.format(m.absolute());
        String rel = m.relativePercent() == null ? "" : " (" + Numbers.signedPercent(m.relativePercent()) + ")";
        String verdict = switch (m.better()) {
            case B -> "better";
            case A -> "worse";
            case SAME -> "same";
        };
        return abs + rel + ", " + verdict;
    }
}
