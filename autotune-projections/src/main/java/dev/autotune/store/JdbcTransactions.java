package dev.autotune.store;

import com.zaxxer.hikari.HikariDataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.ConnectionWrapperFactory;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Axon 4 ships no JDBC transaction manager outside Spring. This one binds a connection to the thread for the
 * length of a transaction, so the event append, the projection writes and the token update of a batch commit
 * together. On SQLite every transaction holds the store's {@link StoreLock}: BEGIN therefore never meets SQLITE_BUSY, which
 * also avoids sqlite-jdbc's poisoned-autocommit bug (xerial/sqlite-jdbc#683).
 *
 * <p>On PostgreSQL (issue 15) a transaction takes no lock at all when it starts: writers run at once. Instead it
 * asks for its transaction id first ({@code txid_current()}), before it can number any event, so that a reader
 * can tell when every event numbered up to some index is settled (committed or rolled back for good): see
 * {@code AxonStore.advance}. What must still be one step (the duplicate check and its append) takes
 * transaction-scoped advisory locks of its own.
 */
public final class JdbcTransactions implements TransactionManager, ConnectionProvider {
    private final DataSource dataSource;
    private final StoreLock writeLock;
    private final ThreadLocal<Bound> bound = new ThreadLocal<>();
    /** PostgreSQL: concurrent transactions, each with its transaction id taken at BEGIN; no shared lock. */
    private final boolean concurrent;

    public JdbcTransactions(DataSource dataSource, StoreLock writeLock) {
        this(dataSource, writeLock, false);
    }

    public JdbcTransactions(DataSource dataSource, StoreLock writeLock, boolean concurrent) {
        this.dataSource = dataSource;
        this.writeLock = writeLock;
        this.concurrent = concurrent;
    }

    /** True on PostgreSQL, where write transactions run at once and no transaction takes the write lock. */
    public boolean concurrent() {
        return concurrent;
    }

    @Override
    public Transaction startTransaction() {
        return start(true);
    }

    /**
     * PostgreSQL: a transaction whose first statement, made by the caller, takes the transaction id itself
     * ({@code txid_current()}), saving a round trip; the same as {@link #startTransaction()} elsewhere.
     */
    public Transaction startTransactionTakingIdFirst() {
        return start(false);
    }

    private Transaction start(boolean takeId) {
        Bound outer = bound.get();
        if (outer != null) {
            outer.depth++;
            return new Nested(outer);
        }
        if (!concurrent) {
            writeLock.lock();
        }
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            if (concurrent && takeId) {
                // the id is what tells readers this transaction may still hold event numbers it has not committed
                try (java.sql.Statement st = connection.createStatement()) {
                    st.execute("SELECT txid_current()");
                }
            }
            Bound b = new Bound(connection);
            bound.set(b);
            return new Outer(b);
        } catch (SQLException | RuntimeException e) {
            discard(connection);
            if (!concurrent) {
                writeLock.unlock();
            }
            throw new StoreException("cannot start a transaction: " + e.getMessage(), e);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        Bound b = bound.get();
        if (b != null) {
            // the transaction owns the connection and closes it on commit or rollback
            return ConnectionWrapperFactory.wrap(b.connection, new ConnectionWrapperFactory.NoOpCloseHandler());
        }
        return dataSource.getConnection();
    }

    /** True when the current thread is inside a transaction started here. */
    public boolean inTransaction() {
        return bound.get() != null;
    }

    private void discard(Connection connection) {
        if (connection == null) {
            return;
        }
        if (dataSource instanceof HikariDataSource hikari) {
            // a connection whose BEGIN or COMMIT failed may carry a stale autocommit flag; never reuse it
            hikari.evictConnection(connection);
        } else {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already unusable
            }
        }
    }

    private static final class Bound {
        final Connection connection;
        int depth = 1;
        boolean rollbackOnly;

        Bound(Connection connection) {
            this.connection = connection;
        }
    }

    private final class Outer implements Transaction {
        private final Bound b;

        Outer(Bound b) {
            this.b = b;
        }

        @Override
        public void commit() {
            if (b.rollbackOnly) {
                rollback();
                throw new StoreException("transaction rolled back: an inner unit of work failed");
            }
            try {
                b.connection.commit();
                finish(false);
            } catch (SQLException e) {
                rollbackQuietly();
                finish(true);
                throw new StoreException("commit failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void rollback() {
            finish(!rollbackQuietly());
        }

        private boolean rollbackQuietly() {
            try {
                b.connection.rollback();
                return true;
            } catch (SQLException e) {
                return false;
            }
        }

        private void finish(boolean broken) {
            bound.remove();
            try {
                if (broken) {
                    discard(b.connection);
                } else {
                    b.connection.setAutoCommit(true);
                    b.connection.close();
                }
            } catch (SQLException e) {
                discard(b.connection);
            } finally {
                if (!concurrent) {
                    writeLock.unlock();
                }
            }
        }
    }

    private static final class Nested implements Transaction {
        private final Bound b;

        Nested(Bound b) {
            this.b = b;
        }

        @Override
        public void commit() {
            b.depth--;
        }

        @Override
        public void rollback() {
            b.depth--;
            b.rollbackOnly = true;
        }
    }
}
