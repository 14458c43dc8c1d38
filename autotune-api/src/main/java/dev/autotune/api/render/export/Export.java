package dev.autotune.api.render.export;

import dev.autotune.api.app.analysis.Analysis;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autotune.api.app.analysis.Analysis.Exported;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.BudgetReport;
import dev.autotune.domain.analysis.Numbers;
import dev.autotune.domain.analysis.Recommendation;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.store.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Renders the experiment list for other tools and for people: CSV and JSON for spreadsheets and scripts,
 * Markdown tables, issue and pull-request texts, and a full benchmark report. Every output is a pure function
 * of its input (no clock, sorted keys, fixed line endings), so a rebuild renders the same bytes.
 */
public final class Export {
    /** Line ending of every rendering: the repositories these texts are pasted into use LF. */
    static final String NL = "\n";

    private static final ObjectWriter PRETTY = Json.mapper().writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", NL))
            .withArrayIndenter(new DefaultIndenter("  ", NL))
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private Export() {
    }

    /** An export the analysis service assembled, written as its format (or its template) asks. */
    public static String text(Exported e) {
        if (e.template() == null) {
            return switch (e.format()) {
                case CSV -> csv(e.rows());
                case JSON -> json(e.rows());
                case MARKDOWN -> markdown(e.rows());
            };
        }
        return switch (e.template()) {
            case ISSUE -> issue(e.rows(), e.budgetReport(), e.recommendations());
            case PR -> pullRequest(e.rows(), e.budgetReport(), e.recommendations(), e.baseline());
            case BENCHMARK_REPORT -> benchmarkReport(e.rows(), e.budgetReport(), e.recommendations(), e.knobs());
        };
    }

