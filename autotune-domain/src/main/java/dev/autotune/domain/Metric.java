package dev.autotune.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The normalized metric set every report is translated into. The plain name is the mean; percentile
 * variants carry {@code _pNN}. Declaration order is the order people read them in.
 */
public enum Metric {
    LATENCY_MS("latency_ms", Direction.LOWER_IS_BETTER, "ms"),
    TTFT_MS("ttft_ms", Direction.LOWER_IS_BETTER, "ms"),
    THROUGHPUT_TOKENS_PER_SEC("throughput_tokens_per_sec", Direction.HIGHER_IS_BETTER, "tok/s"),
    FAILURE_RATE("failure_rate", Direction.LOWER_IS_BETTER, ""),
    REQUEST_THROUGHPUT("request_throughput", Direction.HIGHER_IS_BETTER, "req/s"),
    TPOT_MS("tpot_ms", Direction.LOWER_IS_BETTER, "ms"),
    ITL_MS("itl_ms", Direction.LOWER_IS_BETTER, "ms"),
    RUNTIME_SEC("runtime_sec", Direction.LOWER_IS_BETTER, "s"),
    ACCURACY("accuracy", Direction.HIGHER_IS_BETTER, ""),
    LATENCY_P50_MS("latency_p50_ms", Direction.LOWER_IS_BETTER, "ms"),
    LATENCY_P90_MS("latency_p90_ms", Direction.LOWER_IS_BETTER, "ms"),
    LATENCY_P95_MS("latency_p95_ms", Direction.LOWER_IS_BETTER, "ms"),
    LATENCY_P99_MS("latency_p99_ms", Direction.LOWER_IS_BETTER, "ms"),
    TTFT_P50_MS("ttft_p50_ms", Direction.LOWER_IS_BETTER, "ms"),
    TTFT_P90_MS("ttft_p90_ms", Direction.LOWER_IS_BETTER, "ms"),
    TTFT_P95_MS("ttft_p95_ms", Direction.LOWER_IS_BETTER, "ms"),
    TTFT_P99_MS("ttft_p99_ms", Direction.LOWER_IS_BETTER, "ms"),
    TPOT_P50_MS("tpot_p50_ms", Direction.LOWER_IS_BETTER, "ms"),
    TPOT_P90_MS("tpot_p90_ms", Direction.LOWER_IS_BETTER, "ms"),
    TPOT_P95_MS("tpot_p95_ms", Direction.LOWER_IS_BETTER, "ms"),
    TPOT_P99_MS("tpot_p99_ms", Direction.LOWER_IS_BETTER, "ms"),
    ITL_P50_MS("itl_p50_ms", Direction.LOWER_IS_BETTER, "ms"),
    ITL_P90_MS("itl_p90_ms", Direction.LOWER_IS_BETTER, "ms"),
    ITL_P95_MS("itl_p95_ms", Direction.LOWER_IS_BETTER, "ms"),
    ITL_P99_MS("itl_p99_ms", Direction.LOWER_IS_BETTER, "ms"),
    /**
     * Derived, never reported: the throughput divided by the GPU count a space's {@code gpus} or a command's
     * {@code --gpus} gives ({@link dev.autotune.domain.search.PerGpu}). Keys of their own so budgets, objectives,
     * columns and diffs name them like any metric.
     */
    THROUGHPUT_TOKENS_PER_SEC_PER_GPU("throughput_tokens_per_sec_per_gpu", Direction.HIGHER_IS_BETTER, "tok/s/GPU"),
    REQUEST_THROUGHPUT_PER_GPU("request_throughput_per_gpu", Direction.HIGHER_IS_BETTER, "req/s/GPU");

    public enum Direction { LOWER_IS_BETTER, HIGHER_IS_BETTER }

    /** The metrics a reader scans first, in every table and summary; the rest are in the full report. */
    public static final List<Metric> HEADLINE = List.of(LATENCY_MS, TTFT_MS, THROUGHPUT_TOKENS_PER_SEC, FAILURE_RATE);

    private final String key;
    private final Direction direction;
    private final String unit;

    Metric(String key, Direction direction, String unit) {
        this.key = key;
        this.direction = direction;
        this.unit = unit;
    }

    public String key() {
        return key;
    }

    public Direction direction() {
        return direction;
    }

    public String unit() {
        return unit;
    }

    /** True when {@code a} is strictly better than {@code b} for this metric. */
    public boolean better(double a, double b) {
        return direction == Direction.LOWER_IS_BETTER ? a < b : a > b;
    }

    public static Optional<Metric> byKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.key.equals(k)).findFirst();
    }

    public static Metric parse(String key) {
        return byKey(key).orElseThrow(() -> new IllegalArgumentException(
                "unknown metric '" + key + "' (known: " + String.join(", ", keys()) + ")"));
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(Metric::key).toList();
    }

    /** The metrics a report can state: all but the per-GPU ones, which are only ever derived. */
    public static List<Metric> reported() {
        return Arrays.stream(values()).filter(m -> m.perGpuOf() == null).toList();
    }

    /** The metric a per-GPU metric divides by the GPU count; null for a reported metric. */
    public Metric perGpuOf() {
        return switch (this) {
            case THROUGHPUT_TOKENS_PER_SEC_PER_GPU -> THROUGHPUT_TOKENS_PER_SEC;
            case REQUEST_THROUGHPUT_PER_GPU -> REQUEST_THROUGHPUT;
            default -> null;
        };
    }

    /** The percentile variant of a mean metric, e.g. latency_ms + 95 -> latency_p95_ms. */
    public static Optional<Metric> percentile(Metric mean, int p) {
        String base = mean.key.substring(0, mean.key.length() - "_ms".length());
        return mean.unit.equals("ms") ? byKey(base + "_p" + p + "_ms") : Optional.empty();
    }
}
