package dev.autotune.store;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Axon reads {@code min()/max()} aggregates with {@code getObject(i, Long.class)}, which sqlite-jdbc rejects when
 * the aggregate is NULL (an empty store, or a caught-up poll). {@code HAVING count(*) > 0} turns the NULL row into
 * no row, which Axon already maps to null, so the meaning is unchanged. Plain SQL, so PostgreSQL accepts it too.
 */
final class SqliteStatements {
    private SqliteStatements() {
    }

    static JdbcEventStorageEngine.Builder apply(JdbcEventStorageEngine.Builder builder) {
        return builder
                .createTailToken(SqliteStatements::createTailToken)
                .createHeadToken(SqliteStatements::createHeadToken)
                .createTokenAt(SqliteStatements::createTokenAt)
                .lastSequenceNumberFor(SqliteStatements::lastSequenceNumberFor)
                .fetchTrackedEvents(SqliteStatements::fetchTrackedEvents);
    }

    private static PreparedStatement createTailToken(Connection c, EventSchema s) throws SQLException {
        return c.prepareStatement("SELECT min(" + s.globalIndexColumn() + ") - 1 FROM " + s.domainEventTable()
                + " HAVING count(*) > 0");
    }

    private static PreparedStatement createHeadToken(Connection c, EventSchema s) throws SQLException {
        return c.prepareStatement("SELECT max(" + s.globalIndexColumn() + ") FROM " + s.domainEventTable()
                + " HAVING count(*) > 0");
    }

    private static PreparedStatement createTokenAt(Connection c, EventSchema s, Instant at) throws SQLException {
        PreparedStatement st = c.prepareStatement("SELECT min(" + s.globalIndexColumn() + ") - 1 FROM "
                + s.domainEventTable() + " WHERE " + s.timestampColumn() + " >= ? HAVING count(*) > 0");
        st.setString(1, org.axonframework.common.DateTimeUtils.formatInstant(at));
        return st;
    }

    private static PreparedStatement lastSequenceNumberFor(Connection c, EventSchema s, String aggregateId)
            throws SQLException {
        PreparedStatement st = c.prepareStatement("SELECT max(" + s.sequenceNumberColumn() + ") FROM "
                + s.domainEventTable() + " WHERE " + s.aggregateIdentifierColumn() + " = ? HAVING count(*) > 0");
        st.setString(1, aggregateId);
        return st;
    }

    private static PreparedStatement fetchTrackedEvents(Connection c, EventSchema s, long index)
            throws SQLException {
        PreparedStatement st = c.prepareStatement("SELECT min(" + s.globalIndexColumn() + ") FROM "
                + s.domainEventTable() + " WHERE " + s.globalIndexColumn() + " > ? HAVING count(*) > 0");
        st.setLong(1, index);
        return st;
    }
}
