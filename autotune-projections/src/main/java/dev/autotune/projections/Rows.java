package dev.autotune.projections;

import dev.autotune.store.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** The few row operations every projection repeats: numbering, merging a JSON map column, binding values. */
final class Rows {
    private Rows() {
    }

    /** The next short id in a projection's own table; replays assign the same numbers in the same order. */
    static int nextNumber(Connection c, String table) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT coalesce(max(number), 0) + 1 FROM " + table);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Adds {@code entries} to the JSON object stored in {@code table.column}; later values win. */
    static void mergeJson(Connection c, String table, String column, String experimentId, Map<String, ?> entries)
            throws SQLException {
        String current;
        try (PreparedStatement st = c.prepareStatement(
                "SELECT " + column + " FROM " + table + " WHERE experiment_id = ?")) {
            st.setString(1, experimentId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                current = rs.getString(1);
            }
        }
        TreeMap<String, Object> merged = Json.objectMap(current);
        merged.putAll(entries);
        update(c, "UPDATE " + table + " SET " + column + " = ? WHERE experiment_id = ?", Json.write(merged), experimentId);
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            return st.executeUpdate();
        }
    }

    static void bind(PreparedStatement st, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p == null) {
                st.setNull(i + 1, Types.VARCHAR);
            } else if (p instanceof Instant instant) {
                st.setString(i + 1, instant.toString());
            } else if (p instanceof Enum<?> e) {
                st.setString(i + 1, e.name().toLowerCase(java.util.Locale.ROOT));
            } else {
                st.setObject(i + 1, p);
            }
        }
    }

    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        // Instant.parse goes through DateTimeFormatter and allocates ~2 KB per call, which dominated paging
        // through the list; every stored time is Instant.toString's yyyy-MM-ddTHH:mm:ss[.fraction]Z, read here
        // by hand, and anything else still goes to Instant.parse
        int n = text.length();
        if (n >= 20 && n <= 30 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
                && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(n - 1) == 'Z'
                && (n == 20 || text.charAt(19) == '.' && n > 21)) {
            try {
                long days = java.time.LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10))
                        .toEpochDay();
                int seconds = digits(text, 11, 13) * 3600 + digits(text, 14, 16) * 60 + digits(text, 17, 19);
                int nanos = 0;
                if (n > 20) {
                    nanos = digits(text, 20, n - 1);
                    for (int i = n - 1 - 20; i < 9; i++) {
                        nanos *= 10;
                    }
                }
                if (seconds < 86_400) {
                    return Instant.ofEpochSecond(days * 86_400 + seconds, nanos);
                }
            } catch (RuntimeException e) {
                // not the usual form after all
            }
        }
        return Instant.parse(text);
    }

    private static int digits(String text, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(text);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static Integer integer(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static Long longValue(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
