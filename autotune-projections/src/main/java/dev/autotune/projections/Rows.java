package dev.autotune.projections;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Binding and reading the column types every projection shares. */
final class Rows {
    private Rows() {
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
        return text == null ? null : Instant.parse(text);
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
