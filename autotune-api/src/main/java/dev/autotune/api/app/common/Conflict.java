package dev.autotune.api.app.common;

/**
 * A request that conflicts with what is recorded: an ask, tell or stop to a finished study, an experiment told
 * twice, a study created again with other options. Not bad input as such: the same request was or would be
 * right against another state. HTTP answers it 409; the CLI exits 2 like any refusal.
 */
public class Conflict extends UserError {
    public Conflict(String field, String message) {
        super(field, message);
    }
}
