package dev.autotune.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.render.ExperimentJson;
import dev.autotune.domain.query.ExperimentSummary;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * POST /api/experiments/{id}/tags, /untag, /notes, /exclude, /include, /amend: the corrections of `autotune tag`,
 * `untag`, `note`, `exclude`, `include` and `amend`, each a JSON object in and the experiment as the list shows it
 * out. They are writes, so the origin and token rules of every POST apply ({@link OriginGuard}, serve --token-file).
 */
final class CorrectionRoutes {
    private final Autotune autotune;

    CorrectionRoutes(Autotune autotune) {
        this.autotune = autotune;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.post("/api/experiments/{id}/tags", this::tag);
        cfg.routes.post("/api/experiments/{id}/untag", this::untag);
        cfg.routes.post("/api/experiments/{id}/notes", this::note);
        cfg.routes.post("/api/experiments/{id}/exclude", this::exclude);
        cfg.routes.post("/api/experiments/{id}/include", this::include);
        cfg.routes.post("/api/experiments/{id}/amend", this::amend);
    }

    /** {"tags": {"gpu": "H100"}} */
    void tag(Context ctx) {
        JsonNode body = RequestBody.json(ctx, Set.of("tags"));
        List<String> pairs = new ArrayList<>();
        JsonNode tags = body.path("tags");
        if (!tags.isObject() || tags.isEmpty()) {
            throw HttpProblem.badRequest("tags", "'tags' must be an object of tags, e.g. {\"tags\": {\"gpu\": \"H100\"}}");
        }
        tags.fields().forEachRemaining(f -> pairs.add(f.getKey() + "=" + scalar("tags", f.getValue(), false)));
        answer(ctx, autotune.corrections().tag(ctx.pathParam("id"), pairs));
    }

    /** {"keys": ["node"]} */
    void untag(Context ctx) {
        JsonNode keys = RequestBody.json(ctx, Set.of("keys")).path("keys");
        if (!keys.isArray()) {
            throw HttpProblem.badRequest("keys", "'keys' must be a list of tag names, e.g. {\"keys\": [\"node\"]}");
        }
        List<String> names = new ArrayList<>();
        keys.forEach(k -> names.add(scalar("keys", k, false)));
        answer(ctx, autotune.corrections().untag(ctx.pathParam("id"), names));
    }

    /** {"note": "node dgx-3 was throttling"} */
    void note(Context ctx) {
        answer(ctx, autotune.corrections().note(ctx.pathParam("id"), text(RequestBody.json(ctx, Set.of("note")), "note")));
    }

    /** {"reason": "wrong model loaded"} */
    void exclude(Context ctx) {
        answer(ctx, autotune.corrections().exclude(ctx.pathParam("id"), text(RequestBody.json(ctx, Set.of("reason")), "reason")));
    }

    void include(Context ctx) {
        RequestBody.json(ctx, Set.of());
        answer(ctx, autotune.corrections().include(ctx.pathParam("id")));
    }

    /** {"scenario": "chat-h100", "backend": "sglang", "set": {"serving.batch_size": 8}} */
    void amend(Context ctx) {
        JsonNode body = RequestBody.json(ctx, Set.of("scenario", "backend", "set"));
        List<String> sets = new ArrayList<>();
        JsonNode set = body.path("set");
        if (!set.isMissingNode() && !set.isNull()) {
            if (!set.isObject()) {
                throw HttpProblem.badRequest("set", "'set' must be an object of knob values, e.g. {\"set\": "
                        + "{\"serving.batch_size\": 8}}");
            }
            // JSON scalars are TOML scalars as written (8, 0.9, true, "text"): the values are typed as the CLI's --set
            set.fields().forEachRemaining(f -> sets.add(f.getKey() + "=" + scalar("set", f.getValue(), true)));
        }
        answer(ctx, autotune.corrections().amend(ctx.pathParam("id"), text(body, "scenario"), text(body, "backend"), sets));
    }

    private static void answer(Context ctx, ExperimentSummary e) {
        ctx.header("Cache-Control", "no-cache").json(Map.of("experiment", ExperimentJson.summary(e)));
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.path(field);
        return v.isMissingNode() || v.isNull() ? null : scalar(field, v, false);
    }

    /** A string, number or boolean as text; as a TOML literal (strings quoted) when {@code toml}. */
    private static String scalar(String field, JsonNode v, boolean toml) {
        if (v.isContainerNode() || v.isNull()) {
            throw HttpProblem.badRequest(field, "'" + field + "' values must be strings, numbers or true/false");
        }
        return toml && v.isTextual() ? v.toString() : v.asText();
    }
}
