package dev.autotune.api.render;

import dev.autotune.domain.Budget;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.BudgetCheck;
import dev.autotune.domain.analysis.BudgetReport;
import dev.autotune.domain.analysis.ExperimentDiff;
import dev.autotune.domain.analysis.KnobValues;
import dev.autotune.domain.analysis.Recommendation;
import dev.autotune.domain.query.ExperimentDetail;
import dev.autotune.domain.query.ExperimentSummary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the CLI prints for people: the list table, one experiment, a diff, budget verdicts and recommendations.
 * The Markdown ({@link Export}) and JSON ({@link ExperimentJson}, {@link AnalysisJson}) renderings sit beside it,
 * and all of them format numbers by the one rule ({@link Formats}).
 */
public final class TerminalText {
    /** The metrics the list table shows, in order. */
    public static final List<String> HEADLINE_KEYS = Metric.HEADLINE.stream().map(Metric::key).toList();

    private TerminalText() {
    }

    /**
     * The lines as an aligned table: the knobs that vary between them, then the headline metrics, then when it
     * happened (when the benchmark ran if its report says, else when it was recorded).
     */
    public static String list(List<ExperimentSummary> lines) {
        List<String> knobs = varyingKnobs(lines);
        List<String> header = new ArrayList<>(List.of("id", "status", "scenario", "backend"));
        header.addAll(knobs);
        Metric.HEADLINE.forEach(m -> header.add(m == Metric.THROUGHPUT_TOKENS_PER_SEC ? "tok/s" : m.key()));
        header.add("when");
        TextTable table = new TextTable(header);
        for (ExperimentSummary r : lines) {
            table.add(cells(r, knobs, header.size()));
        }
        return table.render();
    }

    /** One line's cells; a method of its own so the JIT compiles it early in a long list. */
    private static String[] cells(ExperimentSummary r, List<String> knobs, int width) {
        String[] cells = new String[width];
        int c = 0;
        cells[c++] = Integer.toString(r.number());
        cells[c++] = r.failureCategory() == null || r.status() == ExperimentStatus.ABANDONED
                ? r.status().code() : r.status().code() + ":" + r.failureCategory();
        cells[c++] = r.scenario();
        cells[c++] = Objects.requireNonNullElse(r.backend(), "-");
        for (String k : knobs) {
            cells[c++] = Formats.value(r.knobs().get(k));
        }
        for (String key : HEADLINE_KEYS) {
            cells[c++] = Formats.number(r.metric(key));
        }
        cells[c] = Formats.when(r.happenedAt());
        return cells;
    }

    /** The knobs whose value differs between lines; lines with equal knobs share one map, compared once. */
    private static List<String> varyingKnobs(List<ExperimentSummary> lines) {
        Set<Map<String, Object>> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        lines.forEach(l -> distinct.add(l.knobs()));
        return KnobValues.varying(distinct);
    }

    /** The verdict table of `check`, with the budgets above and the totals below. */
    public static String check(BudgetReport report) {
        StringBuilder out = new StringBuilder("budgets: ")
                .append(report.budgets().stream().map(Budget::toString).collect(Collectors.joining(", "))).append('\n');
        if (report.rows().isEmpty()) {
            return out.append("no completed experiments to check yet\n").toString();
        }
        TextTable table = new TextTable(List.of("id", "scenario", "verdict", "detail"));
        for (BudgetReport.Row r : report.rows()) {
            List<String> details = new ArrayList<>();
            r.breaches().forEach(b -> details.add(BudgetCheck.describe(b)));
            r.missingMetrics().forEach(m -> details.add(m + " missing"));
            table.add(List.of(Integer.toString(r.number()), r.scenario(), r.verdict().name(), String.join("; ", details)));
        }
        out.append(table.render());
        return out.append(String.format("summary: %d PASS, %d FAIL, %d UNKNOWN of %d%n", report.pass(), report.fail(),
                report.unknown(), report.rows().size())).toString();
    }

