package dev.autotune.store;

import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * SQLite has no {@code SELECT ... FOR UPDATE}; the row lock it stands for is already given by the
 * {@link WriteLock} that every transaction holds, so a plain select is equivalent.
 */
final class SqliteTokenStore extends JdbcTokenStore {
    SqliteTokenStore(Builder builder) {
        super(builder);
    }

    @Override
    protected PreparedStatement selectForUpdate(Connection connection, String processorName, int segment)
            throws SQLException {
        return select(connection, processorName, segment, false);
    }
}
