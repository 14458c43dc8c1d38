package dev.autotune.runner.report;

import dev.autotune.domain.Metric;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The normalized metrics a reader has found so far, plus warnings for the user. Absent stays absent:
 * a null, NaN or infinite value is never stored, so no metric can silently become 0.
 */
final class Readings {
    private final Map<Metric, Double> metrics = new EnumMap<>(Metric.class);
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Object> facts = new TreeMap<>();
    private Instant measuredAt;
    private String runFingerprint;

    void put(Metric metric, Double value) {
        if (value == null || value.isNaN()) {
            return;
        }
        if (value.isInfinite()) {
            warn(metric.key() + " is infinite in the report; left absent");
            return;
        }
        metrics.put(metric, value);
    }

    /** Puts the percentile variant of a mean metric ({@code latency_ms} + 95 = {@code latency_p95_ms}). */
    void putPercentile(Metric mean, int percentile, Double value) {
        Metric variant = Metric.percentile(mean, percentile).orElseThrow(
                () -> new IllegalArgumentException(mean.key() + " has no p" + percentile + " variant"));
        put(variant, value);
    }

    /**
     * Puts a distribution: its mean and the reported percentiles (p50, p90, p95, p99), in that order, each asked of
     * {@code stat} by name ({@code "mean"}, {@code "p50"}, ...). Every format spells and scales these its own way;
     * which statistics make a distribution, and which metrics they land in, is decided here once.
     */
    void putDistribution(Metric mean, Function<String, Double> stat) {
        put(mean, stat.apply("mean"));
        for (int p : Percentiles.REPORTED) {
            putPercentile(mean, p, stat.apply("p" + p));
        }
    }

    /**
     * failure_rate = failed / total, refusing impossible counts instead of storing a rate outside 0..1.
     * {@code source} names the fields used, for the warning.
     */
    void putFailureRate(Double failed, Double total, String source) {
        if (failed == null || total == null) {
            return;
        }
        if (total <= 0 || failed < 0 || failed > total) {
            warn("failure_rate left absent: " + source + " gives " + failed + " failed of " + total);
            return;
        }
        put(Metric.FAILURE_RATE, failed / total);
    }

    /**
     * Tools that report a successful-request count and req/s but no duration still imply the run time,
     * since req/s is itself count / duration.
     */
    void deriveRuntime(Double successfulRequests) {
        Double rate = metrics.get(Metric.REQUEST_THROUGHPUT);
        if (!has(Metric.RUNTIME_SEC) && successfulRequests != null && rate != null && rate > 0) {
            put(Metric.RUNTIME_SEC, successfulRequests / rate);
        }
    }

    boolean has(Metric metric) {
        return metrics.containsKey(metric);
    }

    Double get(Metric metric) {
        return metrics.get(metric);
    }

    boolean isEmpty() {
        return metrics.isEmpty();
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    /**
     * A fact the report states ({@link ReportFacts#MODEL}, ...). Absent stays absent here too: a null, blank,
     * NaN or infinite value (vLLM writes request_rate inf for "no rate limit") is not a fact.
     */
    void fact(String key, Object value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            return;
        }
        if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return;
            }
            // a count or setting written as 100.0 is the integer 100
            value = d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) (double) d : d;
        }
        facts.put(key, value);
    }

    /** A whole-number fact (concurrency, requests); a fractional value is not what the key means, so it is left out. */
    void countFact(String key, Double value) {
        if (value != null && value == Math.rint(value) && value >= 0) {
            fact(key, value);
        }
    }

    void measuredAt(Instant at) {
        if (at != null && measuredAt == null) {
            measuredAt = at;
        }
    }

    void runFingerprint(String fingerprint) {
        runFingerprint = fingerprint;
    }

    ReportFacts facts() {
        return facts.isEmpty() && measuredAt == null && runFingerprint == null ? ReportFacts.NONE
                : new ReportFacts(facts, measuredAt, runFingerprint);
    }

    Map<Metric, Double> metrics() {
        return metrics;
    }

    List<String> warnings() {
        return warnings;
    }
}
