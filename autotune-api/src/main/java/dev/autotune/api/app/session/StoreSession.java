package dev.autotune.api.app.session;

import dev.autotune.api.app.common.StoreLocation;
import dev.autotune.api.app.common.UserError;
import dev.autotune.projections.Projections;
import dev.autotune.store.AxonStore;
import dev.autotune.store.Database;
import org.axonframework.commandhandling.CommandExecutionException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * One open store, shared by the services of one {@code Autotune}: it opens the database on first use, starts Axon
 * only when a use case writes events or the read models are behind, catches the read models up before a query
 * reads, and sends commands. Only the services use it: the adapters reach the store through a service's use case
 * (LayeringTest keeps them out of this package).
 */
public final class StoreSession implements AutoCloseable {
    public static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
    private static final long RECOVERY_INTERVAL_NANOS = 1_000_000_000L;

    private final StoreLocation database;
    private Database db;
    private Projections views;
    private AxonStore axon;
    private volatile boolean live;
    private volatile long lastRecovery = System.nanoTime() - RECOVERY_INTERVAL_NANOS - 1;
    /** What closes out runs whose runner died (the runs service's), run as part of every catch-up. */
    private volatile IntSupplier deadRunners = () -> 0;
    /** Where the session's notices go (a new database created): stderr unless the adapter names its own stream. */
    private volatile Consumer<String> notices = System.err::println;

    public StoreSession(StoreLocation database) {
        this.database = database;
    }

    /** The database; its {@code toString()} masks a password, so it may go into any message. */
    public StoreLocation database() {
        return database;
    }

    /**
     * What {@link #catchUp} runs to record runs whose runner is gone as abandoned; returns how many it recorded.
     * The runs service owns that rule; the session only decides how often it is asked.
     */
    public void onCatchUp(IntSupplier deadRunners) {
        this.deadRunners = deadRunners;
    }

    /** Sends the session's notices to {@code sink} (the CLI's stderr writer) instead of the process's stderr. */
    public void noticesTo(Consumer<String> sink) {
        this.notices = sink;
    }

    public synchronized Database db() {
        if (db == null) {
            // a mistyped --db would otherwise silently start a new, empty history
            Path file = database.isServer() ? null : database.url().file();
            boolean creating = file != null && !Files.exists(file);
            db = Database.open(database.url());
            if (creating) {
                notices.accept("autotune: created new database " + file);
            }
            views = Projections.of(db);
        }
        return db;
    }

    public synchronized Projections views() {
        db();
        return views;
    }

    public synchronized AxonStore axon() {
        if (axon == null) {
            axon = AxonStore.start(db(), views().all());
        }
        return axon;
    }

    /**
     * Starts Axon for the life of this session, for a long-running server. Its event feed asks for new events
     * every 200 ms (the history's {@code eventsAfter}), which projects what other processes appended, so they reach
     * the read models without anyone else asking; every query does the same before it reads.
     */
    public void live() {
        axon();
        live = true;
        catchUp();
    }

    /** Whether {@link #live} was called: a live server's event feed catches up on each poll. */
    public boolean isLive() {
        return live;
    }

    /**
     * Brings the read models up to date with the log, closes out runs whose process died, and returns the
     * position in the log the read models now stand at (what a cache of rendered answers keys on). Every query
     * does this once per call. A live server looks for dead runners at most once a second, as often as
     * it looks for other processes' events: a page served from cache then costs one read.
     */
    public long catchUp() {
        long position = db().currentPosition();
        if (position < 0) {
            axon().awaitProjections(CATCH_UP_TIMEOUT);
            position = db().projectionVersion();
        }
        long now = System.nanoTime();
        if (!live || now - lastRecovery > RECOVERY_INTERVAL_NANOS) {
            lastRecovery = now;
            if (deadRunners.getAsInt() > 0) {
                position = db().projectionVersion();
            }
        }
        return position;
    }

    /** Sends a command and waits for it; an aggregate's refusal is bad input, with the aggregate's message. */
    public Object send(Object command) {
        try {
            return axon().commands().sendAndWait(command);
        } catch (CommandExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new UserError(null, cause.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (axon != null) {
            axon.close();
            axon = null;
        }
        if (db != null) {
            db.close();
            db = null;
        }
    }
}
