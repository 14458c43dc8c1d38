package dev.autotune.domain.search;

import dev.autotune.domain.Metric;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The per-GPU rule, one for search spaces ({@code gpus = "..."}) and for the history commands ({@code --gpus}): a
 * GPU count is an expression over knobs in the language of {@link Expression}, and each per-GPU metric
 * ({@link Metric#perGpuOf()}: the throughputs, the only metrics that scale with the GPUs a config holds) is its base
 * metric divided by that count. Latencies and rates are per request already, so they have no per-GPU form.
 *
 * <p>An experiment whose knobs do not give a count (a knob the expression names is missing, or the value is not a
 * positive number) keeps its reported metrics and has no per-GPU ones; {@link Derived#note} says why, so a table
 * shows "-" and a note instead of failing the whole command over one experiment.
 */
public final class PerGpu {
    /** The per-GPU metrics, each from the throughput metric it divides. */
    public static final Map<String, Metric> METRICS = Arrays.stream(Metric.values()).filter(m -> m.perGpuOf() != null)
            .collect(Collectors.toUnmodifiableMap(Metric::key, Metric::perGpuOf));

    private final Expression expression;

    private PerGpu(Expression expression) {
        this.expression = expression;
    }

    /**
     * Compiles a GPU-count expression; a syntax error or a name that is none of {@code knobPaths} is a
     * {@link SpaceError} naming {@code field}.
     */
    public static PerGpu parse(String text, String field, Collection<String> knobPaths) {
        return new PerGpu(Expression.parse(text, field, List.copyOf(knobPaths)));
    }

    public String text() {
        return expression.text();
    }

    /** True for a metric only this rule gives, e.g. {@code throughput_tokens_per_sec_per_gpu}. */
    public static boolean isPerGpu(String metricKey) {
        return metricKey != null && METRICS.containsKey(metricKey);
    }

    /**
     * An experiment's metrics with its per-GPU ones.
     *
     * @param metrics the reported metrics plus the per-GPU ones its base metrics give (none when {@code gpus} is null)
     * @param gpus    the GPU count its knobs give; null when they give none
     * @param note    why there is no count, e.g. "no value for knob cmd_args.serve.tensor_parallel_size"; null when
     *                there is one
     */
    public record Derived(Map<String, Double> metrics, Double gpus, String note) {
    }

    /** The metrics of a config (dotted knob path -> value; numbers may be numeric strings) with the per-GPU ones. */
    public Derived apply(Map<String, ?> knobs, Map<String, Double> metrics) {
        Map<String, Object> config = new LinkedHashMap<>();
        knobs.forEach((k, v) -> config.put(k, number(v)));
        for (String path : expression.knobs()) {
            if (config.get(path) == null) {
                return new Derived(copy(metrics), null, "no value for knob " + path);
            }
        }
        Object value;
        try {
            value = expression.evaluate(config);
        } catch (IllegalArgumentException e) {
            return new Derived(copy(metrics), null, e.getMessage());
        }
        if (!(value instanceof Double n) || !(n > 0) || n.isInfinite()) {
            return new Derived(copy(metrics), null, "'" + text() + "' gives " + value
                    + ", not a positive GPU count");
        }
        return new Derived(divide(metrics, n), n, null);
    }

    /**
     * The metrics plus each per-GPU metric whose base metric is there (a per-GPU value already present is kept);
     * {@code gpus} must be a positive number.
     */
    public static Map<String, Double> divide(Map<String, Double> metrics, double gpus) {
        if (!(gpus > 0) || Double.isInfinite(gpus)) {
            throw new IllegalArgumentException("the GPU count must be a positive number, got " + gpus);
        }
        Map<String, Double> out = new LinkedHashMap<>(metrics);
        METRICS.forEach((key, base) -> {
            Double v = metrics.get(base.key());
            if (v != null && !metrics.containsKey(key)) {
                out.put(key, v / gpus);
            }
        });
        return out;
    }

    private static Map<String, Double> copy(Map<String, Double> metrics) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** Knob values as recorded may be text ("4"); the expression's arithmetic wants numbers. */
    private static Object number(Object v) {
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return s;
            }
        }
        return v;
    }

    @Override
    public String toString() {
        return text();
    }
}
