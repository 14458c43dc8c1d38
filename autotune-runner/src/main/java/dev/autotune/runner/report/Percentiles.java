package dev.autotune.runner.report;

import dev.autotune.domain.Metric;

import java.util.Arrays;
import java.util.Collection;

/**
 * Mean and p50/p90/p95/p99 of raw per-request values, for formats that do not aggregate themselves.
 * Percentiles use linear interpolation between closest ranks (numpy's default {@code method="linear"}):
 * vLLM and SGLang compute theirs with np.percentile, and AIPerf's own summary of its per-request export
 * matches this method exactly, so aggregating raw records gives the numbers the tool would have printed.
 */
final class Percentiles {
    static final int[] REPORTED = {50, 90, 95, 99};

    private Percentiles() {
    }

    /** Puts {@code mean} and its percentile variants; nothing when there are no values. */
    static void summarize(Collection<Double> values, Metric mean, Readings out) {
        if (values.isEmpty()) {
            return;
        }
        double[] sorted = values instanceof Samples samples ? samples.sorted()
                : values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        out.putDistribution(mean, stat -> stat.equals("mean") ? Arrays.stream(sorted).sum() / sorted.length
                : percentile(sorted, Integer.parseInt(stat.substring(1))));
    }

    /** The p-th percentile (0..100) of ascending {@code sorted} values. */
    static double percentile(double[] sorted, double p) {
        double rank = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
