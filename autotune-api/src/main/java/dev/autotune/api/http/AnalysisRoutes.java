package dev.autotune.api.http;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.render.AnalysisJson;
import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * GET /api/diff, /api/check, /api/recommendation and /api/export: the analysis use cases over HTTP. The query
 * parameters go to the application as given; it parses and checks them, and names the parameter of any error.
 */
final class AnalysisRoutes {
    private final Autotune autotune;

    AnalysisRoutes(Autotune autotune) {
        this.autotune = autotune;
    }

    void diff(Context ctx) {
        Params.only(ctx, Set.of("a", "b"));
        String a = Params.required(ctx, "a");
        String b = Params.required(ctx, "b");
        ctx.json(AnalysisJson.diff(autotune.diff(a, b)));
    }

    void check(Context ctx) {
        Params.only(ctx, Params.with(Params.BUDGETS, "scenario", "include_excluded"));
        ctx.json(AnalysisJson.check(autotune.check(Params.budgets(ctx), Params.text(ctx, "scenario"),
                Params.flag(ctx, "include_excluded"))));
    }

    void recommendation(Context ctx) {
        Params.only(ctx, Params.with(Params.BUDGETS, "knob", "objective", "scenario", "include_excluded"));
        Autotune.Recommended r = autotune.recommend(Params.all(ctx, "knob"), Params.budgets(ctx),
                Params.text(ctx, "objective"), Params.text(ctx, "scenario"), Params.flag(ctx, "include_excluded"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("objective", r.objective().key());
        body.put("direction", r.objective().direction() == Metric.Direction.HIGHER_IS_BETTER ? "higher" : "lower");
        body.put("budgets", r.budgets().stream().map(Budget::toString).toList());
        body.put("recommendations", r.recommendations().stream().map(AnalysisJson::recommendation).toList());
        ctx.json(body);
    }

    void export(Context ctx) {
        Params.only(ctx, Params.with(Params.BUDGETS, "format", "template", "scenario", "knob", "include_excluded"));
        Autotune.Exported export = autotune.export(Params.text(ctx, "format"), Params.text(ctx, "template"),
                Params.text(ctx, "scenario"), Params.budgets(ctx), Params.all(ctx, "knob"),
                Params.flag(ctx, "include_excluded"));
        ctx.contentType(switch (export.format()) {
            case CSV -> "text/csv; charset=utf-8";
            case JSON -> "application/json";
            case MARKDOWN -> "text/markdown; charset=utf-8";
        }).result(export.text());
    }
}
