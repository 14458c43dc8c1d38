package dev.autotune.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.autotune.domain.OneLine;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * One autotune database, a SQLite file or a PostgreSQL database: the event log and the projection tables. Opening
 * it brings the schema up to date with Flyway (the common migrations, then the vendor's own), and refuses a
 * database written by a newer autotune instead of misreading it.
 */
public final class Database implements AutoCloseable {
    /** The highest migration version this build ships; a test keeps it equal to the newest migration file. */
    public static final int SCHEMA_VERSION = 13;

    /** The processor whose position read-your-writes waits on. */
    public static final String PROJECTIONS = "projections";

    private final DatabaseUrl url;
    private final DataSource direct;
    private final StoreLock writeLock;
    private HikariDataSource pool;
    private JdbcTransactions transactions;
    /**
     * The direct SQLite connection the last read used, kept for the next one until the pool opens: each new
     * connection opens the file, reads the schema and sets the pragmas again, and a read-only command makes
     * several reads (the schema version, the log's and the read models' positions, the runs, the answer).
     */
    private Connection idle;

    private Database(DatabaseUrl url, DataSource direct, StoreLock writeLock) {
        this.url = url;
        this.direct = direct;
        this.writeLock = writeLock;
    }

    public static Database open(Path file) {
        return open(DatabaseUrl.sqlite(file));
    }

    /** Opens the SQLite file or the PostgreSQL database {@code url} names, bringing its schema up to date. */
    public static Database open(DatabaseUrl url) {
        Database db = url.isPostgres() ? postgres(url) : sqliteFile(url.file());
        try {
            db.migrate();
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static Database sqliteFile(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path dir = absolute.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new StoreException("cannot open database " + file + ": directory " + dir + " does not exist");
        }
        if (Files.isDirectory(absolute)) {
            throw new StoreException("cannot open database " + file + ": it is a directory");
        }
        return new Database(DatabaseUrl.sqlite(absolute), sqlite(absolute), WriteLock.forDatabase(absolute));
    }

    private static Database postgres(DatabaseUrl url) {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setServerNames(new String[]{url.host()});
        pg.setPortNumbers(new int[]{url.port()});
        pg.setDatabaseName(url.database());
        pg.setUser(url.user());
        if (url.password() != null) {
            pg.setPassword(url.password());
        }
        pg.setApplicationName("autotune");
        // an unreachable server is one line after a few seconds, not a hang
        pg.setConnectTimeout(10);
        pg.setLoginTimeout(10);
        try {
            String query = url.jdbcUrl().contains("?") ? url.jdbcUrl().substring(url.jdbcUrl().indexOf('?') + 1) : "";
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    pg.setProperty(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1),
                            java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot open database " + url + ": " + OneLine.first(e.getMessage(), "unknown error"), e);
        }
        return new Database(url, pg, new AdvisoryLock(pg, url.toString()));
    }

    private static SQLiteDataSource sqlite(Path file) {
        SqliteDriverPreload.await();
        SqliteNativeLibrary.useCachedCopy();
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL in WAL mode survives an application crash; only power loss can drop the last commits
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        // take the write lock at BEGIN: a deferred read-then-write upgrade fails with BUSY_SNAPSHOT and no wait
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // a backstop against writers that bypass WriteLock, such as the sqlite3 shell
        sqlite.setBusyTimeout(5000);
        // a replay batch dirties pages all over the indexes; spilling them mid-transaction doubles the writes
        sqlite.setCacheSize(-65536);
        // an ingest dirties some 50 pages, mostly the same index pages as the one before; checkpointing every 4,000
        // WAL pages instead of SQLite's 1,000 copies each hot page back and syncs a quarter as often (issue 12)
        sqlite.setWalAutocheckpoint(4000);
        SQLiteDataSource raw = new SQLiteDataSource(sqlite);
        raw.setUrl("jdbc:sqlite:" + file);
        return raw;
    }

    /**
     * The pool is opened on first write: a read-only command answers from a few queries on one direct connection
     * and never pays for the pool (or the logging it brings up).
     */
    private synchronized HikariDataSource pool() {
        if (pool == null) {
            pool = pool(direct);
            closeIdle();
        }
        return pool;
    }

    private synchronized void closeIdle() {
        if (idle != null) {
            try {
                idle.close();
            } catch (SQLException e) {
                // a read-only connection with nothing open: nothing to lose
            }
            idle = null;
        }
    }

    private HikariDataSource pool(DataSource raw) {
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(raw);
        // a server has no single-writer file: readers (a serve's concurrent clients) each get a connection
        hikari.setMaximumPoolSize(url.isPostgres() ? 8 : 4);
        hikari.setMinimumIdle(0);
        hikari.setPoolName("autotune");
        hikari.setInitializationFailTimeout(-1);
        return new HikariDataSource(hikari);
    }

    private void migrate() {
        int current = appliedVersion();
        if (current == SCHEMA_VERSION) {
            return;
        }
        if (current > SCHEMA_VERSION) {
            throw new StoreException("database " + url + " has schema version " + current
                    + ", newer than this autotune understands (" + SCHEMA_VERSION + "); use a newer autotune");
        }
        // several processes may open a fresh file at once; only one may run the migrations
        writeLock.lock();
        try {
            Flyway.configure()
                    .dataSource(direct)
                    .locations("classpath:db/migration/common",
                            "classpath:db/migration/" + (url.isPostgres() ? "postgresql" : "sqlite"))
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate database " + url + ": " + OneLine.first(e.getMessage(), "unknown error"), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Reads the schema version directly: starting Flyway costs more than most commands take. */
    private int appliedVersion() {
        Connection c = null;
        try {
            // a server's read connections come from the pool, which only a write or a read after opening starts
            c = url.isPostgres() ? direct.getConnection() : connect();
            int version = appliedVersion(c);
            release(c);
            c = null;
            return version;
        } catch (SQLException e) {
            throw new StoreException("cannot " + (url.isPostgres() ? "open" : "read") + " database " + url + ": "
                    + OneLine.first(e.getMessage(), "unknown error"), e);
        } catch (NumberFormatException e) {
            throw new StoreException("database " + url + " has an unreadable schema history", e);
        } finally {
            closeAfterFailure(c);
        }
    }

    private int appliedVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            // on a server, only the schema autotune works in (the connection's current one) counts
            try (ResultSet tables = c.getMetaData().getTables(null, url.isPostgres() ? c.getSchema() : null,
                    "flyway_schema_history", null)) {
                if (!tables.next()) {
                    return 0;
                }
            }
            int max = 0;
            try (ResultSet rs = st.executeQuery("SELECT version FROM flyway_schema_history WHERE success")) {
                while (rs.next()) {
                    String v = rs.getString(1);
                    if (v != null) {
                        max = Math.max(max, Integer.parseInt(v.split("\\.")[0]));
                    }
                }
            }
            return max;
        }
    }

    /** The SQLite file; null on PostgreSQL. */
    public Path file() {
        return url.file();
    }

    /** Which database this is; its {@code toString()} masks a password. */
    public DatabaseUrl url() {
        return url;
    }

    public boolean isPostgres() {
        return url.isPostgres();
    }

    /**
     * Whether the runners of this database's running experiments are alive: OS file locks next to a SQLite file,
     * session advisory locks on PostgreSQL (runners on other machines hold them there).
     */
    public RunLiveness runLiveness() {
        return url.isPostgres() ? new AdvisoryRunLiveness(direct, url.toString()) : FileRunLiveness.forDatabase(url.file());
    }

    /** Pooled connections for Axon and the write path. */
    public DataSource dataSource() {
        return pool();
    }

    public synchronized JdbcTransactions transactions() {
        if (transactions == null) {
            transactions = new JdbcTransactions(pool(), writeLock, url.isPostgres());
        }
        return transactions;
    }

    /** Runs {@code work} in one write transaction on a connection bound to this thread. */
    public <T> T inTransaction(SqlWork<T> work) {
        JdbcTransactions transactions = transactions();
        var tx = transactions.startTransaction();
        try {
            T result;
            try (Connection c = transactions.getConnection()) {
                result = work.run(c);
            }
            tx.commit();
            return result;
        } catch (SQLException e) {
            tx.rollback();
            throw new StoreException("database " + url + ": " + OneLine.first(e.getMessage(), "unknown error"), e);
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        }
    }

    /**
     * Runs {@code work} holding the write lock, so no thread or process appends meanwhile: a check-then-append
     * inside (the duplicate-report check, then the ingest) sees the same log it appends to. Writes inside take
     * the lock again, which is reentrant.
     */
    public <T> T exclusively(Supplier<T> work) {
        writeLock.lock();
        try {
            return work.get();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Whether this thread is inside a write transaction: its reads see its own uncommitted writes, which a read
     * on another thread would not.
     */
    public boolean inTransactionOnThisThread() {
        JdbcTransactions tx;
        synchronized (this) {
            tx = transactions;
        }
        return tx != null && tx.inTransaction();
    }

    /** Runs a read on an auto-commit connection: WAL readers never wait for the writer. */
    public <T> T read(SqlWork<T> work) {
        JdbcTransactions tx;
        synchronized (this) {
            tx = transactions;
        }
        if (tx != null && tx.inTransaction()) {
            try (Connection c = tx.getConnection()) {
                return work.run(c);
            } catch (SQLException e) {
                throw new StoreException("database " + url + ": " + OneLine.first(e.getMessage(), "unknown error"), e);
            }
        }
        Connection c = null;
        try {
            c = connect();
            T result = work.run(c);
            release(c);
            c = null;
            return result;
        } catch (SQLException e) {
            throw new StoreException("database " + url + ": " + OneLine.first(e.getMessage(), "unknown error"), e);
        } finally {
            closeAfterFailure(c);
        }
    }

    private Connection connect() throws SQLException {
        HikariDataSource p;
        synchronized (this) {
            p = pool;
            if (p == null && idle != null) {
                Connection c = idle;
                idle = null;
                return c;
            }
        }
        // a server connection costs a login: reads share the pool there
        return p != null ? p.getConnection() : url.isPostgres() ? pool().getConnection() : direct.getConnection();
    }

    /**
     * Done reading on {@code c}: a direct SQLite connection is kept for the next read while there is no pool and
     * none kept yet (a pooled one goes back to its pool).
     */
    private void release(Connection c) throws SQLException {
        synchronized (this) {
            if (pool == null && idle == null && !url.isPostgres() && c.getAutoCommit()) {
                idle = c;
                return;
            }
        }
        c.close();
    }

    /** A read that failed: its connection is closed, never kept (it may be what failed). */
    private static void closeAfterFailure(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // the read's own error is the one to report
            }
        }
    }

    /** The index of the last event in the log, 0 when it is empty. */
    public long head() {
        return read(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT max(globalIndex) FROM DomainEventEntry")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** The index of the last event the read models include. */
    public long projectionPosition() {
        return read(c -> {
            try (var st = c.prepareStatement("SELECT position FROM projection_position WHERE processor_name = ?")) {
                st.setString(1, PROJECTIONS);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /**
     * What a cache of answers keys on: changes whenever the read models change. On SQLite the position; on
     * PostgreSQL the settled position plus the events projected above it (writers project their own events
     * out of log order there, see {@code AxonStore.advance}), which grows with every projected event.
     */
    public long projectionVersion() {
        if (!url.isPostgres()) {
            return projectionPosition();
        }
        return read(c -> {
            try (var st = c.prepareStatement("SELECT w.p + (SELECT count(*) FROM projected_event WHERE global_index > w.p)"
                    + " FROM (SELECT coalesce((SELECT position FROM projection_position WHERE processor_name = ?), 0) AS p) w")) {
                st.setString(1, PROJECTIONS);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * True when a read-only command can answer straight from the tables, without starting Axon. Every command
     * asks this first, so both positions come from one read.
     */
    public boolean projectionsCurrent() {
        return currentPosition() >= 0;
    }

    /**
     * The position the read models have read the log to when that is its end, or -1 when they are behind: the
     * check and the position a cache keys on, in one read.
     */
    public long currentPosition() {
        return read(c -> {
            try (var st = c.prepareStatement("SELECT (SELECT position FROM projection_position WHERE processor_name = ?),"
                    + " (SELECT max(globalIndex) FROM DomainEventEntry)")) {
                st.setString(1, PROJECTIONS);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    long position = rs.getLong(1);
                    return position >= rs.getLong(2) ? position : -1L;
                }
            }
        });
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    @Override
    public synchronized void close() {
        closeIdle();
        if (pool != null) {
            pool.close();
        }
        if (writeLock instanceof AdvisoryLock advisory) {
            advisory.close();
        }
    }
}
