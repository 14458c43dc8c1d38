package dev.autotune.api.app;

import dev.autotune.api.app.analysis.Analysis;
import dev.autotune.api.app.budgets.Budgets;
import dev.autotune.api.app.common.StoreLocation;
import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.corrections.Corrections;
import dev.autotune.api.app.eventlog.EventLog;
import dev.autotune.api.app.history.History;
import dev.autotune.api.app.recording.Recording;
import dev.autotune.api.app.runs.Runs;
import dev.autotune.api.app.session.StoreSession;
import dev.autotune.api.app.studies.Studies;
import dev.autotune.runner.report.ReportParser;
import dev.autotune.store.SqliteDriverPreload;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one handle the adapters (CLI, HTTP API, benchmarks) hold: it opens one store session and hands out the
 * services by capability, which share it. The services hold the use cases; this class only wires them.
 */
public final class Autotune implements AutoCloseable {
    /** The report size cap ingest applies unless told otherwise (ingest --max-report-mb). */
    public static final long DEFAULT_MAX_REPORT_BYTES = Recording.DEFAULT_MAX_REPORT_BYTES;

    private final StoreSession session;
    private final History history;
    private final Recording recording;
    private final Runs runs;
    private final Corrections corrections;
    private final Budgets budgets;
    private final Analysis analysis;
    private final Studies studies;
    private final EventLog eventLog;

    public Autotune(Path dbPath) {
        this(StoreLocation.file(dbPath));
    }

    public Autotune(Path dbPath, long maxReportBytes) {
        this(StoreLocation.file(dbPath), maxReportBytes);
    }

    public Autotune(StoreLocation database) {
        this(database, ReportParser.DEFAULT_MAX_BYTES);
    }

    /** @param maxReportBytes the largest report file ingest reads (ingest --max-report-mb) */
    public Autotune(StoreLocation database, long maxReportBytes) {
        ReportParser parser = new ReportParser(maxReportBytes);
        this.session = new StoreSession(database);
        this.history = new History(session);
        this.recording = new Recording(session, parser);
        this.runs = new Runs(session, parser, history);
        this.corrections = new Corrections(session, history);
        this.budgets = new Budgets(session);
        this.analysis = new Analysis(session, history, budgets);
        this.studies = new Studies(session, history, runs, recording);
        this.eventLog = new EventLog(session);
    }

    /**
     * Starts readying the SQLite driver on a second thread (native library, its logging, its date format), for a
     * fresh process about to open a store: that work then overlaps the command line's parsing. Opening a store
     * waits for it, so calling this is never needed for correctness.
     */
    public static void prepareStore() {
        SqliteDriverPreload.start();
    }

    /**
     * Sends the store's notices (a new database created) to {@code sink}, e.g. the CLI's stderr writer; by default
     * they go to the process's stderr. Call before the first use case.
     */
    public Autotune noticesTo(java.util.function.Consumer<String> sink) {
        session.noticesTo(sink);
        return this;
    }

    /**
     * For a command that only reads: a database file that does not exist is a typo, not a new empty history, so it
     * is refused instead of created. A server database is opened as given (it says itself when it is not there).
     */
    public static Autotune existing(StoreLocation database) {
        Path dbPath = database.isServer() ? null : database.url().file();
        if (dbPath != null && !Files.isRegularFile(dbPath)) {
            throw new UserError("db", dbPath + " does not exist"
                    + (Files.isDirectory(dbPath) ? " as a file (it is a directory)" : "")
                    + "; reading commands never create a database: record into it first (autotune ingest) or pass "
                    + "the right file");
        }
        return new Autotune(database);
    }

    /** The database; its {@code toString()} masks a password, so it may go into any message. */
    public StoreLocation database() {
        return session.database();
    }

    /**
     * Starts Axon for the life of this instance, for a long-running server: its event feed then brings other
     * processes' events into the read models (see {@link StoreSession#live}).
     */
    public void live() {
        session.live();
    }

    /**
     * Brings the read models up to date with the log and returns the position they stand at (what a cache of
     * rendered answers keys on); see {@link StoreSession#catchUp}.
     */
    public long catchUp() {
        return session.catchUp();
    }

    /** The session, for the test tree's fixtures (same package); the adapters never reach it. */
    StoreSession session() {
        return session;
    }

    public History history() {
        return history;
    }

    public Recording recording() {
        return recording;
    }

    public Runs runs() {
        return runs;
    }

    public Corrections corrections() {
        return corrections;
    }

    public Budgets budgets() {
        return budgets;
    }

    public Analysis analysis() {
        return analysis;
    }

    public Studies studies() {
        return studies;
    }

    public EventLog eventLog() {
        return eventLog;
    }

    @Override
    public void close() {
        session.close();
    }
}