    /** The config changes and the metrics side by side, as `diff` prints them. */
    public static String diff(ExperimentDiff d) {
        StringBuilder out = new StringBuilder("experiment " + d.a() + " -> " + d.b() + "\n\nconfig\n");
        if (d.config().isEmpty()) {
            out.append("  (identical)\n");
        }
        for (var c : d.config()) {
            String sign = switch (c.kind()) {
                case ADDED -> "+ " + c.key() + " = " + Formats.value(c.after());
                case REMOVED -> "- " + c.key() + " = " + Formats.value(c.before());
                case CHANGED -> "~ " + c.key() + ": " + Formats.value(c.before()) + " -> " + Formats.value(c.after());
            };
            out.append("  ").append(sign).append('\n');
        }
        out.append("\nmetrics\n");
        TextTable table = new TextTable(List.of("metric", "A (" + d.a() + ")", "B (" + d.b() + ")", "change", "change %", "better"));
        for (var m : d.metrics()) {
            table.add(List.of(m.metric().key(), Formats.number(m.a()), Formats.number(m.b()),
                    m.absolute() == null ? "-" : signed(m.absolute()),
                    m.relativePercent() == null ? "-" : signed(m.relativePercent()) + "%",
                    m.better() == null ? "-" : m.better().name().toLowerCase(Locale.ROOT)));
        }
        return out.append(table.render()).toString();
    }

    private static String signed(double v) {
        String n = Formats.number(v);
        return v > 0 ? "+" + n : n;
    }

    /** The objective and budgets, then each knob's suggestion and reason, as `recommend` prints them. */
    public static String recommendations(Metric objective, List<Budget> limits, List<Recommendation> recommendations) {
        StringBuilder out = new StringBuilder("objective: ").append(objective.key()).append(" (")
                .append(objective.direction() == Metric.Direction.HIGHER_IS_BETTER ? "higher" : "lower")
                .append(" is better); budgets: ")
                .append(limits.isEmpty() ? "none" : limits.stream().map(Budget::toString).collect(Collectors.joining(", ")))
                .append('\n');
        for (Recommendation r : recommendations) {
            out.append(r.knob()).append(": ")
                    .append(r.suggested() == null ? "nothing new to try" : "try " + Formats.value(r.suggested()))
                    .append('\n').append("  ").append(r.reason()).append('\n');
        }
        return out.toString();
    }

    /** Everything about one experiment, as `show` prints it. */
    public static String experiment(ExperimentDetail d) {
        StringBuilder out = new StringBuilder();
        out.append("experiment ").append(d.number()).append("  ").append(d.status().code())
                .append("  (").append(d.experimentId()).append(")\n");
        field(out, "scenario", d.scenario());
        field(out, "backend", d.backend());
        field(out, "source", d.source() + (d.runId() == null ? "" : ", run " + d.runId()));
        field(out, "started", Formats.when(d.startedAt()));
        field(out, "ended", Formats.when(d.endedAt()));
        if (d.measuredAt() != null) {
            field(out, "measured", Formats.when(d.measuredAt()) + " (when the benchmark ran, from its report)");
        }
        if (d.configPath() != null) {
            field(out, "config file", d.configPath() + " (sha256 " + d.configSha256() + ")");
        }
        if (d.failureCategory() != null) {
            field(out, "failure", d.failureCategory() + ": " + d.failureMessage()
                    + (d.exitCode() == null ? "" : " (exit code " + d.exitCode() + ")"));
        }
        if (d.logPath() != null) {
            field(out, "log", d.logPath());
        }
        if (d.notes() != null) {
            field(out, "notes", d.notes());
        }
        section(out, "config", d.config());
        if (!d.facts().isEmpty()) {
            section(out, "report facts", d.facts());
        }
        out.append("\nmetrics\n");
        if (d.metrics().isEmpty()) {
            out.append("  (none)\n");
        }
        for (Metric m : Metric.values()) {
            Double v = d.metrics().get(m.key());
            if (v != null) {
                out.append(String.format("  %-26s %s %s%n", m.key(), Formats.number(v), m.unit()).stripTrailing()).append('\n');
            }
        }
        if (!d.metadata().isEmpty()) {
            section(out, "metadata", d.metadata());
        }
        if (!d.reports().isEmpty()) {
            out.append("\nreports\n");
            for (var r : d.reports()) {
                out.append("  ").append(r.path()).append("  ").append(r.format()).append("  sha256 ")
                        .append(r.sha256()).append('\n');
                r.warnings().forEach(w -> out.append("    warning: ").append(w).append('\n'));
            }
        }
        out.append("\ntimeline\n");
        for (var t : d.timeline()) {
            out.append("  ").append(t.at()).append("  ").append(t.event()).append("  ").append(t.detail()).append('\n');
        }
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(String.format("  %-12s %s%n", name, value == null ? "-" : value));
    }

    private static void section(StringBuilder out, String title, Map<String, ?> values) {
        out.append('\n').append(title).append('\n');
        if (values.isEmpty()) {
            out.append("  (none)\n");
        }
        values.forEach((k, v) -> out.append("  ").append(k).append(" = ").append(Formats.value(v)).append('\n'));
    }
}
