package dev.autotune.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.domain.Metric;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * AIPerf {@code profile_export.jsonl}: one record per request,
 * {@code {"metadata": {...}, "metrics": {tag: {"value": number|list, "unit": ...}}, "error": null|{...}}},
 * aggregated here the way AIPerf aggregates its own summary:
 * <ul>
 * <li>latency, TTFT, inter-token (tpot) and inter-chunk (itl) latency: mean and linear-interpolated
 *     p50/p90/p95/p99 over successful records ({@link Percentiles}); inter_chunk_latency lists are pooled;</li>
 * <li>failure_rate = records with a non-null error / all records;</li>
 * <li>duration = last response (max_response_timestamp, or request_end_ns) − first request (request_start_ns,
 *     timestamp_ns or min_request_timestamp, over all records), in integer ns; output throughput = Σ
 *     output_sequence_length of successful records / duration (AIPerf's total_osl / benchmark_duration, so
 *     reasoning tokens count); request_throughput = successful records / duration. Without timestamps these
 *     three stay absent with a warning.</li>
 * </ul>
 */
final class AiperfJsonl implements FormatReader {
    private static final Map<Metric, List<String>> LATENCY_TAGS = Map.of(
            Metric.LATENCY_MS, List.of("request_latency"),
            Metric.TTFT_MS, List.of("time_to_first_token", "ttft"),
            Metric.TPOT_MS, List.of("inter_token_latency"),
            Metric.ITL_MS, List.of("inter_chunk_latency"));

    @Override
    public ReportFormat format() {
        return ReportFormat.AIPERF_JSONL;
    }

    @Override
    public String title() {
        return "AIPerf per-request JSONL";
    }

    @Override
    public String expectation() {
        return "one JSON object per line with 'metadata' and 'metrics' ({tag: {value, unit}}) and 'error'";
    }

    @Override
    public boolean matches(ReportContent content) {
        return content.jsonLines()
                .map(lines -> lines.stream().allMatch(l -> isRecord(l.node())))
                .orElse(false);
    }

    @Override
    public void read(ReportContent content, Readings out) {
        List<ReportContent.JsonLine> lines = content.jsonLines().orElseThrow();
        Map<Metric, Samples> samples = new EnumMap<>(Metric.class);
        LATENCY_TAGS.keySet().forEach(m -> samples.put(m, new Samples()));
        int failed = 0;
        long firstRequestNs = Long.MAX_VALUE;
        long lastResponseNs = Long.MIN_VALUE;
        double outputTokens = 0;
        boolean outputTokensSeen = false;
        double inputTokens = 0;
        boolean inputTokensSeen = false;

        for (ReportContent.JsonLine line : lines) {
            JsonNode record = line.node();
            String at = "line " + line.number() + ": ";
            JsonNode metrics = record.get("metrics");
            JsonNode metadata = record.path("metadata");
            Long start = firstPresent(ns(metadata.get("request_start_ns"), at + "metadata.request_start_ns"),
                    ns(metadata.get("timestamp_ns"), at + "metadata.timestamp_ns"),
                    ns(metrics.path("min_request_timestamp").get("value"), at + "min_request_timestamp"));
            if (start != null) {
                firstRequestNs = Math.min(firstRequestNs, start);
            }
            JsonNode error = record.get("error");
            if (error != null && !error.isNull()) {
                failed++;
                continue;
            }
            for (Map.Entry<Metric, List<String>> tag : LATENCY_TAGS.entrySet()) {
                for (String name : tag.getValue()) {
                    collectMillis(metrics.get(name), at + "metrics." + name, samples.get(tag.getKey()));
                }
            }
            Long end = firstPresent(ns(metrics.path("max_response_timestamp").get("value"), at + "max_response_timestamp"),
                    ns(metadata.get("request_end_ns"), at + "metadata.request_end_ns"));
            if (end != null) {
                lastResponseNs = Math.max(lastResponseNs, end);
            }
            Double osl = JsonNumbers.value(metrics.path("output_sequence_length").get("value"),
                    at + "metrics.output_sequence_length.value");
            if (osl != null) {
                outputTokens += osl;
                outputTokensSeen = true;
            }
            Double isl = JsonNumbers.lenient(metrics.path("input_sequence_length"), "value");
            if (isl != null) {
                inputTokens += isl;
                inputTokensSeen = true;
            }
        }

        samples.forEach((metric, values) -> Percentiles.summarize(values, metric, out));
        out.putFailureRate((double) failed, (double) lines.size(), "records with an error / all records");
        int succeeded = lines.size() - failed;
        out.countFact(ReportFacts.REQUESTS, (double) lines.size());
        if (succeeded > 0) {
            out.fact(ReportFacts.ISL, inputTokensSeen ? inputTokens / succeeded : null);
            out.fact(ReportFacts.OSL, outputTokensSeen ? outputTokens / succeeded : null);
        }
        if (firstRequestNs != Long.MAX_VALUE) {
            out.measuredAt(StatedTime.fromEpochNanos(firstRequestNs));
        }
        if (firstRequestNs == Long.MAX_VALUE || lastResponseNs == Long.MIN_VALUE || lastResponseNs <= firstRequestNs) {
            out.warn("no request/response timestamps in the records; throughput, request_throughput and"
                    + " runtime_sec are left absent");
            return;
        }
        double seconds = (lastResponseNs - firstRequestNs) / 1e9;
        out.put(Metric.RUNTIME_SEC, seconds);
        out.put(Metric.REQUEST_THROUGHPUT, succeeded / seconds);
        out.runFingerprint(AiperfJson.fingerprint((double) succeeded, (double) failed,
                inputTokensSeen ? inputTokens : null, outputTokensSeen ? outputTokens : null, seconds));
        if (outputTokensSeen) {
            out.put(Metric.THROUGHPUT_TOKENS_PER_SEC, outputTokens / seconds);
        } else if (succeeded > 0) {
            out.warn("no output_sequence_length in the records; throughput_tokens_per_sec is left absent");
        }
    }

    private static boolean isRecord(JsonNode node) {
        return node.isObject() && node.path("metrics").isObject() && node.has("metadata");
    }

    /** Adds a per-request value (or the pooled values of a list, as for inter_chunk_latency) in ms. */
    private static void collectMillis(JsonNode metric, String path, Samples into) {
        if (metric == null || metric.isNull()) {
            return;
        }
        if (!metric.isObject()) {
            throw new ReportProblem(path + " is " + JsonNumbers.describe(metric) + ", expected {value, unit}");
        }
        JsonNode unitNode = metric.get("unit");
        LatencyUnit unit = unitNode == null || unitNode.isNull() ? LatencyUnit.MILLISECONDS
                : LatencyUnit.parse(unitNode.asText()).orElseThrow(
                        () -> new ReportProblem(path + ".unit '" + unitNode.asText() + "' is not a time unit"));
        JsonNode value = metric.get("value");
        if (value != null && value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                addMillis(JsonNumbers.value(value.get(i), path + ".value[" + i + "]"), unit, into);
            }
        } else {
            addMillis(JsonNumbers.value(value, path + ".value"), unit, into);
        }
    }

    private static void addMillis(Double value, LatencyUnit unit, Samples into) {
        if (value != null) {
            into.add(unit.toMillis(value));
        }
    }

    // Timestamps are ~1.7e18 ns, past double precision, so they stay longs.
    private static Long ns(JsonNode value, String path) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new ReportProblem(path + " is " + JsonNumbers.describe(value) + ", expected an integer ns timestamp");
        }
        return value.asLong();
    }

    private static Long firstPresent(Long... values) {
        for (Long v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
