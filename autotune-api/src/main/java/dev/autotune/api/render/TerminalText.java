package dev.autotune.api.render;

import dev.autotune.api.app.budgets.Budgets;
import dev.autotune.api.app.analysis.Analysis;
import dev.autotune.api.app.Autotune;
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
import dev.autotune.domain.query.ListColumn;

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
 * The JSON renderings ({@link ExperimentJson}, {@link AnalysisJson}) sit beside it, and the exports (CSV, JSON,
 * Markdown and its templates) in {@code render.export}, which the application layer calls and which uses nothing
 * of it; numbers are formatted by the one rule ({@link Formats}).
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
        return list(lines, Integer.MAX_VALUE);
    }

    /**
     * The default table, fitted to {@code width} characters: knob columns are headed by the shortest unambiguous
     * suffix of their path, and when the table is still too wide, the backend, the failure rate, knob columns from
     * the right and the scenario are left out in that order, with a last line naming them (--wide and --columns
     * show them).
     */
    public static String list(List<ExperimentSummary> lines, int width) {
        List<String> knobs = varyingKnobs(lines);
        Map<String, String> labels = ListColumn.shortLabels(knobs);
        List<String> header = new ArrayList<>(List.of("id", "status", "scenario", "backend"));
        knobs.forEach(k -> header.add(labels.get(k)));
        Metric.HEADLINE.forEach(m -> header.add(m == Metric.THROUGHPUT_TOKENS_PER_SEC ? "tok/s" : m.key()));
        header.add("when");
        List<String[]> rows = new ArrayList<>(lines.size());
        for (ExperimentSummary r : lines) {
            rows.add(cells(r, knobs, header.size()));
        }
        String table = render(header, rows, null);
        if (width == Integer.MAX_VALUE || widest(table) <= width) {
            return table;
        }
        // leave out the least telling columns first: the backend, the failure rate, then knobs from the right,
        // then the scenario; id, status, latency, TTFT, throughput and when always stay
        List<Integer> droppable = new ArrayList<>();
        droppable.add(3);
        droppable.add(header.indexOf(Metric.FAILURE_RATE.key()));
        for (int k = knobs.size() - 1; k >= 0; k--) {
            droppable.add(4 + k);
        }
        droppable.add(2);
        java.util.Set<Integer> dropped = new java.util.TreeSet<>();
        for (int column : droppable) {
            dropped.add(column);
            table = render(header, rows, dropped);
            if (widest(table) <= width) {
                break;
            }
        }
        List<String> names = dropped.stream().map(header::get).toList();
        return table + "(" + names.size() + " column" + (names.size() == 1 ? "" : "s") + " left out to fit " + width
                + " characters: " + String.join(", ", names) + "; --wide shows every column, --columns chooses)\n";
    }

    private static String render(List<String> header, List<String[]> rows, java.util.Set<Integer> dropped) {
        if (dropped == null || dropped.isEmpty()) {
            TextTable table = new TextTable(header);
            rows.forEach(table::add);
            return table.render();
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (!dropped.contains(i)) {
                kept.add(i);
            }
        }
        TextTable table = new TextTable(kept.stream().map(header::get).toList());
        for (String[] row : rows) {
            table.add(kept.stream().map(i -> row[i]).toList());
        }
        return table.render();
    }

    private static int widest(String table) {
        return table.lines().mapToInt(String::length).max().orElse(0);
    }

    /** The rows with exactly these columns, in this order (list --columns, --wide). */
    public static String table(List<ExperimentSummary> rows, List<ListColumn> columns) {
        Map<String, String> labels = ListColumn.shortLabels(columns.stream()
                .filter(c -> c.kind() == ListColumn.Kind.KNOB).map(ListColumn::key).toList());
        List<String> header = columns.stream().map(c -> switch (c.kind()) {
            case KNOB -> labels.get(c.key());
            case METRIC -> c.key().equals(Metric.THROUGHPUT_TOKENS_PER_SEC.key()) ? "tok/s" : c.key();
            // "when" is one thing everywhere: when the benchmark ran (happened), as the default table's column
            case FIELD -> c.key().equals("happened") ? "when" : c.key();
            case TAG -> c.key();
        }).toList();
        TextTable table = new TextTable(header);
        for (ExperimentSummary r : rows) {
            table.add(columns.stream().map(c -> cell(r, c)).toList());
        }
        return table.render();
    }

    private static String cell(ExperimentSummary r, ListColumn c) {
        if (c.kind() == ListColumn.Kind.FIELD && c.key().equals("status")) {
            return status(r);
        }
        Object v = c.value().apply(r);
        if (v instanceof java.time.Instant at) {
            return Formats.when(at);
        }
        if (c.kind() == ListColumn.Kind.METRIC) {
            return Formats.number((Double) v);
        }
        return v == null ? "-" : Formats.value(v);
    }

    private static String status(ExperimentSummary r) {
        return r.failureCategory() == null || r.status() == ExperimentStatus.ABANDONED
                ? r.status().code() : r.status().code() + ":" + r.failureCategory();
    }

    /** One line's cells; a method of its own so the JIT compiles it early in a long list. */
    private static String[] cells(ExperimentSummary r, List<String> knobs, int width) {
        String[] cells = new String[width];
        int c = 0;
        cells[c++] = Integer.toString(r.number());
        cells[c++] = status(r);
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
    public static String check(Budgets.Checked checked) {
        BudgetReport report = checked.report();
        Metric objective = checked.objective();
        StringBuilder out = new StringBuilder("budgets: ")
                .append(report.budgets().stream().map(Budget::toString).collect(Collectors.joining(", ")))
                .append("; objective: ").append(objective.key()).append(" (")
                .append(objective.direction() == Metric.Direction.HIGHER_IS_BETTER ? "higher" : "lower")
                .append(" is better)\n");
        if (report.rows().isEmpty()) {
            return out.append("no completed experiments to check yet\n").toString();
        }
        List<String> header = new ArrayList<>(List.of("id", "scenario"));
        header.addAll(checked.knobs());
        header.addAll(List.of(objective.key(), "verdict", "detail"));
        TextTable table = new TextTable(header);
        for (BudgetReport.Row r : report.rows()) {
            List<String> details = new ArrayList<>();
            r.breaches().forEach(b -> details.add(BudgetCheck.describe(b)));
            r.missingMetrics().forEach(m -> details.add(m + " missing"));
            List<String> cells = new ArrayList<>(List.of(Integer.toString(r.number()), r.scenario()));
            Map<String, Object> knobs = checked.knobValues().get(r.number());
            checked.knobs().forEach(k -> cells.add(knobs == null || knobs.get(k) == null ? "-" : Formats.value(knobs.get(k))));
            cells.addAll(List.of(Formats.number(r.metrics().get(objective.key())), r.verdict().name(),
                    String.join("; ", details)));
            table.add(cells);
        }
        out.append(table.render());
        out.append(String.format("summary: %d PASS, %d FAIL, %d UNKNOWN of %d%n", report.pass(), report.fail(),
                report.unknown(), report.rows().size()));
        BudgetReport.Row best = checked.best();
        if (best == null) {
            return out.append("best within budgets: none (no experiment passes every budget and measured ")
                    .append(objective.key()).append(")\n").toString();
        }
        Map<String, Object> knobs = checked.knobValues().get(best.number());
        String config = checked.knobs().stream().filter(k -> knobs != null && knobs.get(k) != null)
                .map(k -> k + "=" + Formats.value(knobs.get(k))).collect(Collectors.joining(" "));
        return out.append("best within budgets: experiment ").append(best.number()).append(" (")
                .append(config.isEmpty() ? "" : config + ", ").append(objective.key()).append(' ')
                .append(Formats.number(best.metrics().get(objective.key()))).append(")\n").toString();
    }

    /** The config changes and the metrics side by side, as `diff` prints them. */
    public static String diff(Analysis.Compared compared) {
        String text = diff(compared.diff());
        BudgetReport verdicts = compared.verdicts();
        if (verdicts == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(text).append("\nbudgets: ")
                .append(verdicts.budgets().stream().map(Budget::toString).collect(Collectors.joining(", "))).append('\n');
        for (BudgetReport.Row r : verdicts.rows()) {
            List<String> details = new ArrayList<>();
            r.breaches().forEach(b -> details.add(BudgetCheck.describe(b)));
            r.missingMetrics().forEach(m -> details.add(m + " missing"));
            out.append("  ").append(r.number()).append(": ").append(r.verdict().name())
                    .append(details.isEmpty() ? "" : " (" + String.join("; ", details) + ")").append('\n');
        }
        return out.toString();
    }

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
        if (d.excludedReason() != null) {
            field(out, "excluded", d.excludedReason() + " (left out of list, check, recommend, searches and exports "
                    + "unless asked; `autotune include " + d.number() + "` takes it back)");
        }
        if (!d.tags().isEmpty()) {
            field(out, "tags", d.tags().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        if (d.notes() != null) {
            field(out, "notes", d.notes());
        }
        for (var note : d.notesAdded()) {
            field(out, "note", note.detail() + " (" + Formats.when(note.at()) + ")");
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
