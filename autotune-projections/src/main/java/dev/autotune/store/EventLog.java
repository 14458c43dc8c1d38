package dev.autotune.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the event log itself (Axon's {@code DomainEventEntry}), for a live feed of what was appended. Only the
 * store knows that table; the read models never read it.
 */
public final class EventLog {
    private final Database db;

    public EventLog(Database db) {
        this.db = db;
    }

    /** One appended event: its global index, the payload's simple class name, its aggregate and when. */
    public record Entry(long index, String type, String aggregateId, Instant at) {
    }

    /** The events after {@code after} up to {@code upTo}, oldest first, at most {@code limit}. */
    public List<Entry> after(long after, long upTo, int limit) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT globalIndex, payloadType, aggregateIdentifier, "
                    + "timeStamp FROM DomainEventEntry WHERE globalIndex > ? AND globalIndex <= ? "
                    + "ORDER BY globalIndex LIMIT ?")) {
                st.setLong(1, after);
                st.setLong(2, upTo);
                st.setInt(3, limit);
                try (ResultSet rs = st.executeQuery()) {
                    List<Entry> out = new ArrayList<>();
                    while (rs.next()) {
                        String type = rs.getString(2);
                        String simple = type.substring(Math.max(type.lastIndexOf('.'), type.lastIndexOf('$')) + 1);
                        out.add(new Entry(rs.getLong(1), simple, rs.getString(3), Instant.parse(rs.getString(4))));
                    }
                    return out;
                }
            }
        });
    }
}
