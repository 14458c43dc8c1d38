package dev.autotune.domain.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A constraint or GPU-count expression over knobs, compiled once: numbers, knob names (the full dotted path, or
 * an unambiguous suffix on a dot boundary such as {@code serve.tensor_parallel_size}, or one of the
 * {@link #ALIASES} such as {@code tp}), string and
 * boolean literals for categorical knobs, {@code + - * /}, parentheses, comparisons
 * ({@code <= < >= > == !=}) and {@code and or not}. Knob names are resolved to full paths when parsed, so a
 * typo is reported once, naming the expression, and never at evaluation time.
 */
public final class Expression {
    /**
     * The short names people write for parallelism knobs (as in {@code tp * pp}), each with the last path
     * segments it stands for in vLLM, SGLang, TensorRT-LLM and CloudAI test definitions.
     */
    static final Map<String, List<String>> ALIASES = Map.of(
            "tp", List.of("tensor_parallel_size", "tensor_parallel", "tp_size", "tp_degree"),
            "pp", List.of("pipeline_parallel_size", "pipeline_parallel", "pp_size"),
            "dp", List.of("data_parallel_size", "data_parallel", "dp_size"),
            "ep", List.of("expert_parallel_size", "expert_parallel", "ep_size"));

    private final String text;
    private final Node root;
    private final Set<String> knobs;

    private Expression(String text, Node root, Set<String> knobs) {
        this.text = text;
        this.root = root;
        this.knobs = Set.copyOf(knobs);
    }

    /**
     * @param field     the space key the expression was written under, for errors (e.g. {@code constraints})
     * @param knobPaths the space's knob paths, which names resolve against
     */
    public static Expression parse(String text, String field, List<String> knobPaths) {
        if (text == null || text.isBlank()) {
            throw new SpaceError(field, "empty expression");
        }
        Parser p = new Parser(text, field, knobPaths);
        Node root = p.expression();
        p.expectEnd();
        return new Expression(text, root, p.used);
    }

    public String text() {
        return text;
    }

    /** The full paths of the knobs it names. */
    public Set<String> knobs() {
        return knobs;
    }

    /** The value on a config (dotted path -> value): a Double, String or Boolean. */
    public Object evaluate(Map<String, ?> config) {
        return root.eval(config);
    }

    /** A constraint's verdict; an expression that is not a comparison or logic is an error of the space. */
    public boolean test(Map<String, ?> config) {
        Object v = evaluate(config);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new SpaceError("constraints", "'" + text + "' is not a condition (it gives " + v + ")");
    }

    /** A numeric expression's value (the GPU count). */
    public double number(Map<String, ?> config) {
        Object v = evaluate(config);
        if (v instanceof Double d) {
            return d;
        }
        throw new SpaceError("gpus", "'" + text + "' is not a number (it gives " + v + ")");
    }

    @Override
    public String toString() {
        return text;
    }

    private interface Node {
        Object eval(Map<String, ?> config);
    }

    private record Literal(Object value) implements Node {
        public Object eval(Map<String, ?> config) {
            return value;
        }
    }

    private record KnobRef(String path) implements Node {
        public Object eval(Map<String, ?> config) {
            Object v = config.get(path);
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            if (v == null) {
                throw new IllegalArgumentException("config has no value for " + path);
            }
            return v;
        }
    }

    private record Unary(String op, Node operand, String text) implements Node {
        public Object eval(Map<String, ?> config) {
            Object v = operand.eval(config);
            if (op.equals("not")) {
                return !asBoolean(v, text);
            }
            return -asNumber(v, text);
        }
    }

    private record Binary(String op, Node left, Node right, String text) implements Node {
        public Object eval(Map<String, ?> config) {
            switch (op) {
                case "and":
                    return asBoolean(left.eval(config), text) && asBoolean(right.eval(config), text);
                case "or":
                    return asBoolean(left.eval(config), text) || asBoolean(right.eval(config), text);
                default:
                    break;
            }
            Object a = left.eval(config);
            Object b = right.eval(config);
            switch (op) {
                case "==":
                    return same(a, b);
                case "!=":
                    return !same(a, b);
                default:
                    break;
            }
            double x = asNumber(a, text);
            double y = asNumber(b, text);
            return switch (op) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*" -> x * y;
                case "/" -> x / y;
                case "<" -> x < y;
                case "<=" -> x <= y;
                case ">" -> x > y;
                case ">=" -> x >= y;
                default -> throw new IllegalStateException(op);
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

    private static double asNumber(Object v, String text) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                // falls through to the error naming the expression
            }
        }
        throw new IllegalArgumentException("'" + text + "': " + v + " is not a number");
    }

    private static boolean asBoolean(Object v, String text) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("'" + text + "': " + v + " is not true or false");
    }

    /** Recursive descent: or > and > not > comparison > sum > product > unary > primary. */
    private static final class Parser {
        private final String text;
        private final String field;
        private final List<String> knobPaths;
        private final List<String> tokens = new ArrayList<>();
        private final Set<String> used = new LinkedHashSet<>();
        private int pos;

        Parser(String text, String field, List<String> knobPaths) {
            this.text = text;
            this.field = field;
            this.knobPaths = knobPaths;
            tokenize();
        }

        private SpaceError error(String message) {
            return new SpaceError(field, "'" + text + "': " + message);
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
                        throw error("unterminated string");
                    }
                    tokens.add(text.substring(i, end + 1));
                    i = end + 1;
                } else if (Character.isDigit(c) || c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
                    int j = i;
                    while (j < text.length() && (Character.isDigit(text.charAt(j)) || text.charAt(j) == '.'
                            || text.charAt(j) == 'e' || text.charAt(j) == 'E'
                            || (text.charAt(j) == '-' || text.charAt(j) == '+') && (text.charAt(j - 1) == 'e' || text.charAt(j - 1) == 'E'))) {
                        j++;
                    }
                    tokens.add(text.substring(i, j));
                    i = j;
                } else if (Character.isLetter(c) || c == '_') {
                    int j = i;
                    while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_'
                            || text.charAt(j) == '.' || text.charAt(j) == '-' && j + 1 < text.length() && Character.isLetter(text.charAt(j + 1)))) {
                        j++;
                    }
                    tokens.add(text.substring(i, j));
                    i = j;
                } else if (i + 1 < text.length() && List.of("<=", ">=", "==", "!=", "&&", "||").contains(text.substring(i, i + 2))) {
                    tokens.add(text.substring(i, i + 2));
                    i += 2;
                } else if ("+-*/()<>!".indexOf(c) >= 0) {
                    tokens.add(String.valueOf(c));
                    i++;
                } else {
                    throw error("unexpected character '" + c + "'");
                }
            }
        }

        private String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
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
                throw error("unexpected '" + tokens.get(pos) + "'");
            }
        }

        Node expression() {
            Node left = and();
            while (accept("or", "||")) {
                left = new Binary("or", left, and(), text);
            }
            return left;
        }

        private Node and() {
            Node left = not();
            while (accept("and", "&&")) {
                left = new Binary("and", left, not(), text);
            }
            return left;
        }

        private Node not() {
            if (accept("not", "!")) {
                return new Unary("not", not(), text);
            }
            return comparison();
        }

        private Node comparison() {
            Node left = sum();
            String op = peek();
            if (op != null && List.of("<=", "<", ">=", ">", "==", "!=").contains(op)) {
                pos++;
                return new Binary(op, left, sum(), text);
            }
            return left;
        }

        private Node sum() {
            Node left = product();
            while (true) {
                String op = peek();
                if ("+".equals(op) || "-".equals(op)) {
                    pos++;
                    left = new Binary(op, left, product(), text);
                } else {
                    return left;
                }
            }
        }

        private Node product() {
            Node left = unary();
            while (true) {
                String op = peek();
                if ("*".equals(op) || "/".equals(op)) {
                    pos++;
                    left = new Binary(op, left, unary(), text);
                } else {
                    return left;
                }
            }
        }

        private Node unary() {
            if (accept("-")) {
                return new Unary("-", unary(), text);
            }
            return primary();
        }

        private Node primary() {
            String t = peek();
            if (t == null) {
                throw error("ends too early");
            }
            pos++;
            if (t.equals("(")) {
                Node inner = expression();
                if (!accept(")")) {
                    throw error("missing ')'");
                }
                return inner;
            }
            char c = t.charAt(0);
            if (c == '"' || c == '\'') {
                return new Literal(t.substring(1, t.length() - 1));
            }
            if (Character.isDigit(c) || c == '.') {
                try {
                    return new Literal(Double.parseDouble(t));
                } catch (NumberFormatException e) {
                    throw error("'" + t + "' is not a number");
                }
            }
            if (t.equals("true") || t.equals("false")) {
                return new Literal(Boolean.parseBoolean(t));
            }
            if (Character.isLetter(c) || c == '_') {
                String path = resolve(t);
                used.add(path);
                return new KnobRef(path);
            }
            throw error("unexpected '" + t + "'");
        }

        /** The full path, an unambiguous suffix on a dot boundary, or an error listing what it could be. */
        private String resolve(String name) {
            if (knobPaths.contains(name)) {
                return name;
            }
            List<String> matches = knobPaths.stream().filter(p -> p.endsWith("." + name)).toList();
            if (matches.size() == 1) {
                return matches.get(0);
            }
            if (matches.isEmpty() && ALIASES.containsKey(name)) {
                matches = knobPaths.stream().filter(p -> ALIASES.get(name).contains(p.substring(p.lastIndexOf('.') + 1)))
                        .toList();
                if (matches.size() == 1) {
                    return matches.get(0);
                }
            }
            if (matches.isEmpty()) {
                throw error("unknown knob '" + name + "' (knobs: " + String.join(", ", knobPaths) + ")");
            }
            throw error("'" + name + "' is ambiguous (" + String.join(", ", matches) + ")");
        }
    }
}
