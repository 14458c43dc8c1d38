package dev.autotune.api.http;

/**
 * A request the API refuses, with its HTTP status and the request field to blame (a query parameter, form field
 * or header). Rendered as {@code {"error": "...", "field": "..."}} so a script can tell which input was wrong.
 */
final class HttpProblem extends RuntimeException {
    private final int status;
    private final String field;

    private HttpProblem(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    static HttpProblem badRequest(String field, String message) {
        return new HttpProblem(400, field, message);
    }

    static HttpProblem unauthorized(String message) {
        return new HttpProblem(401, "Authorization", message);
    }

    static HttpProblem forbidden(String message) {
        return new HttpProblem(403, null, message);
    }

    /** A refusal blamed on a request header, such as Host or Origin. */
    static HttpProblem forbidden(String field, String message) {
        return new HttpProblem(403, field, message);
    }

    static HttpProblem notFound(String message) {
        return new HttpProblem(404, null, message);
    }

    static HttpProblem conflict(String field, String message) {
        return new HttpProblem(409, field, message);
    }

    static HttpProblem tooLarge(String field, String message) {
        return new HttpProblem(413, field, message);
    }

    /** The same refusal blamed on another field: a route that reuses another's checks names its own input. */
    HttpProblem about(String otherField) {
        return new HttpProblem(status, otherField, getMessage());
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }
}
