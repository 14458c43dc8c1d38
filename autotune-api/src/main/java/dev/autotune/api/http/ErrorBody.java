package dev.autotune.api.http;

import dev.autotune.api.render.ExperimentJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API's one error body, {@code {"error": "...", "field": "..."}}: what was wrong, and the request field to
 * blame (null when none), so a script can tell which input was wrong. Every refusal is written through here: the
 * server's exception mapping ({@link ApiServer}), the errors Jetty answers itself ({@link JsonErrorHandler}) and a
 * multi-report upload that refused some reports ({@link Uploads}).
 */
final class ErrorBody {
    private ErrorBody() {
    }

    /** The body as a map, in this order; a caller may add what its error carries besides (existing_id, ...). */
    static Map<String, Object> of(String message, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("field", field);
        return body;
    }

    /** The body as JSON bytes, for a response written outside Javalin. */
    static byte[] bytes(String message, String field) {
        try {
            return ExperimentJson.mapper().writeValueAsBytes(of(message, field));
        } catch (IOException e) {
            // a map of two strings always serializes; this is what a client still gets if it ever did not
            return "{\"error\": \"unknown error\", \"field\": null}".getBytes(StandardCharsets.UTF_8);
        }
    }
}
