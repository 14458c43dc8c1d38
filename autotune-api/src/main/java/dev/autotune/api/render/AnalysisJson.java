package dev.autotune.api.render;

import dev.autotune.api.app.budgets.Budgets;
import dev.autotune.api.app.analysis.Analysis;
import dev.autotune.api.app.Autotune;
import dev.autotune.domain.Budget;
import dev.autotune.domain.analysis.BudgetReport;
import dev.autotune.domain.analysis.ExperimentDiff;
import dev.autotune.domain.analysis.Recommendation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON shapes of check, recommend and diff, the same for the CLI's --json and the HTTP API. */
public final class AnalysisJson {
    private AnalysisJson() {
    }

    public static Map<String, Object> check(BudgetReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("budgets", report.budgets().stream().map(Budget::toString).toList());
        m.put("experiments", report.rows().stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.number());
            row.put("experiment_id", r.experimentId());
            row.put("scenario", r.scenario());
            row.put("verdict", r.verdict().name());
            row.put("breaches", r.breaches().stream().map(b -> {
                Map<String, Object> bm = new LinkedHashMap<>();
                bm.put("budget", b.budget().toString());
                bm.put("metric", b.budget().metric().key());
                bm.put("value", b.value());
                bm.put("limit", b.budget().limit());
                bm.put("excess", b.excess());
                bm.put("excess_percent", b.excessPercent());
                return bm;
            }).toList());
            row.put("missing_metrics", r.missingMetrics());
            row.put("metrics", r.metrics());
            return row;
        }).toList());
        m.put("summary", Map.of("pass", report.pass(), "fail", report.fail(), "unknown", report.unknown()));
        return m;
    }

    public static Map<String, Object> recommendation(Recommendation r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("knob", r.knob());
        m.put("suggested", r.suggested());
        m.put("kind", r.kind().name().toLowerCase(Locale.ROOT));
        m.put("reason", r.reason());
        m.put("best_value", r.bestValue());
        m.put("best_experiment", r.bestExperiment());
        m.put("boundary_value", r.boundaryValue());
        return m;
    }

    /** A saved budget profile, as budget list --json and GET /api/budgets give it. */
    public static Map<String, Object> profile(Budgets.Profile p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("budgets", p.budgets());
        m.put("saved_at", p.savedAt() == null ? null : p.savedAt().toString());
        return m;
    }

    /** The check with the objective, the varying knobs per experiment and the best that passes. */
    public static Map<String, Object> check(Budgets.Checked checked) {
        Map<String, Object> m = check(checked.report());
        m.put("objective", checked.objective().key());
        m.put("knobs", checked.knobs());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) m.get("experiments");
        for (Map<String, Object> row : rows) {
            Map<String, Object> values = checked.knobValues().get((Integer) row.get("id"));
            Map<String, Object> knobs = new LinkedHashMap<>();
            checked.knobs().forEach(k -> knobs.put(k, values == null ? null : values.get(k)));
            row.put("knobs", knobs);
        }
        m.put("best", checked.best() == null ? null : checked.best().number());
        if (!checked.gpuNotes().isEmpty()) {
            m.put("gpu_notes", checked.gpuNotes());
        }
        return m;
    }

    /** The diff and, with budgets, each side's verdict as {@code check} gives it. */
    public static Map<String, Object> diff(Analysis.Compared compared) {
        Map<String, Object> m = diff(compared.diff());
        if (compared.verdicts() != null) {
            m.put("budgets", check(compared.verdicts()));
        }
        if (!compared.gpuNotes().isEmpty()) {
            m.put("gpu_notes", compared.gpuNotes());
        }
        return m;
    }

    public static Map<String, Object> diff(ExperimentDiff d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", d.a());
        m.put("b", d.b());
        m.put("config", d.config().stream().map(c -> {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("key", c.key());
            cm.put("change", c.kind().name().toLowerCase(Locale.ROOT));
            cm.put("before", c.before());
            cm.put("after", c.after());
            return cm;
        }).toList());
        m.put("metrics", d.metrics().stream().map(x -> {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("metric", x.metric().key());
            mm.put("a", x.a());
            mm.put("b", x.b());
            mm.put("absolute_change", x.absolute());
            mm.put("relative_change_percent", x.relativePercent());
            mm.put("better", x.better() == null ? null : x.better().name().toLowerCase(Locale.ROOT));
            return mm;
        }).toList());
        return m;
    }
}
