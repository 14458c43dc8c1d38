package dev.autotune.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A projection: event handlers that fill tables it alone owns, which a rebuild may empty and refill. */
public interface ReadModel {
    /** Deletes every row this projection owns, inside the rebuild transaction. */
    void reset(Connection connection) throws SQLException;
}
