package dev.autotune.domain.query;

import dev.autotune.domain.Metric;
import dev.autotune.domain.expression.Formula;
import dev.autotune.domain.search.Expression;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The list filter ({@code list --where}, {@code where=} over HTTP), in the language of {@link Formula}:
 * <ul>
 *   <li>{@code knob.NAME}: a knob by its full dotted path or an unambiguous suffix of it
 *       ({@code knob.tensor_parallel_size}, also the aliases {@code knob.tp}, {@code knob.pp}, ...);</li>
 *   <li>{@code metric.NAME}: a normalized metric ({@code metric.ttft_ms}, {@code metric.latency_p95_ms});</li>
 *   <li>{@code tag.NAME}: a tag set with {@code autotune tag};</li>
 *   <li>{@code status}, {@code scenario}, {@code backend}, {@code source}, {@code id} (the number), and the dates
 *       {@code recorded} (when it started), {@code measured} (when its benchmark ran, as the report states),
 *       {@code happened} (measured, else recorded) and {@code ended}, compared with {@code 2026-11-01} or
 *       {@code 2026-11-01T12:00:00Z}.</li>
 * </ul>
 * A row without the value (a metric its report did not give, a tag never set) does not match a comparison on it.
 * Errors name the position (1-based) in the text.
 */
public final class Where {
    /** The plain names: the list's own fields, as {@code --columns} and {@code --sort} know them. */
    private static final java.util.Map<String, Function<ExperimentSummary, Object>> FIELDS = ListColumn.FIELDS;

    /** A filter that cannot be read; {@link #position()} is 1-based. */
    public static final class Invalid extends IllegalArgumentException {
        private final int position;

        Invalid(int position, String message) {
            super("position " + position + ": " + message);
            this.position = position;
        }

        public int position() {
            return position;
        }
    }

    private final Formula<ExperimentSummary> formula;
    private final Set<String> metrics;

    private Where(Formula<ExperimentSummary> formula, Set<String> metrics) {
        this.formula = formula;
        this.metrics = Set.copyOf(metrics);
    }

    /** @param knobPaths the knob paths of the history it filters, which {@code knob.} names resolve against */
    public static Where parse(String text, Collection<String> knobPaths) {
        List<String> paths = List.copyOf(new java.util.TreeSet<>(knobPaths));
        Set<String> metrics = new LinkedHashSet<>();
        Formula.Language<ExperimentSummary> language = new Formula.Language<>() {
            @Override
            public Function<ExperimentSummary, Object> name(String name, int position) {
                if (name.startsWith("knob.")) {
                    String path = Expression.resolve(name.substring(5), paths).orElseThrow(p -> error(position, p));
                    return r -> r.knobs().get(path);
                }
                if (name.startsWith("metric.")) {
                    String key = name.substring(7);
                    if (Metric.byKey(key).isEmpty()) {
                        throw error(position, "unknown metric '" + key + "' (metrics: " + String.join(", ", Metric.keys())
                                + ")");
                    }
                    metrics.add(key);
                    return r -> r.metric(key);
                }
                if (name.startsWith("tag.") && name.length() > 4) {
                    String key = name.substring(4);
                    return r -> r.tags().get(key);
                }
                Function<ExperimentSummary, Object> field = FIELDS.get(name);
                if (field == null) {
                    throw error(position, "unknown name '" + name + "': write knob.NAME, metric.NAME, tag.NAME, "
                            + String.join(", ", new java.util.TreeSet<>(FIELDS.keySet())) + ", or quote a string");
                }
                return field;
            }

            @Override
            public RuntimeException error(int position, String message) {
                return new Invalid(position + 1, message);
            }

            @Override
            public boolean dates() {
                return true;
            }

            /** A knob or tag recorded as "auto" has no number to compare: the experiment is left out, not the filter. */
            @Override
            public boolean nonNumbersAbsent() {
                return true;
            }
        };
        return new Where(Formula.parse(text, language), metrics);
    }

    public String text() {
        return formula.text();
    }

    /** The metrics it reads, so a caller that loads only some metrics per row loads these too. */
    public Set<String> metrics() {
        return metrics;
    }

    /** Whether the row matches; a filter that is not a condition ({@code metric.ttft_ms + 1}) is {@link Invalid}. */
    public boolean test(ExperimentSummary row) {
        Object v;
        try {
            v = formula.evaluate(row);
        } catch (IllegalArgumentException e) {
            throw new Invalid(1, e.getMessage());
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v == null) {
            return false;
        }
        throw new Invalid(1, "'" + Formula.excerpt(text()) + "' is not a condition (it gives " + Formula.excerpt(String.valueOf(v)) + "); compare, e.g. metric.ttft_ms < 50");
    }

    @Override
    public String toString() {
        return text();
    }
}
