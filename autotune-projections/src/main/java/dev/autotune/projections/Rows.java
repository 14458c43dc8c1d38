package dev.autotune.projections;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;

/** Binding and reading the column types every projection shares. */
final class Rows {
    private Rows() {
    }

    static void bind(PreparedStatement st, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p == null) {
                // untyped: PostgreSQL infers the column's type (a VARCHAR null into a BIGINT column is an error there)
                st.setNull(i + 1, Types.NULL);
            } else if (p instanceof Instant || p instanceof Enum<?>) {
                st.setString(i + 1, asText(p));
            } else {
                st.setObject(i + 1, p);
            }
        }
    }

    /**
     * The text {@link #bind} stores a time (ISO) or an enum (its name, lower case) as; null as null. What a row
     * reads back, for the summary JSON the list projection writes beside the row.
     */
    static String asText(Object value) {
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(java.util.Locale.ROOT);
        }
        return value == null ? null : value.toString();
    }

    /** One statement that writes, with its parameters bound as {@link #bind} does. */
    static void update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            st.executeUpdate();
        }
    }

    /**
     * Reads the text {@link Instant#toString()} wrote. A list reads two per row, and the general ISO parser
     * costs more than the rest of the row together, so that exact shape is read field by field.
     */
    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        if (n < 20 || text.charAt(4) != '-' || text.charAt(10) != 'T' || text.charAt(n - 1) != 'Z'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return Instant.parse(text);
        }
        long day = LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10)).toEpochDay();
        long seconds = day * 86_400 + digits(text, 11, 13) * 3600L + digits(text, 14, 16) * 60L + digits(text, 17, 19);
        int nanos = 0;
        if (text.charAt(19) == '.') {
            int end = n - 1;
            if (end - 20 > 9) {
                return Instant.parse(text);
            }
            nanos = digits(text, 20, end);
            for (int i = end - 20; i < 9; i++) {
                nanos *= 10;
            }
        } else if (n != 20) {
            return Instant.parse(text);
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static int digits(String text, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalStateException("corrupt timestamp column: " + text);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * A text column, decoded here instead of in the driver: sqlite-jdbc builds each String by calling from native
     * code back into Java, which made reading the 10,000-row list a third slower. (PostgreSQL's driver also hands
     * out a text column's bytes, in the connection's UTF-8.)
     */
    static String text(ResultSet rs, int column) throws SQLException {
        byte[] utf8 = rs.getBytes(column);
        return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
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
