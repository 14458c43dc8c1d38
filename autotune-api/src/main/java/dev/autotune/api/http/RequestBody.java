package dev.autotune.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.api.render.ExperimentJson;
import io.javalin.http.Context;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The one reader of request bodies for every route: a JSON object (or, where a route takes plain fields, a form
 * or query parameters) checked against the fields the route takes, each problem a 400 naming the field.
 */
final class RequestBody {
    private RequestBody() {
    }

    /**
     * The request's JSON object, sent as application/json; an empty body is an empty object. A field not in
     * {@code allowed} is a 400 that names it.
     */
    static JsonNode json(Context ctx, Set<String> allowed) {
        String text = ctx.body();
        if (text.isBlank()) {
            return ExperimentJson.mapper().createObjectNode();
        }
        if (!isJson(ctx)) {
            throw HttpProblem.badRequest(null, "send the body as application/json");
        }
        JsonNode body = parse(text);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            known(names.next(), allowed);
        }
        return body;
    }

    /**
     * The request's fields as text, whatever it was sent as: a JSON object of strings, numbers and booleans, a
     * urlencoded or multipart form, or query parameters (a field in the body wins over the same in the query).
     * Blank values are left out; a field not in {@code allowed} is a 400 that names it.
     */
    static Map<String, String> fields(Context ctx, Set<String> allowed) {
        Map<String, String> out = new LinkedHashMap<>();
        String type = type(ctx);
        if (isJson(ctx)) {
            String text = ctx.body();
            if (!text.isBlank()) {
                parse(text).fields().forEachRemaining(f -> {
                    JsonNode v = f.getValue();
                    if (v.isContainerNode()) {
                        throw HttpProblem.badRequest(f.getKey(), "'" + f.getKey() + "' must be a string or a number");
                    }
                    if (!v.isNull()) {
                        out.put(f.getKey(), v.asText().trim());
                    }
                });
            }
        } else if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
            ctx.formParamMap().forEach((k, v) -> {
                if (!v.isEmpty() && !v.get(0).isBlank()) {
                    out.put(k, v.get(0).trim());
                }
            });
        }
        ctx.queryParamMap().forEach((k, v) -> {
            if (!v.isEmpty() && !v.get(0).isBlank()) {
                out.putIfAbsent(k, v.get(0).trim());
            }
        });
        for (String name : out.keySet()) {
            known(name, allowed);
        }
        out.values().removeIf(String::isEmpty);
        return out;
    }

    /**
     * What {@code reading} takes from a multipart body (its form fields, its file parts): Javalin parses the body
     * on first access and throws there, so every access goes through here. A body over the limit is
     * {@code tooLarge}; one that cannot be read is a 400 on the route's file part ({@link MalformedBody}).
     */
    static <T> T multipart(Supplier<T> reading, String part, Supplier<HttpProblem> tooLarge) {
        try {
            return reading.get();
        } catch (HttpProblem e) {
            throw e;
        } catch (Exception e) { // Jetty's ServletException is checked but thrown through Kotlin
            if (Uploads.isSizeLimit(e)) {
                throw tooLarge.get().about(part);
            }
            throw MalformedBody.problem(e, part);
        }
    }

    /** A 400 for a field the route does not take, listing those it does. */
    static void known(String name, Set<String> allowed) {
        if (!allowed.contains(name)) {
            throw HttpProblem.badRequest(name, "unknown field '" + name + "'; "
                    + (allowed.isEmpty() ? "this endpoint takes none" : "this endpoint takes "
                    + String.join(", ", new TreeSet<>(allowed))));
        }
    }

    private static JsonNode parse(String text) {
        JsonNode body;
        try {
            body = ExperimentJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw HttpProblem.badRequest(null, "the body is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw HttpProblem.badRequest(null, "send a JSON object, such as {\"name\": \"value\"}");
        }
        return body;
    }

    private static boolean isJson(Context ctx) {
        return type(ctx).startsWith("application/json");
    }

    private static String type(Context ctx) {
        return ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    }
}
