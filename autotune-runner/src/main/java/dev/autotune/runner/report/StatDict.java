package dev.autotune.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.domain.Metric;

import java.util.List;

/**
 * The statistics object AIPerf and GenAI-Perf write per metric tag:
 * {@code {"unit": "ms", "avg": ..., "p50": ..., "p90": ..., "p95": ..., "p99": ..., ...}}.
 * Single-value metrics (throughputs, counts, duration) carry only {@code unit} and {@code avg}.
 */
final class StatDict {
    /** Tags AIPerf and GenAI-Perf both use for serving metrics; the pre-release AIPerf spells TTFT "ttft". */
    private static final List<String> SERVING_TAGS = List.of("request_latency", "time_to_first_token", "ttft",
            "inter_token_latency", "inter_chunk_latency", "output_token_throughput", "request_throughput");

    private StatDict() {
    }

    /** True when {@code parent} holds a statistics object for at least one serving metric tag. */
    static boolean hasServingStats(JsonNode parent) {
        return SERVING_TAGS.stream().anyMatch(tag -> isStatDict(parent.get(tag)));
    }

    /** The object under {@code tag}, or null when the tag is absent; anything but an object is broken. */
    static JsonNode find(JsonNode parent, String tag) {
        JsonNode dict = parent.get(tag);
        if (dict == null || dict.isNull()) {
            return null;
        }
        if (!dict.isObject()) {
            throw new ReportProblem(tag + " is " + JsonNumbers.describe(dict) + ", expected an object with unit and avg");
        }
        return dict;
    }

    /** True when {@code node} looks like a statistics object (has a unit and an avg). */
    static boolean isStatDict(JsonNode node) {
        return node != null && node.isObject() && node.has("unit") && node.has("avg");
    }

    /** The {@code avg} of a single-value metric, or null when the tag is absent. */
    static Double average(JsonNode parent, String tag) {
        JsonNode dict = find(parent, tag);
        return dict == null ? null : JsonNumbers.field(dict, "avg", tag + ".avg");
    }

    /** A duration metric's {@code avg} in seconds, honouring its unit. */
    static Double seconds(JsonNode parent, String tag, Readings out) {
        JsonNode dict = find(parent, tag);
        if (dict == null) {
            return null;
        }
        Double avg = JsonNumbers.field(dict, "avg", tag + ".avg");
        LatencyUnit unit = unit(dict, tag, LatencyUnit.SECONDS, out);
        return avg == null || unit == null ? null : unit.toSeconds(avg);
    }

    /** Puts the mean (avg) and p50/p90/p95/p99 of a latency tag, converted to ms from its unit. */
    static void readLatency(JsonNode parent, String tag, Metric mean, Readings out) {
        JsonNode dict = find(parent, tag);
        if (dict == null) {
            return;
        }
        LatencyUnit unit = unit(dict, tag, LatencyUnit.MILLISECONDS, out);
        if (unit == null) {
            return;
        }
        out.putDistribution(mean, stat -> millis(dict, stat.equals("mean") ? "avg" : stat, tag, unit));
    }

    private static Double millis(JsonNode dict, String stat, String tag, LatencyUnit unit) {
        Double value = JsonNumbers.field(dict, stat, tag + "." + stat);
        return value == null ? null : unit.toMillis(value);
    }

    private static LatencyUnit unit(JsonNode dict, String tag, LatencyUnit assumed, Readings out) {
        JsonNode unit = dict.get("unit");
        if (unit == null || unit.isNull()) {
            return assumed;
        }
        return LatencyUnit.parse(unit.asText()).orElseGet(() -> {
            out.warn(tag + " has unknown time unit '" + unit.asText() + "'; ignored");
            return null;
        });
    }
}
