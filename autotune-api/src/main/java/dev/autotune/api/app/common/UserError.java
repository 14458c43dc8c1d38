package dev.autotune.api.app.common;

/**
 * Bad input or a request that cannot be served, shown to the user as one line. {@link #field()} names the input
 * it is about in the application's own words (the HTTP parameter names: {@code format}, {@code knob},
 * {@code latency_budget_ms}, ...), or is null when it is about no one input. Messages never name a CLI option or
 * an HTTP parameter: each adapter shows the field its own way ({@code --format}, {@code 'format'}).
 */
public class UserError extends RuntimeException {
    private final String field;

    public UserError(String field, String message) {
        super(message);
        this.field = field;
    }

    public UserError(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /** The input this is about, or null. */
    public String field() {
        return field;
    }
}
