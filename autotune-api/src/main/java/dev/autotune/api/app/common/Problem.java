package dev.autotune.api.app.common;

import dev.autotune.store.StoreException;

/**
 * What went wrong with a use case, for an adapter to show: the CLI as a line and an exit code, HTTP as a status
 * and {@code {"error", "field"}}. The one place that knows which exceptions the layers below throw, so no adapter
 * needs to import the store or the runner to tell bad input from a broken database.
 *
 * @param field    the input it is about (see {@link UserError#field()}), or null
 * @param existing for {@link Kind#DUPLICATE}, the number of the experiment already recorded
 */
public record Problem(Kind kind, String field, String message, Integer existing) {

    public enum Kind {
        /** The input was wrong: fix it and try again. */
        BAD_INPUT,
        /** An experiment that does not exist. */
        NOT_FOUND,
        /** The same report and config was recorded before. */
        DUPLICATE,
        /** The request conflicts with what is recorded (a finished study, an experiment told twice). */
        CONFLICT,
        /** The database cannot be used right now or at all (locked, newer, corrupt). */
        STORE,
        /** A bug: anything else. */
        INTERNAL
    }

    public Problem {
        message = message == null || message.isBlank() ? "unknown error" : message;
    }

    public static Problem of(Throwable e) {
        if (e instanceof DuplicateReport d) {
            return new Problem(Kind.DUPLICATE, d.field(), d.getMessage(), d.existing());
        }
        if (e instanceof Conflict c) {
            return new Problem(Kind.CONFLICT, c.field(), c.getMessage(), null);
        }
        if (e instanceof NotFound n) {
            return new Problem(Kind.NOT_FOUND, null, n.getMessage(), null);
        }
        if (e instanceof UserError u) {
            return new Problem(Kind.BAD_INPUT, u.field(), u.getMessage(), null);
        }
        if (e instanceof StoreException) {
            return new Problem(Kind.STORE, null, e.getMessage(), null);
        }
        if (e instanceof IllegalArgumentException) {
            return new Problem(Kind.BAD_INPUT, null, e.getMessage(), null);
        }
        return new Problem(Kind.INTERNAL, null, e.getMessage(), null);
    }
}
