package dev.autotune.store;

import dev.autotune.domain.OneLine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Run leases on PostgreSQL: a session advisory lock per run, held on a connection of the runner's own for the run's
 * whole life. The server drops it when that session ends (the runner exits, is killed, or its machine or network goes),
 * so a runner on any machine is seen alive exactly while it holds it. Every run on a PostgreSQL store was started by
 * an autotune that takes a lease, so a lease nobody holds means the runner is gone ({@link State#FREE}).
 */
final class AdvisoryRunLiveness implements RunLiveness {
    /** Run leases use the two-key form with this class key, apart from the write section's one-key lock. */
    private static final int RUN_LEASES = 0x52554e31;

    private final DataSource source;
    private final String name;

    AdvisoryRunLiveness(DataSource source, String name) {
        this.source = source;
        this.name = name;
    }

    /** Run ids are UUIDs: their hash is the lease's second key (a collision only makes a dead run look alive). */
    private static int key(String runId) {
        try {
            UUID id = UUID.fromString(runId);
            long bits = id.getMostSignificantBits() ^ id.getLeastSignificantBits();
            return (int) (bits ^ (bits >>> 32));
        } catch (IllegalArgumentException e) {
            return runId.hashCode();
        }
    }

    @Override
    public Optional<Lease> tryHold(String runId) {
        Connection session = null;
        try {
            session = source.getConnection();
            session.setAutoCommit(true);
            if (!tryLock(session, runId)) {
                session.close();
                return Optional.empty();
            }
            Connection held = session;
            return Optional.of(() -> {
                try {
                    held.close(); // ends the session, which releases the lease
                } catch (SQLException ignored) {
                    // the server releases it when it notices the session is gone
                }
            });
        } catch (SQLException e) {
            if (session != null) {
                try {
                    session.close();
                } catch (SQLException ignored) {
                    // already unusable
                }
            }
            throw new StoreException("cannot take the lease of run " + runId + " in " + name + ": "
                    + OneLine.first(e.getMessage(), "unknown error"), e);
        }
    }

    @Override
    public State probe(String runId) {
        try (Connection c = source.getConnection()) {
            c.setAutoCommit(true);
            if (!tryLock(c, runId)) {
                return State.HELD;
            }
            try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                st.setInt(1, RUN_LEASES);
                st.setInt(2, key(runId));
                st.execute();
            }
            return State.FREE;
        } catch (SQLException e) {
            throw new StoreException("cannot ask about the lease of run " + runId + " in " + name + ": "
                    + OneLine.first(e.getMessage(), "unknown error"), e);
        }
    }

    private static boolean tryLock(Connection c, String runId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            st.setInt(1, RUN_LEASES);
            st.setInt(2, key(runId));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
