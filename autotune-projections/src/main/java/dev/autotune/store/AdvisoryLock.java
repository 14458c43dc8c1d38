package dev.autotune.store;

import dev.autotune.domain.OneLine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The whole-store lock on PostgreSQL: a session-level advisory lock, held on a connection of its own from lock to
 * unlock, so it spans the transactions inside. Advisory locks are scoped to the database, shared by every process
 * on every machine that writes it, and the server drops one when its session ends, so a holder killed mid-write
 * never blocks the others.
 *
 * <p>Since issue 15 ordinary writes do not take it: they run at once, each taking the same key shared for its
 * transaction (plus keys of its own for the duplicate check) and projecting its own events, with gaps in the
 * global sequence settled by {@code AxonStore.advance}. This session lock, exclusive, is what migrations,
 * {@code events import} and the reset of a rebuild take: they wait for the writes in flight and keep new ones out.
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
