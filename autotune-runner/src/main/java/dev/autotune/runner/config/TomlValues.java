package dev.autotune.runner.config;

import dev.autotune.domain.OneLine;
import org.tomlj.MutableTomlArray;
import org.tomlj.MutableTomlTable;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Typing rules for value text given on the command line ({@code --set key=value}) or to {@link ConfigDeriver}.
 *
 * <p>The text is parsed as a TOML value: {@code 8} is an integer, {@code 0.9} a float, {@code true} a boolean,
 * {@code "x"} or {@code 'x'} a string, {@code [1, 2]} an array, {@code {a = 1}} an inline table. Text that is not a
 * TOML value and does not start like a string, array or table ({@code "}, {@code '}, {@code [}, {@code {}) is a
 * <em>bare word</em> and becomes a string as written, e.g. {@code Qwen/Qwen3-0.6B} or {@code 0,1,2,3}. Empty text is
 * the empty string. Text that starts like a string/array/table but is not valid TOML is an error.
 *
 * <p>Against an existing value ({@link #parseFor}) the existing TOML type wins where the text allows it: a string
 * stays a string ({@code 8} over {@code "4"} gives {@code "8"}), an integer given to a float key becomes a float, an
 * integral float given to an integer key becomes an integer, {@code True}/{@code FALSE} over a boolean become
 * booleans. A bare word over a number or boolean is an error, as is a fractional float over an integer. An explicitly
 * quoted string, an array (a sweep) and an inline table are taken as written.
 *
 * <p>Plain Java forms ({@link #toJava}): Long, Double, Boolean, String, List (arrays), Map (tables); dates and times
 * become their ISO-8601 text.
 */
public final class TomlValues {
    private TomlValues() {
    }

    /** A parsed value in tomlj form, and whether it was a bare word (unquoted text taken as a string). */
    record Parsed(Object value, boolean bare, String text) {
    }

    /**
     * Parses value text into its plain Java form (Long, Double, Boolean, String, List, Map).
     *
     * @throws IllegalArgumentException with a one-line message when the text starts like a TOML string, array or table
     *                                  but is not a valid one
     */
    public static Object parse(String text) {
        return toJava(parseNative(text).value());
    }

    /**
     * Parses value text for a key whose current value is {@code existing} (plain Java or tomlj form, null when the key
     * is new), keeping the existing type as described in the class comment. Returns the plain Java form.
     *
     * @throws IllegalArgumentException with a one-line message when the text does not fit
     */
    public static Object parseFor(Object existing, String text) {
        return toJava(coerce(existing, parseNative(text)));
    }

    static Parsed parseNative(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no value given");
        }
        String t = text.strip();
        if (t.isEmpty()) {
            return new Parsed("", true, t);
        }
        TomlParseResult r = TomlFiles.parse("v = " + t);
        if (!r.hasErrors() && r.keySet().equals(Set.of("v"))) {
            return new Parsed(r.get("v"), false, t);
        }
        char c = t.charAt(0);
        if (c == '"' || c == '\'' || c == '[' || c == '{' || t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0) {
            String why = r.hasErrors() ? r.errors().get(0).getMessage() : "more than one value";
            throw new IllegalArgumentException("'" + OneLine.of(t) + "' is not a valid TOML value (" + OneLine.of(why) + ")");
        }
        return new Parsed(t, true, t);
    }

    /** Applies the existing-type rules; returns a tomlj-form value. */
    static Object coerce(Object existing, Parsed p) {
        Object v = p.value();
        if (existing == null) {
            return v;
        }
        String have = typeName(existing);
        if (existing instanceof String) {
            if (v instanceof Long || v instanceof Double || v instanceof Boolean || isDateTime(v)) {
                return p.text();
            }
            return v;
        }
        if (isArray(existing) || v instanceof TomlArray) {
            if (p.bare() && isArray(existing) && !allStrings(existing)) {
                throw mismatch(p, have);
            }
            return v;
        }
        if (isTable(existing)) {
            if (v instanceof TomlTable) {
                return v;
            }
            throw new IllegalArgumentException("is a table; set one of its keys instead (e.g. " + "<key>.<sub-key>=...)");
        }
        if (existing instanceof Boolean) {
            if (v instanceof Boolean) {
                return v;
            }
            if (p.bare() && (p.text().equalsIgnoreCase("true") || p.text().equalsIgnoreCase("false"))) {
                return Boolean.parseBoolean(p.text().toLowerCase(Locale.ROOT));
            }
            if (p.bare() || !(v instanceof String)) {
                throw mismatch(p, have);
            }
            return v;
        }
        if (existing instanceof Long) {
            if (v instanceof Long) {
                return v;
            }
            if (v instanceof Double d) {
                if (!d.isNaN() && !d.isInfinite() && d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                    return (long) d.doubleValue();
                }
                throw new IllegalArgumentException("'" + p.text() + "' is a float but the existing value is an integer");
            }
            if (p.bare() || !(v instanceof String)) {
                throw mismatch(p, have);
            }
            return v;
        }
        if (existing instanceof Double) {
            if (v instanceof Double) {
                return v;
            }
            if (v instanceof Long l) {
                return l.doubleValue();
            }
            if (p.bare() || !(v instanceof String)) {
                throw mismatch(p, have);
            }
            return v;
        }
        if (isDateTime(existing)) {
            if (p.bare()) {
                throw mismatch(p, have);
            }
            return v;
        }
        return v;
    }

    private static IllegalArgumentException mismatch(Parsed p, String have) {
        return new IllegalArgumentException("'" + OneLine.of(p.text()) + "' is not a valid " + have
                + " (the existing value is " + article(have) + have + "; quote it to force a string)");
    }

    private static String article(String type) {
        return "aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ";
    }

    private static boolean allStrings(Object array) {
        List<?> items = array instanceof TomlArray a ? a.toList() : (List<?>) array;
        return items.stream().allMatch(o -> o instanceof String);
    }

    static boolean isArray(Object o) {
        return o instanceof TomlArray || o instanceof List;
    }

    static boolean isTable(Object o) {
        return o instanceof TomlTable || o instanceof Map;
    }

    static boolean isDateTime(Object o) {
        return o instanceof OffsetDateTime || o instanceof LocalDateTime || o instanceof LocalDate
                || o instanceof LocalTime;
    }

    /** The TOML type name of a value: integer, float, boolean, string, array, table, datetime, date, time. */
    public static String typeName(Object o) {
        if (o instanceof Long || o instanceof Integer) {
            return "integer";
        }
        if (o instanceof Double || o instanceof Float) {
            return "float";
        }
        if (o instanceof Boolean) {
            return "boolean";
        }
        if (o instanceof String) {
            return "string";
        }
        if (isArray(o)) {
            return "array";
        }
        if (isTable(o)) {
            return "table";
        }
        if (o instanceof OffsetDateTime || o instanceof LocalDateTime) {
            return "datetime";
        }
        if (o instanceof LocalDate) {
            return "date";
        }
        if (o instanceof LocalTime) {
            return "time";
        }
        return o == null ? "null" : o.getClass().getSimpleName();
    }

    /** Converts a tomlj value into its plain Java form (Long, Double, Boolean, String, List, Map). */
    public static Object toJava(Object v) {
        if (v instanceof TomlTable t) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : t.keySet()) {
                m.put(k, toJava(t.get(List.of(k))));
            }
            return Collections.unmodifiableMap(m);
        }
        if (v instanceof TomlArray a) {
            List<Object> l = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                l.add(toJava(a.get(i)));
            }
            return Collections.unmodifiableList(l);
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (isDateTime(v)) {
            return v.toString();
        }
        return v;
    }

    /** Converts a value into something {@link MutableTomlTable#set} accepts (mutable copies of arrays/tables). */
    static Object toTomlj(Object v) {
        if (v instanceof TomlTable t) {
            return MutableTomlTable.copyOf(t);
        }
        if (v instanceof TomlArray a) {
            return MutableTomlArray.copyOf(a);
        }
        if (v instanceof Map<?, ?> m) {
            MutableTomlTable t = MutableTomlTable.createInline();
            m.forEach((k, x) -> t.set(List.of(String.valueOf(k)), toTomlj(x)));
            return t;
        }
        if (v instanceof List<?> l) {
            MutableTomlArray a = MutableTomlArray.createInline();
            l.forEach(x -> a.add(toTomlj(x)));
            return a;
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        return v;
    }

    /** Renders a plain Java or tomlj value as TOML value text (what {@link #parse} reads back to an equal value). */
    public static String render(Object v) {
        if (v instanceof String s) {
            return "\"" + Toml.tomlEscape(s) + "\"";
        }
        if (v instanceof Double d) {
            if (d.isNaN()) {
                return "nan";
            }
            if (d.isInfinite()) {
                return d > 0 ? "inf" : "-inf";
            }
            String s = d.toString();
            return s;
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(render(l.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v instanceof TomlArray a) {
            return render(toJava(a));
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? " " : ", ").append(Toml.joinKeyPath(List.of(String.valueOf(e.getKey()))))
                        .append(" = ").append(render(e.getValue()));
                first = false;
            }
            return sb.append(first ? "}" : " }").toString();
        }
        if (v instanceof TomlTable t) {
            return render(toJava(t));
        }
        return String.valueOf(v);
    }
}