    /**
     * One line per experiment: id, experiment_id, status, scenario, backend, started_at, ended_at,
     * failure_category, measured_at (when the benchmark ran, from its report), one {@code knob:<key>} column per
     * knob any row sets, one {@code fact:<key>} column per report fact any row has, every normalized metric in
     * declaration order (a fixed set, so spreadsheets built on one export keep working on the next; the per-GPU
     * metrics, which only {@code --gpus} derives, follow when any row has one), and notes last. Missing values are empty cells. Numbers are exact, not rounded for display: a CSV is data.
     */
    public static String csv(List<ExperimentSummary> rows) {
        TreeSet<String> knobs = new TreeSet<>();
        rows.forEach(r -> knobs.addAll(r.knobs().keySet()));
        TreeSet<String> facts = new TreeSet<>();
        rows.forEach(r -> facts.addAll(r.facts().keySet()));
        List<String> header = new ArrayList<>(List.of("id", "experiment_id", "status", "scenario", "backend",
                "started_at", "ended_at", "failure_category", "measured_at"));
        knobs.forEach(k -> header.add("knob:" + k));
        facts.forEach(k -> header.add("fact:" + k));
        // the reported metrics always; a per-GPU one only when --gpus derived it for some row
        List<String> metrics = java.util.Arrays.stream(Metric.values())
                .filter(m -> m.perGpuOf() == null || rows.stream().anyMatch(r -> r.metric(m.key()) != null))
                .map(Metric::key).toList();
        header.addAll(metrics);
        header.add("notes");
        StringBuilder out = new StringBuilder();
        csvLine(out, header);
        for (ExperimentSummary r : rows) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(r.number()), text(r.experimentId()),
                    r.status().code(), text(r.scenario()), text(r.backend()), time(r.startedAt()), time(r.endedAt()),
                    text(r.failureCategory()), time(r.measuredAt())));
            knobs.forEach(k -> cells.add(csvValue(r.knobs().get(k))));
            facts.forEach(k -> cells.add(csvValue(r.facts().get(k))));
            metrics.forEach(k -> cells.add(Numbers.exact(r.metric(k))));
            cells.add(text(r.notes()));
            csvLine(out, cells);
        }
        return out.toString();
    }

    /**
     * RFC 4180: a field with a comma, double quote, CR or LF is wrapped in double quotes, and quotes inside are
     * doubled. Leading or trailing spaces are quoted too, since some readers strip them otherwise.
     */
    static String csvField(String field) {
        if (field.isEmpty()) {
            return field;
        }
        boolean quote = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                || field.indexOf('\r') >= 0 || field.charAt(0) == ' ' || field.charAt(field.length() - 1) == ' ';
        return quote ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    private static void csvLine(StringBuilder out, List<String> cells) {
        out.append(String.join(",", cells.stream().map(Export::csvField).toList())).append(NL);
    }

    private static String csvValue(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double || v instanceof Float) {
            return Numbers.exact(((Number) v).doubleValue());
        }
        if (v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v.toString();
        }
        return Json.write(v); // a list reads back as the JSON it was written as
    }

    /**
     * An array of objects: id, experiment_id, status, scenario, backend, started_at, ended_at,
     * failure_category, measured_at, notes, knobs, facts (what the report states), then each measured normalized metric as a top-level key under its
     * normalized name (absent ones left out). Built as a tree rather than a map because the shared mapper sorts
     * map keys, and here the order is part of the format.
     */
    public static String json(List<ExperimentSummary> rows) {
        ArrayNode array = Json.mapper().createArrayNode();
        for (ExperimentSummary r : rows) {
            ObjectNode o = array.addObject();
            o.put("id", r.number());
            o.put("experiment_id", r.experimentId());
            o.put("status", r.status().code());
            o.put("scenario", r.scenario());
            o.put("backend", r.backend());
            o.put("started_at", r.startedAt() == null ? null : r.startedAt().toString());
            o.put("ended_at", r.endedAt() == null ? null : r.endedAt().toString());
            o.put("failure_category", r.failureCategory());
            o.put("measured_at", r.measuredAt() == null ? null : r.measuredAt().toString());
            o.put("notes", r.notes());
            o.set("knobs", Json.mapper().valueToTree(r.knobs()));
            o.set("facts", Json.mapper().valueToTree(r.facts()));
            for (Metric m : Metric.values()) {
                Double v = r.metric(m.key());
                if (v != null) {
                    o.put(m.key(), v);
                }
            }
        }
        try {
            return PRETTY.writeValueAsString(array) + NL;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JSON export", e);
        }
    }

    /**
     * A GitHub table: id, status, scenario, one column per knob that varies between rows, latency_ms, ttft_ms,
     * throughput_tokens_per_sec, failure_rate.
     */
    public static String markdown(List<ExperimentSummary> rows) {
        return ExperimentTable.markdown(rows);
    }

    /**
     * A tuning-status issue, ready to paste: the scenario, the best run, the table, budget verdicts with their
     * breaches when {@code budgets} is given, and the next step when {@code recommendations} is given.
     */
    public static String issue(List<ExperimentSummary> rows, BudgetReport budgets,
                               List<Recommendation> recommendations) {
        return Templates.issue(rows, budgets, recommendations);
    }

    /**
     * A pull-request description: benchmark results, the best run, how it compares with the baseline (the
     * first completed experiment), the table, budgets and recommendation.
     */
    public static String pullRequest(List<ExperimentSummary> rows, BudgetReport budgets,
                                     List<Recommendation> recommendations) {
        return pullRequest(rows, budgets, recommendations, null);
    }

    /** The same with the baseline chosen; null means the first completed experiment. */
    public static String pullRequest(List<ExperimentSummary> rows, BudgetReport budgets,
                                     List<Recommendation> recommendations, ExperimentSummary baseline) {
        return Templates.pullRequest(rows, budgets, recommendations, baseline);
    }

    /**
     * A full Markdown benchmark report: scope, budgets, pass/fail per experiment, the best run with its whole
     * config and metrics, a trend table per knob, and the recommendations with their reasons.
     *
     * @param knobs the knobs to show trends for; null or empty means every knob that varies
     */
    public static String benchmarkReport(List<ExperimentSummary> rows, BudgetReport budgets,
                                         List<Recommendation> recommendations, List<String> knobs) {
        return BenchmarkReport.render(rows, budgets, recommendations, knobs);
    }

    private static String text(String s) {
        return Objects.toString(s, "");
    }

    private static String time(Instant t) {
        return t == null ? "" : t.toString();
    }
}
