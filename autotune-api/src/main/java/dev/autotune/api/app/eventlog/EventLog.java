package dev.autotune.api.app.eventlog;

import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.session.StoreSession;
import dev.autotune.store.AxonStore;
import dev.autotune.store.EventTransfer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongConsumer;

/** The event log as a whole: rebuilding the read models from it, its size, and the log as a file. */
public final class EventLog {
    private final StoreSession session;

    public EventLog(StoreSession session) {
        this.session = session;
    }

    /** Replays the whole log into empty read models. */
    public long rebuild(LongConsumer progress) {
        session.axon().rebuild(Duration.ofHours(2), progress);
        return session.db().head();
    }

    public long eventCount() {
        return session.db().head();
    }

    /** Writes the whole event log as JSON Lines (see {@link EventTransfer}); returns how many events. */
    public long exportEvents(Writer out) {
        return new EventTransfer(session.db()).export(out);
    }

    /**
     * Fills this empty store with the events an export wrote, all or nothing: each event is checked and the read
     * models take all of them in the import's own transaction (see {@code AxonStore.importAndProject}); returns how
     * many. A line that is not an exported autotune event is one line naming the file and the line, and nothing is
     * stored.
     */
    public long importEvents(Path file, LongConsumer progress) {
        long imported;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            imported = session.axon().importAndProject(in);
        } catch (EventTransfer.BadLine e) {
            throw new UserError(null, file + ": " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new UserError(null, file + ": no such file", e);
        } catch (IOException | UncheckedIOException e) {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            throw new UserError(null, file + ": cannot read (" + cause + ")", e);
        }
        progress.accept(imported);
        return imported;
    }
}
