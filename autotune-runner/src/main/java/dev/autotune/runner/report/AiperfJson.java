package dev.autotune.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.domain.Metric;

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
        if (root.path("was_cancelled").asBoolean(false)) {
            out.warn("AIPerf marked this benchmark as cancelled; the metrics cover a partial run");
        }
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
