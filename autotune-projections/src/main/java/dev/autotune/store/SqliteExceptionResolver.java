package dev.autotune.store;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.SQLIntegrityConstraintViolationException;

/**
 * Axon's default resolver only knows {@link SQLIntegrityConstraintViolationException}; sqlite-jdbc reports a
 * duplicate (aggregate id, sequence number) as a plain {@link SQLiteException} with a constraint result code.
 * Recognising it lets a concurrent append surface as Axon's ConcurrencyException family instead of a generic
 * store failure. PostgreSQL's unique_violation SQLState 23505 is recognised as well.
 */
final class SqliteExceptionResolver implements PersistenceExceptionResolver {
    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SQLIntegrityConstraintViolationException) {
                return true;
            }
            if (t instanceof SQLiteException e) {
                SQLiteErrorCode code = e.getResultCode();
                if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
                    return true;
                }
            }
            if (t instanceof java.sql.SQLException e && "23505".equals(e.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
