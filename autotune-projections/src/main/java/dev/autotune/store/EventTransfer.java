package dev.autotune.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.autotune.domain.OneLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole event log as JSON Lines, out of one store and into another: one event per line with every column of
 * Axon's {@code DomainEventEntry} as stored (payload and metadata as the exact text, so nothing is re-encoded and a
 * round trip is byte for byte), oldest first. Both directions stream in pages, so memory stays constant whatever
 * the log's size. Like {@link EventLog}, only the store touches the event table.
 *
 * <p>Import fills an empty store only, in one transaction under the write lock, keeping every event's global index:
 * the imported log is the exported one, and an import that fails half way leaves nothing behind. Merging two
 * histories is refused rather than guessed at (their experiment numbers would collide).
 */
public final class EventTransfer {
    /** The columns, in the order each line lists them. */
    private static final String[] COLUMNS = {"globalIndex", "eventIdentifier", "aggregateIdentifier", "sequenceNumber",
            "type", "payloadType", "payloadRevision", "timeStamp", "metaData", "payload"};
    private static final int PAGE = 1000;
    /**
     * Reads what {@link #export} writes, whatever its size: Jackson's default cap on one string (20 MB) is below an
     * event's payload text a large space gives, and the export has no such cap. A line is held whole anyway.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private final Database db;

    public EventTransfer(Database db) {
        this.db = db;
    }

    /** Writes every event to {@code out}, one JSON object per line; returns how many. */
    public long export(Writer out) {
        long after = 0;
        long count = 0;
        while (true) {
            long from = after;
            long[] page = db.read(c -> writePage(c, from, out));
            count += page[0];
            if (page[0] < PAGE) {
                return count;
            }
            after = page[1];
        }
    }

