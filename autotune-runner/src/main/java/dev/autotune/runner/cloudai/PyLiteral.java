package dev.autotune.runner.cloudai;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Python {@code repr} of plain data, as CloudAI writes DSE actions and observations into
 * {@code trajectory.csv}: dicts, lists, tuples, single- or double-quoted strings with escapes (also {@code r''},
 * {@code b''} prefixes), ints (with {@code _}), floats ({@code 1e-05}, {@code inf}, {@code nan}), {@code True},
 * {@code False}, {@code None}.
 *
 * <p>Result types: Map (insertion-ordered, keys as their Java value's text), List (also for tuples and sets), String,
 * Long (Double when out of range), Double, Boolean, null.
 */
public final class PyLiteral {
    private static final int MAX_DEPTH = 100;
    private final String s;
    private int i;
    private int depth;

    private PyLiteral(String s) {
        this.s = s;
    }

    /** @throws IllegalArgumentException with the position when the text is not a Python literal */
    public static Object parse(String text) {
        PyLiteral p = new PyLiteral(text == null ? "" : text);
        p.ws();
        Object v = p.value();
        p.ws();
        if (p.i != p.s.length()) {
            throw p.error("unexpected trailing text");
        }
        return v;
    }

    /** Parses a dict repr; anything else is an error. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseDict(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("expected a dict, got: " + text);
        }
        return (Map<String, Object>) v;
    }

    private Object value() {
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{':
                return dict();
            case '[':
                return seq('[', ']');
            case '(':
                return seq('(', ')');
            case '\'':
            case '"':
                return string();
            default:
                break;
        }
        if ((c == 'r' || c == 'R' || c == 'b' || c == 'B' || c == 'u' || c == 'U') && i + 1 < s.length()
                && (s.charAt(i + 1) == '\'' || s.charAt(i + 1) == '"')) {
            boolean raw = c == 'r' || c == 'R';
            i++;
            return raw ? rawString() : string();
        }
        if (Character.isLetter(c)) {
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            String word = s.substring(start, i);
            return switch (word) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                case "None" -> null;
                case "inf" -> Double.POSITIVE_INFINITY;
                case "nan" -> Double.NaN;
                default -> throw error("unknown name '" + word + "'");
            };
        }
        if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
            return number();
        }
        throw error("unexpected '" + c + "'");
    }

    private Map<String, Object> dict() {
        enter();
        expect('{');
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (peek('}')) {
            i++;
            depth--;
            return m;
        }
        while (true) {
            ws();
            if (peek('}')) { // trailing comma
                i++;
                depth--;
                return m;
            }
            Object k = value();
            ws();
            if (peek(',') || peek('}')) { // a set literal {1, 2}: not a dict, but keep going as a list
                throw error("sets are not supported");
            }
            expect(':');
            ws();
            Object v = value();
            m.put(String.valueOf(k), v);
            ws();
            if (peek(',')) {
                i++;
                continue;
            }
            expect('}');
            depth--;
            return m;
        }
    }

    private List<Object> seq(char open, char close) {
        enter();
        expect(open);
        List<Object> l = new ArrayList<>();
        ws();
        while (!peek(close)) {
            l.add(value());
            ws();
            if (peek(',')) {
                i++;
                ws();
            } else if (!peek(close)) {
                throw error("expected ',' or '" + close + "'");
            }
        }
        i++;
        depth--;
        return Collections.unmodifiableList(l);
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private String rawString() {
        char q = s.charAt(i++);
        int end = s.indexOf(q, i);
        if (end < 0) {
            throw error("unterminated string");
        }
        String v = s.substring(i, end);
        i = end + 1;
        return v;
    }

    private String string() {
        char q = s.charAt(i++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(i++);
            if (c == q) {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i >= s.length()) {
                throw error("unterminated escape");
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '0' -> sb.append('\0');
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case '\\', '\'', '"' -> sb.append(e);
                case 'x' -> sb.append((char) hex(2));
                case 'u' -> sb.append((char) hex(4));
                case 'U' -> sb.appendCodePoint(hex(8));
                case '\n' -> {
                    // line continuation
                }
                default -> sb.append('\\').append(e);
            }
        }
    }

    private int hex(int n) {
        if (i + n > s.length()) {
            throw error("short escape");
        }
        try {
            int v = Integer.parseInt(s.substring(i, i + n), 16);
            i += n;
            return v;
        } catch (NumberFormatException ex) {
            throw error("bad escape");
        }
    }

    private Object number() {
        int start = i;
        if (peek('-') || peek('+')) {
            i++;
        }
        if (s.startsWith("inf", i)) {
            i += 3;
            return s.charAt(start) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (s.startsWith("nan", i)) {
            i += 3;
            return Double.NaN;
        }
        boolean isFloat = false;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isDigit(c) || c == '_') {
                i++;
            } else if (c == '.' || c == 'e' || c == 'E') {
                isFloat = true;
                i++;
                if ((c == 'e' || c == 'E') && i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
                    i++;
                }
            } else {
                break;
            }
        }
        String t = s.substring(start, i).replace("_", "");
        try {
            if (!isFloat) {
                try {
                    return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
                } catch (NumberFormatException tooBig) {
                    return Double.parseDouble(t);
                }
            }
            return Double.parseDouble(t);
        } catch (NumberFormatException ex) {
            i = start;
            throw error("bad number '" + t + "'");
        }
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private boolean peek(char c) {
        return i < s.length() && s.charAt(i) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("not a Python literal: " + what + " at position " + i + " in: " + s);
    }
}
