package dev.autotune.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.domain.Metric;

/**
 * GenAI-Perf {@code <stem>_genai_perf.json}: a flat object of {@code {unit, avg, p..}} statistics per metric,
 * plus {@code input_config} (its CLI arguments) and optionally {@code telemetry_stats} and {@code sessions}.
 *
 * <p>It has the same statistics objects and tag names as AIPerf's JSON. The rule that tells them apart: every
 * AIPerf version writes at least one of {@link AiperfJson#MARKERS} (schema_version, aiperf_version,
 * benchmark_id, records, was_cancelled, error_summary) and GenAI-Perf writes none of them, so a statistics
 * object file without those markers is GenAI-Perf. Its input_config keys (service_kind, endpoint_type,
 * profile_export_file, ...) are not required, because older and newer GenAI-Perf versions name them differently.
 *
 * <p>Like its CSV, it has no error count (failure_rate absent) and no duration (runtime derived from
 * request_count / request_throughput).
 */
final class GenaiPerfJson implements FormatReader {
    @Override
    public ReportFormat format() {
        return ReportFormat.GENAI_PERF_JSON;
    }

    @Override
    public String title() {
        return "GenAI-Perf JSON";
    }

    @Override
    public String expectation() {
        return "a JSON object with GenAI-Perf metrics (request_latency, time_to_first_token, ...) as"
                + " {unit, avg, p50, ...} objects";
    }

    @Override
    public boolean matches(ReportContent content) {
        return content.jsonDocument().filter(JsonNode::isObject).map(StatDict::hasServingStats).orElse(false);
    }

    @Override
    public boolean claims(ReportContent content) {
        return matches(content) && AiperfJson.MARKERS.stream().noneMatch(content.jsonDocument().get()::has);
    }

    @Override
    public void read(ReportContent content, Readings out) {
        JsonNode root = content.jsonDocument().orElseThrow();
        StatDict.readLatency(root, "request_latency", Metric.LATENCY_MS, out);
        StatDict.readLatency(root, "time_to_first_token", Metric.TTFT_MS, out);
        StatDict.readLatency(root, "inter_token_latency", Metric.TPOT_MS, out);
        out.put(Metric.THROUGHPUT_TOKENS_PER_SEC, StatDict.average(root, "output_token_throughput"));
        out.put(Metric.REQUEST_THROUGHPUT, StatDict.average(root, "request_throughput"));
        Double requests = StatDict.average(root, "request_count");
        out.deriveRuntime(requests);
        // input_config is GenAI-Perf's CLI config: model is a list of names, the load is concurrency or request_rate
        JsonNode config = root.path("input_config");
        JsonNode model = config.path("model");
        out.fact(ReportFacts.MODEL, model.isArray() ? JsonNumbers.text(model, 0) : JsonNumbers.text(config, "model"));
        out.countFact(ReportFacts.CONCURRENCY, JsonNumbers.lenient(config, "concurrency"));
        out.fact(ReportFacts.REQUEST_RATE, JsonNumbers.lenient(config, "request_rate"));
        out.fact(ReportFacts.ISL, StatDict.average(root, "input_sequence_length"));
        out.fact(ReportFacts.OSL, StatDict.average(root, "output_sequence_length"));
        out.countFact(ReportFacts.REQUESTS, requests);
        JsonNode latency = StatDict.find(root, "request_latency");
        out.runFingerprint(fingerprint(requests, stat(latency, "avg"), stat(latency, "min"), stat(latency, "max"),
                StatDict.average(root, "input_sequence_length"), StatDict.average(root, "output_sequence_length")));
    }

    private static Double stat(JsonNode dict, String stat) {
        return dict == null ? null : JsonNumbers.field(dict, stat, "request_latency." + stat);
    }

    /**
     * One GenAI-Perf run's identity, the same from the JSON and the CSV it writes side by side: the request count,
     * the request latency's mean, minimum and maximum, and the mean input and output sequence lengths, each at the
     * two decimals the CSV prints (it writes {@code f"{v:,.2f}"}). GenAI-Perf states no run id, time, duration or
     * token total; the latency extremes tell apart two runs of the same size and load.
     */
    static String fingerprint(Double requests, Double latencyAvg, Double latencyMin, Double latencyMax, Double isl,
                              Double osl) {
        return RunFingerprint.of("genai-perf").count("requests", requests)
                .rounded("request_latency_avg", latencyAvg, 2).rounded("request_latency_min", latencyMin, 2)
                .rounded("request_latency_max", latencyMax, 2).rounded("isl_avg", isl, 2).rounded("osl_avg", osl, 2)
                .value();
    }
}