    private static long[] writePage(Connection c, long after, Writer out) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + String.join(", ", COLUMNS)
                + " FROM DomainEventEntry WHERE globalIndex > ? ORDER BY globalIndex LIMIT " + PAGE)) {
            st.setLong(1, after);
            long n = 0;
            long last = after;
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    JsonGenerator g = FACTORY.createGenerator(out);
                    g.writeStartObject();
                    g.writeNumberField(COLUMNS[0], last);
                    g.writeStringField(COLUMNS[1], rs.getString(2));
                    g.writeStringField(COLUMNS[2], rs.getString(3));
                    g.writeNumberField(COLUMNS[3], rs.getLong(4));
                    for (int i = 5; i <= COLUMNS.length; i++) {
                        g.writeStringField(COLUMNS[i - 1], rs.getString(i));
                    }
                    g.writeEndObject();
                    g.flush();
                    out.write('\n');
                    n++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new long[]{n, last};
        }
    }

    /** A line of an import file that cannot be imported: which line, and why. */
    public static final class BadLine extends RuntimeException {
        private final long line;

        BadLine(long line, String message) {
            // one line, and never the file's content at length: a field can be megabytes
            super("line " + line + ": " + (message.length() > 300 ? message.substring(0, 300) + " ..." : message)
                    .replaceAll("\\R", " "));
            this.line = line;
        }

        public long line() {
            return line;
        }
    }

    /**
     * Projects the events just imported, in the import's transaction; a failure names the event by its global index,
     * which the import turns into the line.
     */
    interface Projection {
        void project(Connection c) throws ProjectionFailed;
    }

    /** An imported event a read model cannot take. */
    static final class ProjectionFailed extends StoreException {
        final long index;

        ProjectionFailed(long index, String message, Throwable cause) {
            super(message, cause);
            this.index = index;
        }
    }

    /**
     * Appends every event {@code in} holds to this store, which must hold none, checking each against {@code check}
     * and then projecting them all with {@code projection}, in one transaction under the write lock: any line that is
     * not an autotune event, or that a read model cannot take, rolls everything back. Returns how many.
     *
     * @throws BadLine        for a line that is not an event, or out of order, or already there, or not projectable
     * @throws StoreException when the store is not empty
     */
    long importFrom(BufferedReader in, EventCheck check, Projection projection) {
        return db.exclusively(() -> db.inTransaction(c -> {
            // on PostgreSQL exclusively() holds the whole-store key, which every writer takes shared: none runs meanwhile
            long existing = count(c);
            if (existing > 0) {
                throw new StoreException(db.url() + " already holds " + existing + " events; events import only fills "
                        + "an empty store (import into a new database, or export this one too and start afresh)");
            }
            long imported = 0;
            long lineNo = 0;
            Numbers numbers = new Numbers();
            long lastIndex = 0;
            // the line of each imported index, to name the line a read model refuses
            java.util.TreeMap<Long, Long> lines = new java.util.TreeMap<>();
            try (PreparedStatement st = c.prepareStatement("INSERT INTO DomainEventEntry (" + String.join(", ", COLUMNS)
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                String line;
                int batched = 0;
                long batchStart = 1;
                while ((line = in.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    Map<String, Object> event = parse(line, lineNo);
                    long index = (Long) event.get(COLUMNS[0]);
                    if (index <= lastIndex) {
                        throw new BadLine(lineNo, "globalIndex " + index + " does not follow " + lastIndex
                                + " (the file is not an export in log order)");
                    }
                    try {
                        check.check(event);
                    } catch (IllegalArgumentException e) {
                        throw new BadLine(lineNo, e.getMessage());
                    }
                    lastIndex = index;
                    lines.put(index, lineNo);
                    numbers.see((String) event.get("payloadType"), (String) event.get("metaData"));
                    for (int i = 0; i < COLUMNS.length; i++) {
                        Object v = event.get(COLUMNS[i]);
                        if (v == null) {
                            st.setNull(i + 1, Types.NULL);
                        } else if (v instanceof Long l) {
                            st.setLong(i + 1, l);
                        } else {
                            st.setString(i + 1, (String) v);
                        }
                    }
                    st.addBatch();
                    if (batched++ == 0) {
                        batchStart = lineNo;
                    }
                    imported++;
                    if (batched == PAGE) {
                        flush(st, batchStart, lineNo);
                        batched = 0;
                    }
                }
                if (batched > 0) {
                    flush(st, batchStart, lineNo);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (db.isPostgres() && imported > 0) {
                // the explicit indexes bypassed the identity sequence; the next append numbers after them
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT setval(pg_get_serial_sequence('domainevententry', 'globalindex'), "
                            + "(SELECT max(globalIndex) FROM DomainEventEntry))");
                }
                if (numbers.highest > 0) {
                    // and the next experiment is numbered after every imported one (see AxonStore.NUMBER)
                    try (PreparedStatement st = c.prepareStatement("SELECT setval('experiment_number_seq', ?)")) {
                        st.setLong(1, numbers.highest);
                        st.execute();
                    }
                }
            }
            try {
                projection.project(c);
            } catch (ProjectionFailed e) {
                Long at = lines.get(e.index);
                throw new BadLine(at == null ? lineNo : at, "a read model cannot take this event: "
                        + OneLine.first(rootMessage(e), "unknown error"));
            }
            return imported;
        }));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /**
     * The experiment numbers the imported log gives, as {@code ExperimentNumbers} assigns them: the number an
     * {@code ExperimentStarted} carries in its metadata, else the highest so far plus one.
     */
    private static final class Numbers {
        long highest;

        void see(String payloadType, String metaData) {
            if (!"dev.autotune.domain.ExperimentApi$ExperimentStarted".equals(payloadType)) {
                return;
            }
            long given = 0;
            if (metaData != null && metaData.contains(AxonStore.NUMBER)) {
                try {
                    var node = Json.mapper().readTree(metaData).get(AxonStore.NUMBER);
                    given = node == null ? 0 : node.asLong();
                } catch (IOException e) {
                    given = 0;
                }
            }
            highest = given > 0 ? Math.max(highest, given) : highest + 1;
        }
    }

    private static void flush(PreparedStatement st, long firstLine, long lastLine) {
        try {
            st.executeBatch();
        } catch (SQLException e) {
            SQLException cause = e.getNextException() != null ? e.getNextException() : e;
            throw new BadLine(firstLine, (firstLine == lastLine ? "" : "(or a line up to " + lastLine + ") ")
                    + OneLine.first(cause.getMessage(), "cannot be stored"));
        }
    }

    private static long count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM DomainEventEntry")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, Object> parse(String line, long lineNo) {
        Map<String, Object> event = new LinkedHashMap<>();
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadLine(lineNo, "not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_NUMBER_INT) {
                    event.put(name, p.getLongValue());
                } else if (value == JsonToken.VALUE_STRING) {
                    event.put(name, p.getText());
                } else if (value == JsonToken.VALUE_NULL) {
                    event.put(name, null);
                } else {
                    throw new BadLine(lineNo, "field '" + name + "' must be a string or an integer");
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new BadLine(lineNo, "more than one JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new BadLine(lineNo, "not JSON: " + OneLine.first(e.getOriginalMessage(), "unreadable"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String required : new String[]{"globalIndex", "eventIdentifier", "aggregateIdentifier", "sequenceNumber",
                "payloadType", "timeStamp", "payload"}) {
            if (event.get(required) == null) {
                throw new BadLine(lineNo, "no '" + required + "'");
            }
        }
        for (String number : new String[]{"globalIndex", "sequenceNumber"}) {
            if (!(event.get(number) instanceof Long)) {
                throw new BadLine(lineNo, "'" + number + "' must be an integer");
            }
        }
        for (String key : event.keySet()) {
            if (!java.util.Arrays.asList(COLUMNS).contains(key)) {
                throw new BadLine(lineNo, "unknown field '" + key + "'");
            }
            if (!key.equals("globalIndex") && !key.equals("sequenceNumber") && event.get(key) instanceof Long) {
                throw new BadLine(lineNo, "'" + key + "' must be a string");
            }
        }
        return event;
    }
}
