package dev.autotune.api.app;

/** Bad input or a request that cannot be served; shown to the user as one line, exit code 2. */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
