package dev.autotune.domain.analysis;

import dev.autotune.domain.Metric;
import dev.autotune.domain.query.ExperimentDetail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What changed from experiment {@code a} to experiment {@code b}: the config keys that differ and every
 * metric either of them measured.
 *
 * @param a the number of the experiment compared from
 * @param b the number of the experiment compared to
 */
public record ExperimentDiff(int a, int b, List<ConfigChange> config, List<MetricChange> metrics) {

    public ExperimentDiff {
        config = List.copyOf(config);
        metrics = List.copyOf(metrics);
    }

    /** Which experiment did better on a metric. */
    public enum Side { A, B, SAME }

    /** One config key whose value differs; {@code before} is a's value, {@code after} b's. */
    public record ConfigChange(String key, Kind kind, Object before, Object after) {
        public enum Kind { ADDED, REMOVED, CHANGED }
    }

    /**
     * One metric of a against b.
     *
     * @param absolute        {@code b - a}; null when either is missing
     * @param relativePercent {@code (b - a) / |a| * 100}; null when a is 0 or either is missing
     * @param better          the side that did better in the metric's direction (lower latency, higher
     *                        throughput); null when either is missing
     */
    public record MetricChange(Metric metric, Double a, Double b, Double absolute, Double relativePercent,
                               Side better) {
    }

    public static ExperimentDiff of(ExperimentDetail a, ExperimentDetail b) {
        return new ExperimentDiff(a.number(), b.number(), configChanges(a.config(), b.config()),
                metricChanges(a.metrics(), b.metrics()));
    }

    /**
     * Keys that differ, sorted by key. Numbers compare by value, because the same knob reads back from JSON as
     * 4, 4L or 4.0 depending on how it was written, and that is not a change anyone made. A key whose value is
     * null counts as absent.
     */
    public static List<ConfigChange> configChanges(Map<String, ?> a, Map<String, ?> b) {
        Map<String, ?> before = a == null ? Map.of() : a;
        Map<String, ?> after = b == null ? Map.of() : b;
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<ConfigChange> out = new ArrayList<>();
        for (String key : keys) {
            Object x = before.get(key);
            Object y = after.get(key);
            if (x == null && y != null) {
                out.add(new ConfigChange(key, ConfigChange.Kind.ADDED, null, y));
            } else if (x != null && y == null) {
                out.add(new ConfigChange(key, ConfigChange.Kind.REMOVED, x, null));
            } else if (x != null && !KnobValues.same(x, y)) {
                out.add(new ConfigChange(key, ConfigChange.Kind.CHANGED, x, y));
            }
        }
        return out;
    }

    /**
     * Every normalized metric present in either map, in {@link Metric} declaration order (the order people
     * read them in). Keys that are not normalized metrics are left out: nothing knows their direction.
     */
    public static List<MetricChange> metricChanges(Map<String, Double> a, Map<String, Double> b) {
        Map<String, Double> x = a == null ? Map.of() : a;
        Map<String, Double> y = b == null ? Map.of() : b;
        List<MetricChange> out = new ArrayList<>();
        for (Metric m : Metric.values()) {
            Double va = x.get(m.key());
            Double vb = y.get(m.key());
            if (va == null && vb == null) {
                continue;
            }
            if (va == null || vb == null) {
                out.add(new MetricChange(m, va, vb, null, null, null));
                continue;
            }
            double abs = vb - va;
            Double rel = va == 0 ? null : abs / Math.abs(va) * 100;
            Side better = m.better(va, vb) ? Side.A : m.better(vb, va) ? Side.B : Side.SAME;
            out.add(new MetricChange(m, va, vb, abs, rel, better));
        }
        return out;
    }
}
