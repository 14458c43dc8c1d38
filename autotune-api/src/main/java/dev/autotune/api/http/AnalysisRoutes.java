package dev.autotune.api.http;

import dev.autotune.api.app.Autotune.ExportFormat;
import dev.autotune.api.app.Autotune.ExportTemplate;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.NotFound;
import dev.autotune.api.app.UserError;
import dev.autotune.api.render.AnalysisJson;
import dev.autotune.domain.Budget;
import dev.autotune.domain.KnobPath;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.Recommendation;
import io.javalin.http.Context;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** GET /api/diff, /api/check, /api/recommendation and /api/export: the analysis use cases over HTTP. */
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
        Params.only(ctx, Params.with(Params.BUDGETS, "scenario"));
        List<Budget> budgets = Params.budgets(ctx);
        if (budgets.isEmpty()) {
            throw HttpProblem.badRequest("metric", "give at least one budget: latency_budget_ms, ttft_budget_ms, "
                    + "min_throughput_tokens_per_sec, max_failure_rate or metric=name<=value");
        }
        ctx.json(AnalysisJson.check(autotune.check(budgets, Params.text(ctx, "scenario"))));
    }

    void recommendation(Context ctx) {
        Params.only(ctx, Params.with(Params.BUDGETS, "knob", "objective", "scenario"));
        List<String> knobs = knobs(ctx);
        if (knobs.isEmpty()) {
            throw HttpProblem.badRequest("knob", "name at least one knob, e.g. knob=serving.batch_size");
        }
        List<Budget> budgets = Params.budgets(ctx);
        Metric objective = Params.metric(ctx, "objective", Metric.THROUGHPUT_TOKENS_PER_SEC);
        List<Recommendation> recs = as("knob",
                () -> autotune.recommend(knobs, budgets, objective, Params.text(ctx, "scenario")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("objective", objective.key());
        body.put("direction", objective.direction() == Metric.Direction.HIGHER_IS_BETTER ? "higher" : "lower");
        body.put("budgets", budgets.stream().map(Budget::toString).toList());
        body.put("recommendations", recs.stream().map(AnalysisJson::recommendation).toList());
        ctx.json(body);
    }

    void export(Context ctx) {
        Params.only(ctx, Params.with(Params.BUDGETS, "format", "template", "scenario", "knob"));
        ExportTemplate template = Params.parsed(ctx, "template", t -> choice(ExportTemplate.class, t));
        ExportFormat format = Params.parsed(ctx, "format", f -> choice(ExportFormat.class, f));
        if (format == null) {
            format = template == null ? ExportFormat.CSV : ExportFormat.MARKDOWN;
        }
        if (template != null && format != ExportFormat.MARKDOWN) {
            throw HttpProblem.badRequest("format", "template " + Params.text(ctx, "template")
                    + " produces Markdown; drop format or use format=markdown");
        }
        List<String> knobs = knobs(ctx);
        List<Budget> budgets = Params.budgets(ctx);
        ExportFormat fmt = format;
        String text = as("knob", () -> autotune.export(fmt, template, Params.text(ctx, "scenario"), budgets, knobs));
        ctx.contentType(switch (format) {
            case CSV -> "text/csv; charset=utf-8";
            case JSON -> "application/json";
            case MARKDOWN -> "text/markdown; charset=utf-8";
        }).result(text);
    }

    private static List<String> knobs(Context ctx) {
        List<String> knobs = Params.all(ctx, "knob");
        for (String k : knobs) {
            try {
                new KnobPath(k);
            } catch (IllegalArgumentException e) {
                throw HttpProblem.badRequest("knob", "'knob': " + e.getMessage());
            }
        }
        return knobs;
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String text) {
        String name = text.toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ",
                        Arrays.stream(type.getEnumConstants())
                                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList())));
    }

    /** A bad-input error from the analysis, blamed on the field the caller knows caused it. */
    private static <T> T as(String field, Supplier<T> work) {
        try {
            return work.get();
        } catch (NotFound e) {
            throw e;
        } catch (UserError e) {
            // the recommender looks at one scenario's history at a time and says so
            String message = e.getMessage();
            throw HttpProblem.badRequest(message.contains("scenario") ? "scenario" : field, message);
        }
    }
}
