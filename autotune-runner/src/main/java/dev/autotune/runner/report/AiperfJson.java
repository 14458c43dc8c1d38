package dev.autotune.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.domain.Metric;

import java.time.Instant;
import java.util.List;

/**
 * AIPerf {@code profile_export_aiperf.json}: the current flat shape (schema_version, metric tags at the top
 * level) and the pre-release shape that nests the tags under {@code records} and spells TTFT {@code ttft}.
 */
final class AiperfJson implements FormatReader {
    /** Keys only AIPerf writes; GenAI-Perf's JSON has none of them (see {@link GenaiPerfJson}). */
    static final List<String> MARKERS =
            List.of("schema_version", "aiperf_version", "benchmark_id", "records", "was_cancelled", "error_summary");

    @Override
    public ReportFormat format() {
        return ReportFormat.AIPERF_JSON;
    }

    @Override
    public String title() {
        return "AIPerf JSON";
    }

    @Override
    public String expectation() {
        return "a JSON object with AIPerf metric tags (request_latency, time_to_first_token, ...) as"
                + " {unit, avg, p50, ...} objects, at the top level or under 'records'";
    }

    @Override
    public boolean matches(ReportContent content) {
        return content.jsonDocument().filter(JsonNode::isObject).map(AiperfJson::tags)
                .map(StatDict::hasServingStats).orElse(false);
    }

    @Override
    public boolean claims(ReportContent content) {
        return matches(content) && MARKERS.stream().anyMatch(content.jsonDocument().get()::has);
    }

    @Override
    public void read(ReportContent content, Readings out) {
        JsonNode root = content.jsonDocument().orElseThrow();
        JsonNode tags = tags(root);

        StatDict.readLatency(tags, "request_latency", Metric.LATENCY_MS, out);
        StatDict.readLatency(tags, tags.has("time_to_first_token") ? "time_to_first_token" : "ttft",
                Metric.TTFT_MS, out);
        StatDict.readLatency(tags, "inter_token_latency", Metric.TPOT_MS, out);
        StatDict.readLatency(tags, "inter_chunk_latency", Metric.ITL_MS, out);
        out.put(Metric.THROUGHPUT_TOKENS_PER_SEC, StatDict.average(tags, "output_token_throughput"));
        out.put(Metric.REQUEST_THROUGHPUT, StatDict.average(tags, "request_throughput"));
        out.put(Metric.RUNTIME_SEC, StatDict.seconds(tags, "benchmark_duration", out));

        Double succeeded = StatDict.average(tags, "request_count");
        putFailureRate(succeeded, StatDict.average(tags, "error_request_count"),
                StatDict.average(tags, "request_error_rate"), out);
        out.deriveRuntime(succeeded);
        readFacts(root, tags, succeeded, out);
        if (root.path("was_cancelled").asBoolean(false)) {
            out.warn("AIPerf marked this benchmark as cancelled; the metrics cover a partial run");
        }
    }

    /**
     * The model and load settings from {@code input_config} (the pre-release shape: endpoint.model_names and
     * loadgen.concurrency/request_rate; 0.8: models.items[].name and the profiling phase's concurrency/rate),
     * the sequence lengths and request counts from their tags, and when it ran: min_request_timestamp (epoch ns)
     * when present, else start_time (local time without a zone).
     */
    private static void readFacts(JsonNode root, JsonNode tags, Double succeeded, Readings out) {
        JsonNode config = root.path("input_config");
        JsonNode model = config.path("endpoint").path("model_names").path(0);
        if (model.isMissingNode()) {
            model = config.path("models").path("items").path(0).path("name");
        }
        out.fact(ReportFacts.MODEL, model.isTextual() ? model.asText() : null);
        JsonNode load = config.path("loadgen");
        for (JsonNode phase : config.path("phases")) {
            if (!phase.path("exclude_from_results").asBoolean(false)) {
                load = phase;
            }
        }
        out.countFact(ReportFacts.CONCURRENCY, JsonNumbers.lenient(load, "concurrency"));
        Double rate = JsonNumbers.lenient(load, "request_rate");
        out.fact(ReportFacts.REQUEST_RATE, rate != null ? rate : JsonNumbers.lenient(load, "rate"));
        out.fact(ReportFacts.ISL, StatDict.average(tags, "input_sequence_length"));
        out.fact(ReportFacts.OSL, StatDict.average(tags, "output_sequence_length"));
        Double failed = StatDict.average(tags, "error_request_count");
        if (succeeded != null) {
            out.countFact(ReportFacts.REQUESTS, succeeded + (failed == null ? 0 : failed));
        }
        Instant firstRequest = StatedTime.fromEpochNanos(StatDict.average(tags, "min_request_timestamp"));
        out.measuredAt(firstRequest != null ? firstRequest
                : StatedTime.fromText(JsonNumbers.text(root, "start_time"), "start_time", out));
        out.runFingerprint(fingerprint(succeeded, failed, StatDict.average(tags, "total_isl"),
                StatDict.average(tags, "total_osl"), out.get(Metric.RUNTIME_SEC)));
    }

    /**
     * One AIPerf run's identity, the same from its JSON, CSV and per-request JSONL: successful and failed request
     * counts, input and output token totals of the successful requests (integers in every format), and the
     * benchmark duration to the two decimals the CSV prints. AIPerf omits error_request_count when none failed.
     */
    static String fingerprint(Double succeeded, Double failed, Double totalIsl, Double totalOsl, Double seconds) {
        return RunFingerprint.of("aiperf").count("succeeded", succeeded).count("failed", failed == null ? 0.0 : failed)
                .count("total_isl", totalIsl).count("total_osl", totalOsl).rounded("duration_sec", seconds, 2).value();
    }

    /**
     * AIPerf's request_count counts successful requests only; errors are error_request_count (newer versions
     * also write request_error_rate in %). AIPerf only exports metrics that have a value, so
     * error_request_count is absent exactly when no request failed: with request_count present and no error
     * figure, failure_rate is 0 (with a warning, because a hand-trimmed file would look the same).
     */
    static void putFailureRate(Double succeeded, Double failed, Double errorPercent, Readings out) {
        if (failed != null && succeeded != null) {
            out.putFailureRate(failed, succeeded + failed, "error_request_count/(request_count+error_request_count)");
        } else if (errorPercent != null) {
            out.putFailureRate(errorPercent, 100.0, "request_error_rate (%)");
        } else if (succeeded != null) {
            out.put(Metric.FAILURE_RATE, 0.0);
            out.warn("no error request count in the report; AIPerf omits it when no request failed,"
                    + " so failure_rate = 0");
        }
    }

    private static JsonNode tags(JsonNode root) {
        return root.path("records").isObject() ? root.get("records") : root;
    }
}
