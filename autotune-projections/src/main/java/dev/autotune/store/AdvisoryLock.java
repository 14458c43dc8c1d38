package dev.autotune.store;

import dev.autotune.domain.OneLine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The write section on PostgreSQL: a session-level advisory lock, held on a connection of its own from lock to
 * unlock, so it spans the transactions inside (the duplicate check, then the append). Advisory locks are scoped to
 * the database, shared by every process on every machine that writes it, and the server drops one when its session
 * ends, so a writer killed mid-write never blocks the others.
 *
 * <p>Why every write transaction takes it, not only check-then-append: PostgreSQL hands out event numbers
 * (globalIndex) from a sequence at INSERT, and concurrent transactions may commit in another order, leaving a
 * gap that fills later. Axon's streaming readers track such gaps in a {@code GapAwareTrackingToken}; autotune's
 * read models keep a single position, so they rely on this lock instead: a transaction numbers its events and
 * commits before the next writer starts, every gap a reader can see is a rolled-back append that never fills,
 * and catching up from the position never skips a late-committed event.
 */
final class AdvisoryLock implements StoreLock {
    /**
     * "autotune" in ASCII: the whole-store key. This lock takes it exclusively for a session (migrations, import,
     * the reset of a rebuild); since issue 15 writers take it shared for their transaction only, see
     * {@code AxonStore.appendAndProject}.
     */
    static final long KEY = 0x6175746f74756e65L;

    private final ReentrantLock jvmLock = new ReentrantLock(true);
    private final DataSource source;
    private final String name;
    private Connection session;

    AdvisoryLock(DataSource source, String name) {
        this.source = source;
        this.name = name;
    }

    @Override
    public void lock() {
        jvmLock.lock();
        if (jvmLock.getHoldCount() > 1) {
            return;
        }
        try {
            call("SELECT pg_advisory_lock(?)");
        } catch (SQLException first) {
            // the kept session may have been closed by the server (restart, idle timeout): one fresh try
            closeSession();
            try {
                call("SELECT pg_advisory_lock(?)");
            } catch (SQLException | RuntimeException e) {
                closeSession();
                jvmLock.unlock();
                throw new StoreException("cannot lock " + name + " for writing: " + OneLine.first(e.getMessage(), "unknown error"), e);
            }
        } catch (RuntimeException e) {
            closeSession();
            jvmLock.unlock();
            throw e;
        }
    }

    @Override
    public void unlock() {
        try {
            if (jvmLock.getHoldCount() == 1) {
                try {
                    call("SELECT pg_advisory_unlock(?)");
                } catch (SQLException e) {
                    // closing the session releases the lock as well
                    closeSession();
                }
            }
        } finally {
            jvmLock.unlock();
        }
    }

    private void call(String sql) throws SQLException {
        if (session == null) {
            session = source.getConnection();
            session.setAutoCommit(true);
        }
        try (PreparedStatement st = session.prepareStatement(sql)) {
            st.setLong(1, KEY);
            st.execute();
        }
    }

    /** Ends the lock's session; the server releases anything it held. */
    void close() {
        jvmLock.lock();
        try {
            closeSession();
        } finally {
            jvmLock.unlock();
        }
    }

    private void closeSession() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException ignored) {
                // the session is gone either way
            }
            session = null;
        }
    }
}
