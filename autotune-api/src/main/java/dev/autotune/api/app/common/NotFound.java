package dev.autotune.api.app.common;

/** An experiment id or number that does not exist. */
public class NotFound extends UserError {
    public NotFound(String what) {
        super(null, what);
    }
}
