package dev.autotune.domain.search;

import dev.autotune.domain.KnobNames;
import dev.autotune.domain.expression.Formula;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A constraint or GPU-count expression over knobs, in the language of {@link Formula}, compiled once: numbers, knob names (the full dotted path, or
 * an unambiguous suffix on a dot boundary such as {@code serve.tensor_parallel_size}, or one of the
 * {@link KnobNames#SHORT_NAMES} such as {@code tp}), string and
 * boolean literals for categorical knobs, {@code + - * /}, parentheses, comparisons
 * ({@code <= < >= > == !=}) and {@code and or not}. Knob names are resolved to full paths when parsed, so a
 * typo is reported once, naming the expression, and never at evaluation time.
 */
public final class Expression {
    private final Formula<Map<String, ?>> formula;
    private final Set<String> knobs;

    private Expression(Formula<Map<String, ?>> formula, Set<String> knobs) {
        this.formula = formula;
        this.knobs = Set.copyOf(knobs);
    }

    /**
     * @param field     the space key the expression was written under, for errors (e.g. {@code constraints})
     * @param knobPaths the space's knob paths, which names resolve against
     */
    public static Expression parse(String text, String field, List<String> knobPaths) {
        Set<String> used = new LinkedHashSet<>();
        Formula.Language<Map<String, ?>> language = new Formula.Language<>() {
            @Override
            public Function<Map<String, ?>, Object> name(String name, int position) {
                String path = resolve(name, knobPaths).orElseThrow(problem -> error(position, problem));
                used.add(path);
                return config -> {
                    Object v = config.get(path);
                    if (v == null) {
                        throw new IllegalArgumentException("config has no value for " + path);
                    }
                    return v;
                };
            }

            @Override
            public RuntimeException error(int position, String message) {
                return new SpaceError(field, "'" + Formula.excerpt(text) + "': " + message);
            }
        };
        return new Expression(Formula.parse(text, language), used);
    }

    public String text() {
        return formula.text();
    }

    /** The full paths of the knobs it names. */
    public Set<String> knobs() {
        return knobs;
    }

    /** The value on a config (dotted path -> value): a Double, String or Boolean. */
    public Object evaluate(Map<String, ?> config) {
        return formula.evaluate(config);
    }

    /** A constraint's verdict; an expression that is not a comparison or logic is an error of the space. */
    public boolean test(Map<String, ?> config) {
        Object v = evaluate(config);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new SpaceError("constraints", "'" + text() + "' is not a condition (it gives " + v + ")");
    }

    /** A numeric expression's value (the GPU count). */
    public double number(Map<String, ?> config) {
        Object v = evaluate(config);
        if (v instanceof Double d) {
            return d;
        }
        throw new SpaceError("gpus", "'" + text() + "' is not a number (it gives " + v + ")");
    }

    @Override
    public String toString() {
        return text();
    }

    /**
     * The knob a name means, by {@link KnobNames#resolve}: the full path, the same canonical knob, an unambiguous
     * suffix on a dot boundary, or a short name ({@code tp}); else the problem, listing what it could be. The list
     * filter, {@code --columns}, {@code --sort} and {@code --knob} resolve names by the same rule.
     */
    public static KnobNames.Resolved resolve(String name, List<String> knobPaths) {
        return KnobNames.resolve(name, knobPaths);
    }
}
