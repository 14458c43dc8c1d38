package dev.autotune.runner.report;

import dev.autotune.domain.Metric;

import java.util.Map;

/**
 * The physical range of every normalized metric. A value outside it is not a measurement but a broken report
 * or a misread field, and one impossible number would steer every later comparison and recommendation, so the
 * whole report is refused, naming the metric. This is the one place the rule lives: {@link ReportParser} checks
 * every report here before it leaves the parser, whatever reader produced it.
 */
final class MetricRange {
    /**
     * Far above any serving cluster (the largest published LLM-serving figures are around 1e6 tok/s), and far
     * below the 1e308 that only a unit mix-up or a corrupted file produces.
     */
    static final double MAX_THROUGHPUT = 1e9;
    /** A year in ms (or s): no benchmark latency or run time is longer; a bigger number is a unit mix-up. */
    static final double MAX_DURATION_MS = 365.0 * 24 * 3600 * 1000;

    private MetricRange() {
    }

    /** Throws a {@link ReportProblem} naming the first metric outside its range. */
    static void check(Map<Metric, Double> metrics) {
        metrics.forEach((metric, value) -> {
            String problem = problem(metric, value);
            if (problem != null) {
                throw new ReportProblem(metric.key() + " is " + value + ", " + problem + "; the report is refused");
            }
        });
    }

    /** Why {@code value} cannot be this metric, or null when it can. */
    static String problem(Metric metric, double value) {
        if (!Double.isFinite(value)) {
            return "not a finite number";
        }
        if (value < 0) {
            return "below 0 (" + kind(metric) + " cannot be negative)";
        }
        double max = max(metric);
        if (value > max) {
            return "above " + (max == 1 ? "1 (a fraction is 0..1)" : max + " (" + kind(metric) + " that large is a unit or parsing error)");
        }
        return null;
    }

    static double max(Metric metric) {
        return switch (metric) {
            case FAILURE_RATE, ACCURACY -> 1;
            case THROUGHPUT_TOKENS_PER_SEC, REQUEST_THROUGHPUT -> MAX_THROUGHPUT;
            case RUNTIME_SEC -> MAX_DURATION_MS / 1000;
            default -> MAX_DURATION_MS; // every other metric is a latency in ms
        };
    }

    private static String kind(Metric metric) {
        return switch (metric) {
            case FAILURE_RATE, ACCURACY -> "a fraction";
            case THROUGHPUT_TOKENS_PER_SEC, REQUEST_THROUGHPUT -> "a throughput";
            case RUNTIME_SEC -> "a run time";
            default -> "a latency";
        };
    }
}
