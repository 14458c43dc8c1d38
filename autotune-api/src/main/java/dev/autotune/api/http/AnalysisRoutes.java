package dev.autotune.api.http;

import dev.autotune.api.render.export.Export;
import dev.autotune.api.app.analysis.Analysis;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.studies.StudyJson;
import dev.autotune.api.render.AnalysisJson;
import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * GET /api/diff, /api/check, /api/recommendation, /api/sensitivity and /api/export: the analysis use cases over HTTP. The query
 * parameters go to the application as given; it parses and checks them, and names the parameter of any error.
 */
final class AnalysisRoutes {
    private final Autotune autotune;

    AnalysisRoutes(Autotune autotune) {
        this.autotune = autotune;
    }

    void diff(Context ctx) {
        Params.only(ctx, Params.with(Params.BUDGETS, "a", "b", "gpus"));
        String a = Params.required(ctx, "a");
        String b = Params.required(ctx, "b");
        ctx.json(AnalysisJson.diff(autotune.analysis().diff(a, b, Params.budgets(ctx), Params.text(ctx, "gpus"))));
    }

    void check(Context ctx) {
        Params.only(ctx, Params.with(Params.BUDGETS, "scenario", "objective", "include_excluded", "gpus"));
        ctx.json(AnalysisJson.check(autotune.budgets().check(Params.budgets(ctx), Params.text(ctx, "scenario"),
                Params.text(ctx, "objective"), Params.flag(ctx, "include_excluded"), Params.text(ctx, "gpus"))));
    }

    /** GET /api/budgets: the saved budget profiles, which budget= names. */
    void budgetProfiles(Context ctx) {
        Params.only(ctx, Set.of());
        ctx.json(autotune.budgets().budgetProfiles().stream().map(AnalysisJson::profile).toList());
    }

    void recommendation(Context ctx) {
        Params.only(ctx, Params.with(Params.BUDGETS, "knob", "objective", "scenario", "include_excluded", "gpus"));
        Analysis.Recommended r = autotune.analysis().recommend(Params.all(ctx, "knob"), Params.budgets(ctx),
                Params.text(ctx, "objective"), Params.text(ctx, "scenario"), Params.flag(ctx, "include_excluded"),
                Params.text(ctx, "gpus"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("objective", r.objective().key());
        body.put("direction", r.objective().direction() == Metric.Direction.HIGHER_IS_BETTER ? "higher" : "lower");
        body.put("budgets", r.budgets().stream().map(Budget::toString).toList());
        body.put("recommendations", r.recommendations().stream().map(AnalysisJson::recommendation).toList());
        if (!r.gpuNotes().isEmpty()) {
            body.put("gpu_notes", r.gpuNotes());
        }
        ctx.json(body);
    }

    /** GET /api/sensitivity: per knob, the metric per value, the other knobs held as the recommendation holds them. */
    void sensitivity(Context ctx) {
        Params.only(ctx, Params.with(Params.BUDGETS, "target", "objective", "scenario", "include_excluded"));
        // snake_case like the study JSON: the view is a domain record, written as it is
        ctx.contentType("application/json").result(StudyJson.pretty(autotune.analysis().sensitivity(Params.text(ctx, "target"),
                Params.budgets(ctx), Params.text(ctx, "objective"), Params.text(ctx, "scenario"),
                Params.flag(ctx, "include_excluded"))));
    }

    /**
     * The recommended next config as a TOML download. Where it came from travels in headers, so the file stays
     * the config itself: X-Config-Base names the file it was derived from, or is absent when there was none
     * (then the TOML says so in its first lines and holds only knob values).
     */
    void derivedConfig(Context ctx) {
        Params.only(ctx, Params.with(Params.BUDGETS, "knob", "objective", "scenario"));
        Analysis.DerivedConfig d = autotune.analysis().derivedConfig(Params.all(ctx, "knob"), Params.budgets(ctx),
                Params.text(ctx, "objective"), Params.text(ctx, "scenario"));
        ctx.header("Content-Disposition", "attachment; filename=\"" + d.fileName() + "\"");
        if (d.base() != null) {
            // the name only: a header carries no server paths, and the name is what the user recognises
            ctx.header("X-Config-Base", ascii(d.base().getFileName().toString()));
        }
        if (d.experiment() != null) {
            ctx.header("X-Config-Experiment", Integer.toString(d.experiment()));
        }
        ctx.contentType("application/toml; charset=utf-8").result(d.toml());
    }

    private static String ascii(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    void export(Context ctx) {
        Params.only(ctx, Params.with(Params.BUDGETS, "format", "template", "scenario", "knob", "baseline",
                "include_excluded", "gpus"));
        Analysis.Exported export = autotune.analysis().export(Params.text(ctx, "format"), Params.text(ctx, "template"),
                Params.text(ctx, "scenario"), Params.budgets(ctx), Params.all(ctx, "knob"),
                Params.text(ctx, "baseline"), Params.flag(ctx, "include_excluded"), Params.text(ctx, "gpus"));
        String mixed = export.mixedScenarios(Params.text(ctx, "template") != null);
        if (mixed != null) {
            ctx.header("X-Autotune-Warning", mixed + "; pass scenario= to report on one");
        }
        if (!export.gpuNotes().isEmpty()) {
            // the body is the file itself; how many rows lack a per-GPU value travels beside it
            ctx.header("X-Autotune-Gpu-Notes", ascii(export.gpuNotes().size() + " experiment(s) without per-GPU "
                    + "metrics, e.g. " + export.gpuNotes().get(0)));
        }
        ctx.contentType(switch (export.format()) {
            case CSV -> "text/csv; charset=utf-8";
            case JSON -> "application/json";
            case MARKDOWN -> "text/markdown; charset=utf-8";
        }).result(Export.text(export));
    }
}
