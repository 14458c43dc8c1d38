package dev.autotune.domain.expression;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The one small expression language of autotune, compiled once: numbers, string literals ({@code 'H100'} or
 * {@code "H100"}), {@code true}/{@code false}, dates ({@code 2026-11-01}, {@code 2026-11-01T12:00:00Z}) when the
 * language asks for them, names, {@code + - * /}, parentheses, comparisons ({@code <= < >= > = == !=}) and
 * {@code and or not} (also {@code && || !}). What a name means is up to the language that uses it: search-space
 * constraints name knobs ({@code dev.autotune.domain.search.Expression}), the list filter names knobs, metrics,
 * tags and columns ({@code dev.autotune.domain.query.Where}). Each resolves names when parsing, so a typo is
 * reported once with its position, never at evaluation time.
 *
 * <p>A name may evaluate to null (a value the row does not have): a comparison with null is false, arithmetic
 * with null is null, and {@code and}, {@code or}, {@code not} take only true and false.
 *
 * @param <C> what a name is looked up in: a config map, a list row
 */
public final class Formula<C> {
    /** Turns a name into what it reads from the context; throws (through {@link Language#error}) when unknown. */
    public interface Language<C> {
        Function<C, Object> name(String name, int position);

        /** The error for bad text at a position (0-based), in the language's own exception type. */
        RuntimeException error(int position, String message);

        /** Whether {@code 2026-11-01} is a date rather than 2026 minus 11 minus 1. */
        default boolean dates() {
            return false;
        }

        /**
         * Whether a value read by a name that is not a number where one is needed (a knob recorded as "auto" in
         * {@code knob.batch_size >= 4}) counts as absent, as a value the context does not have: false for that
         * context alone. Otherwise it is an error, as it is for a literal that is not a number.
         */
        default boolean nonNumbersAbsent() {
            return false;
        }
    }

