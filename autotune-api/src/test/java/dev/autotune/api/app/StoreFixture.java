package dev.autotune.api.app;

import dev.autotune.projections.Projections;

/**
 * For tests that set up a history no use case records (an experiment left running by a runner on another host, a
 * failure with a log file): they send the domain's commands through the store session of an {@link Autotune}, as a
 * service would. Not part of the application's API: the adapters never reach the session.
 */
public final class StoreFixture {
    private StoreFixture() {
    }

    /** Sends a command and waits for it, as the services do. */
    public static Object send(Autotune autotune, Object command) {
        return autotune.session().send(command);
    }

    /** The database, for a test that takes a read model back to what an older schema left (e.g. a table empty). */
    public static dev.autotune.store.Database db(Autotune autotune) {
        return autotune.session().db();
    }

    /** The read models, for a test that checks what they hold. */
    public static Projections views(Autotune autotune) {
        return autotune.session().views();
    }
}