    /**
     * The largest expression: a filter or a constraint a person writes is a line or two. Past it the text is refused
     * before it is tokenized, so nobody's input costs the parser more than this.
     */
    public static final int MAX_LENGTH = 10_000;
    /** The most tokens: a left-leaning chain of n operators is a tree n deep, and evaluation recurses that deep. */
    public static final int MAX_TOKENS = 1_000;
    /** The deepest nesting of parentheses, {@code not} and unary minus: the parser recurses once per level. */
    public static final int MAX_NESTING = 64;

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+(Z|[+-]\\d{2}:\\d{2})?)?");

    private final String text;
    private final Node<C> root;

    private Formula(String text, Node<C> root) {
        this.text = text;
        this.root = root;
    }

    public static <C> Formula<C> parse(String text, Language<C> language) {
        if (text == null || text.isBlank()) {
            throw language.error(0, "empty expression");
        }
        if (text.length() > MAX_LENGTH) {
            throw language.error(MAX_LENGTH, "the expression is longer than " + MAX_LENGTH + " characters");
        }
        Parser<C> p = new Parser<>(text, language);
        Node<C> root = p.expression();
        p.expectEnd();
        return new Formula<>(text, root);
    }

    public String text() {
        return text;
    }

    /** The value on a context: a Double, String, Boolean, Instant, or null when a name has no value there. */
    public Object evaluate(C context) {
        return root.eval(context);
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * The expression as an error quotes it: on one line, and the start of a long one, so an error is never the input
     * again.
     */
    public static String excerpt(String text) {
        String line = text.replaceAll("\\R", " ");
        return line.length() <= 120 ? line : line.substring(0, 120) + "...";
    }

    /** Numbers of any Java type are Doubles inside the language. */
    public static Object value(Object v) {
        return v instanceof Number n ? n.doubleValue() : v;
    }

    private interface Node<C> {
        Object eval(C context);
    }

    private record Literal<C>(Object value) implements Node<C> {
        public Object eval(C context) {
            return value;
        }
    }

    private record Name<C>(Function<C, Object> read) implements Node<C> {
        public Object eval(C context) {
            return value(read.apply(context));
        }
    }

    private record Unary<C>(String op, Node<C> operand, String text, boolean lenient) implements Node<C> {
        public Object eval(C context) {
            Object v = operand.eval(context);
            if (op.equals("not")) {
                return !asBoolean(v, text);
            }
            if (v == null || absent(lenient, operand, v)) {
                return null;
            }
            return -asNumber(v, text);
        }
    }

    /** A value read from the context that is not a number, where the language counts that as absent. */
    private static boolean absent(boolean lenient, Node<?> from, Object v) {
        return lenient && !(from instanceof Literal) && !(v instanceof Instant) && !(v instanceof Boolean)
                && number(v) == null;
    }

    private record Binary<C>(String op, Node<C> left, Node<C> right, String text, boolean lenient) implements Node<C> {
        public Object eval(C context) {
            switch (op) {
                case "and":
                    return asBoolean(left.eval(context), text) && asBoolean(right.eval(context), text);
                case "or":
                    return asBoolean(left.eval(context), text) || asBoolean(right.eval(context), text);
                default:
                    break;
            }
            Object a = left.eval(context);
            Object b = right.eval(context);
            boolean comparison = List.of("==", "!=", "<", "<=", ">", ">=").contains(op);
            if (a == null || b == null) {
                // a row without the value neither matches nor fails to match: it is left out
                return comparison ? Boolean.FALSE : null;
            }
            if (a instanceof Instant || b instanceof Instant) {
                int c = instant(a, text).compareTo(instant(b, text));
                return compare(op, c, text);
            }
            switch (op) {
                case "==":
                    return same(a, b);
                case "!=":
                    return !same(a, b);
                default:
                    break;
            }
            if (comparison && a instanceof String x && b instanceof String y) {
                return compare(op, x.compareTo(y), text);
            }
            if (absent(lenient, left, a) || absent(lenient, right, b)) {
                // no number to compare: as a value the row does not have
                return comparison ? Boolean.FALSE : null;
            }
            double x = asNumber(a, text);
            double y = asNumber(b, text);
            return switch (op) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*" -> x * y;
                case "/" -> x / y;
                default -> compare(op, Double.compare(x, y), text);
            };
        }

        private static boolean compare(String op, int c, String text) {
            return switch (op) {
                case "==" -> c == 0;
                case "!=" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                default -> throw new IllegalArgumentException("'" + excerpt(text) + "': cannot apply " + op + " to dates");
            };
        }

        /** Categorical knobs may hold "4" while the literal is 4: equal when they read the same. */
        private static boolean same(Object a, Object b) {
            if (a instanceof Double x && b instanceof Double y) {
                return x.doubleValue() == y.doubleValue();
            }
            if (a instanceof Double n && b instanceof String str) {
                return numberEquals(n, str);
            }
            if (b instanceof Double n && a instanceof String str) {
                return numberEquals(n, str);
            }
            return String.valueOf(a).equals(String.valueOf(b));
        }

        private static boolean numberEquals(double n, String s) {
            try {
                return Double.parseDouble(s) == n;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    private static Instant instant(Object v, String text) {
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof String s) {
            Instant parsed = date(s);
            if (parsed != null) {
                return parsed;
            }
        }
        throw new IllegalArgumentException("'" + excerpt(text) + "': " + excerpt(String.valueOf(v)) + " is not a date");
    }

    /** A date (midnight UTC) or a full ISO instant; null when the text is neither. */
    private static Instant date(String s) {
        try {
            return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : s.endsWith("Z") || s.matches(".*[+-]\\d{2}:\\d{2}$") ? java.time.OffsetDateTime.parse(s).toInstant()
                    : java.time.LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The number a value is or reads as ("4" is 4), else null. */
    private static Double number(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static double asNumber(Object v, String text) {
        Double d = number(v);
        if (d != null) {
            return d;
        }
        throw new IllegalArgumentException("'" + excerpt(text) + "': " + excerpt(String.valueOf(v)) + " is not a number");
    }

    private static boolean asBoolean(Object v, String text) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("'" + excerpt(text) + "': " + excerpt(String.valueOf(v)) + " is not true or false");
    }

    private record Token(String text, int position) {
    }

    /** Recursive descent: or > and > not > comparison > sum > product > unary > primary. */
    private static final class Parser<C> {
        private static final List<String> COMPARISONS = List.of("<=", "<", ">=", ">", "==", "=", "!=");

        private final String text;
        private final Language<C> language;
        private final List<Token> tokens = new ArrayList<>();
        private int pos;
        private int depth;

        Parser(String text, Language<C> language) {
            this.text = text;
            this.language = language;
            tokenize();
        }

        private RuntimeException error(int position, String message) {
            // a message quotes tokens, and a string literal may hold a line break: errors are one line
            return language.error(position, message.replaceAll("\\R", " "));
        }

        private void tokenize() {
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '"' || c == '\'') {
                    int end = text.indexOf(c, i + 1);
                    if (end < 0) {
                        throw error(i, "unterminated string");
                    }
                    tokens.add(new Token(text.substring(i, end + 1), i));
                    i = end + 1;
                } else if (Character.isDigit(c) || c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
                    var date = DATE.matcher(text).region(i, text.length());
                    if (language.dates() && date.lookingAt()) {
                        tokens.add(new Token("@" + date.group(), i));
                        i = date.end();
                        continue;
                    }
                    int j = i;
                    while (j < text.length() && (Character.isDigit(text.charAt(j)) || text.charAt(j) == '.'
                            || text.charAt(j) == 'e' || text.charAt(j) == 'E'
                            || (text.charAt(j) == '-' || text.charAt(j) == '+') && (text.charAt(j - 1) == 'e' || text.charAt(j - 1) == 'E'))) {
                        j++;
                    }
                    tokens.add(new Token(text.substring(i, j), i));
                    i = j;
                } else if (Character.isLetter(c) || c == '_') {
                    int j = i;
                    while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_'
                            || text.charAt(j) == '.' || text.charAt(j) == '-' && j + 1 < text.length() && Character.isLetter(text.charAt(j + 1)))) {
                        j++;
                    }
                    tokens.add(new Token(text.substring(i, j), i));
                    i = j;
                } else if (i + 1 < text.length() && List.of("<=", ">=", "==", "!=", "&&", "||").contains(text.substring(i, i + 2))) {
                    tokens.add(new Token(text.substring(i, i + 2), i));
                    i += 2;
                } else if ("+-*/()<>!=".indexOf(c) >= 0) {
                    tokens.add(new Token(String.valueOf(c), i));
                    i++;
                } else {
                    throw error(i, "unexpected character '" + c + "'");
                }
                if (tokens.size() > MAX_TOKENS) {
                    throw error(tokens.get(MAX_TOKENS).position(), "the expression has more than " + MAX_TOKENS
                            + " terms and operators");
                }
            }
        }

        /** One level deeper into parentheses, not or minus; refused past {@link #MAX_NESTING}. */
        private void deeper(int at) {
            if (++depth > MAX_NESTING) {
                throw error(at, "the expression nests deeper than " + MAX_NESTING + " levels");
            }
        }

        private String peek() {
            return pos < tokens.size() ? tokens.get(pos).text() : null;
        }

        private int here() {
            return pos < tokens.size() ? tokens.get(pos).position() : text.length();
        }

        private boolean accept(String... options) {
            String t = peek();
            for (String o : options) {
                if (o.equals(t)) {
                    pos++;
                    return true;
                }
            }
            return false;
        }

        void expectEnd() {
            if (pos < tokens.size()) {
                throw error(here(), "unexpected '" + peek() + "'");
            }
        }

        Node<C> expression() {
            Node<C> left = and();
            while (accept("or", "||")) {
                left = new Binary<>("or", left, and(), text, language.nonNumbersAbsent());
            }
            return left;
        }

        private Node<C> and() {
            Node<C> left = not();
            while (accept("and", "&&")) {
                left = new Binary<>("and", left, not(), text, language.nonNumbersAbsent());
            }
            return left;
        }

        private Node<C> not() {
            int at = here();
            if (accept("not", "!")) {
                deeper(at);
                Node<C> operand = not();
                depth--;
                return new Unary<>("not", operand, text, language.nonNumbersAbsent());
            }
            return comparison();
        }

        private Node<C> comparison() {
            Node<C> left = sum();
            String op = peek();
            if (op != null && COMPARISONS.contains(op)) {
                pos++;
                return new Binary<>(op.equals("=") ? "==" : op, left, sum(), text, language.nonNumbersAbsent());
            }
            return left;
        }

        private Node<C> sum() {
            Node<C> left = product();
            while (true) {
                String op = peek();
                if ("+".equals(op) || "-".equals(op)) {
                    pos++;
                    left = new Binary<>(op, left, product(), text, language.nonNumbersAbsent());
                } else {
                    return left;
                }
            }
        }

        private Node<C> product() {
            Node<C> left = unary();
            while (true) {
                String op = peek();
                if ("*".equals(op) || "/".equals(op)) {
                    pos++;
                    left = new Binary<>(op, left, unary(), text, language.nonNumbersAbsent());
                } else {
                    return left;
                }
            }
        }

        private Node<C> unary() {
            int at = here();
            if (accept("-")) {
                deeper(at);
                Node<C> operand = unary();
                depth--;
                return new Unary<>("-", operand, text, language.nonNumbersAbsent());
            }
            return primary();
        }

        private Node<C> primary() {
            String t = peek();
            int at = here();
            if (t == null) {
                throw error(at, "ends too early");
            }
            pos++;
            if (t.equals("(")) {
                deeper(at);
                Node<C> inner = expression();
                if (!accept(")")) {
                    throw error(here(), "missing ')'");
                }
                depth--;
                return inner;
            }
            char c = t.charAt(0);
            if (c == '"' || c == '\'') {
                return new Literal<>(t.substring(1, t.length() - 1));
            }
            if (c == '@') {
                Instant date = date(t.substring(1));
                if (date == null) {
                    throw error(at, "'" + t.substring(1) + "' is not a date (write 2026-11-01 or 2026-11-01T12:00:00Z)");
                }
                return new Literal<>(date);
            }
            if (Character.isDigit(c) || c == '.') {
                try {
                    return new Literal<>(Double.parseDouble(t));
                } catch (NumberFormatException e) {
                    throw error(at, "'" + t + "' is not a number");
                }
            }
            if (t.equals("true") || t.equals("false")) {
                return new Literal<>(Boolean.parseBoolean(t));
            }
            if (Character.isLetter(c) || c == '_') {
                return new Name<>(language.name(t, at));
            }
            throw error(at, "unexpected '" + t + "'");
        }
    }
}
