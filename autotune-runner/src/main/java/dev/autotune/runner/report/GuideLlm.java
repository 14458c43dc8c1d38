package dev.autotune.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.domain.Metric;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * GuideLLM {@code benchmarks.json} / {@code benchmarks.yaml}, both layouts: up to v0.3 (request counts in
 * {@code benchmarks[i].request_totals} / {@code run_stats.requests_made}) and v0.4+ (in
 * {@code metrics.request_totals} / {@code scheduler_metrics.requests_made}). The metric summaries are the same
 * in both: {@code metrics.<name>.successful = {mean, median, percentiles{p50?, p90, p95, p99}, count, ...}}.
 *
 * <p>Units and meanings: request_latency is in SECONDS (×1000); time_to_first_token_ms is ms;
 * inter_token_latency_ms excludes the first token, which is vLLM's TPOT, so it maps to tpot_ms
 * (time_per_output_token_ms includes the first token and is deliberately not used). Throughputs are the
 * successful-request means of output_tokens_per_second and requests_per_second; runtime is the benchmark's
 * duration. p50 is {@code percentiles.p50}, or {@code median} where (as in v0.3) there is no p50.
 *
 * <p>failure_rate = errored / total. Incomplete requests (cut off when the benchmark window closed) are in
 * the total but are not failures; a warning says how many there were.
 *
 * <p>A file holds one benchmark per sweep strategy. With several, the LAST one is used (for a sweep, the
 * highest load) and a warning names how many were present and which was used. A summary whose count is 0
 * means no such request, so its all-zero statistics stay absent.
 */
final class GuideLlm implements FormatReader {
    private static final Pattern YAML_BENCHMARKS_KEY = Pattern.compile("(?m)^benchmarks:");

    private final boolean yaml;

    private GuideLlm(boolean yaml) {
        this.yaml = yaml;
    }

    static GuideLlm json() {
        return new GuideLlm(false);
    }

    static GuideLlm yaml() {
        return new GuideLlm(true);
    }

    @Override
    public ReportFormat format() {
        return yaml ? ReportFormat.GUIDELLM_YAML : ReportFormat.GUIDELLM_JSON;
    }

    @Override
    public String title() {
        return yaml ? "GuideLLM YAML" : "GuideLLM JSON";
    }

    @Override
    public String expectation() {
        return "a " + (yaml ? "YAML" : "JSON") + " document with a 'benchmarks' list whose entries have 'metrics'";
    }

    @Override
    public boolean matches(ReportContent content) {
        return document(content).map(GuideLlm::isGuideLlm).orElse(false);
    }

    @Override
    public void read(ReportContent content, Readings out) {
        JsonNode benchmarks = document(content).orElseThrow().get("benchmarks");
        if (benchmarks.isEmpty()) {
            throw new ReportProblem("the GuideLLM report has no benchmarks");
        }
        int index = benchmarks.size() - 1;
        JsonNode benchmark = benchmarks.get(index);
        String at = "benchmarks[" + index + "]";
        if (benchmarks.size() > 1) {
            out.warn(benchmarks.size() + " benchmarks in the file; used the last one (" + at
                    + strategy(benchmark).map(s -> ", strategy " + s).orElse("") + ")");
        }
        JsonNode metrics = required(benchmark, "metrics", at);
        String m = at + ".metrics";

        readDistribution(metrics, "request_latency", m, LatencyUnit.SECONDS, Metric.LATENCY_MS, out);
        readDistribution(metrics, "time_to_first_token_ms", m, LatencyUnit.MILLISECONDS, Metric.TTFT_MS, out);
        readDistribution(metrics, "inter_token_latency_ms", m, LatencyUnit.MILLISECONDS, Metric.TPOT_MS, out);
        out.put(Metric.THROUGHPUT_TOKENS_PER_SEC, successfulMean(metrics, "output_tokens_per_second", m));
        out.put(Metric.REQUEST_THROUGHPUT, successfulMean(metrics, "requests_per_second", m));
        // duration is the last key GuideLLM writes, so requiring it also catches a truncated YAML file.
        Double duration = JsonNumbers.value(required(benchmark, "duration", at), at + ".duration");
        out.put(Metric.RUNTIME_SEC, duration);
        JsonNode totals = readFailureRate(benchmark, metrics, at, out);
        readFacts(benchmark, metrics, totals, index, out);
    }

    /**
     * The model (the worker's backend_model), the load setting of the benchmark's strategy (synchronous is one
     * request at a time; concurrent has streams; constant and poisson have a rate), the mean prompt and output
     * tokens of successful requests, the requests sent, and its start (epoch seconds). The run's fingerprint is
     * what GuideLLM's JSON, YAML and console summary all state: the run id, which benchmark of the run, and its
     * successful, incomplete and errored request counts.
     */
    private static void readFacts(JsonNode benchmark, JsonNode metrics, JsonNode totals, int index, Readings out) {
        out.fact(ReportFacts.MODEL, JsonNumbers.text(benchmark.path("worker"), "backend_model"));
        JsonNode strategy = benchmark.path("args").path("strategy");
        if (strategy.isMissingNode()) {
            strategy = benchmark.path("config").path("strategy");
        }
        String type = JsonNumbers.text(strategy, "type_");
        if ("synchronous".equals(type)) {
            out.fact(ReportFacts.CONCURRENCY, 1L);
        } else if ("concurrent".equals(type)) {
            out.countFact(ReportFacts.CONCURRENCY, JsonNumbers.lenient(strategy, "streams"));
        } else if ("constant".equals(type) || "poisson".equals(type)) {
            out.fact(ReportFacts.REQUEST_RATE, JsonNumbers.lenient(strategy, "rate"));
        }
        out.fact(ReportFacts.ISL, JsonNumbers.lenient(metrics.path("prompt_token_count").path("successful"), "mean"));
        out.fact(ReportFacts.OSL, JsonNumbers.lenient(metrics.path("output_token_count").path("successful"), "mean"));
        out.countFact(ReportFacts.REQUESTS, JsonNumbers.lenient(totals, "total"));
        out.measuredAt(StatedTime.fromEpochSeconds(JsonNumbers.lenient(benchmark, "start_time")));
        out.runFingerprint(fingerprint(JsonNumbers.text(benchmark, "run_id"), index,
                JsonNumbers.lenient(totals, "successful"), JsonNumbers.lenient(totals, "incomplete"),
                JsonNumbers.lenient(totals, "errored")));
    }

    /** One GuideLLM benchmark's identity in the run, the same from its JSON, YAML and console summary. */
    static String fingerprint(String runId, int index, Double successful, Double incomplete, Double errored) {
        return RunFingerprint.of("guidellm").text("run_id", runId).count("benchmark", (double) index)
                .count("successful", successful).count("incomplete", incomplete).count("errored", errored).value();
    }

    private Optional<JsonNode> document(ReportContent content) {
        if (!yaml) {
            return content.jsonDocument();
        }
        // Only parse as YAML what has GuideLLM's top-level key, so a log with "key: value" lines is left alone.
        return YAML_BENCHMARKS_KEY.matcher(content.text()).find() ? content.yamlDocument() : Optional.empty();
    }

    private static boolean isGuideLlm(JsonNode root) {
        JsonNode benchmarks = root.get("benchmarks");
        if (benchmarks == null || !benchmarks.isArray()) {
            return false;
        }
        for (JsonNode b : benchmarks) {
            if (!b.path("metrics").isObject()) {
                return false;
            }
        }
        return true;
    }

    private static void readDistribution(JsonNode metrics, String name, String at, LatencyUnit unit, Metric mean,
                                         Readings out) {
        JsonNode summary = successful(metrics, name, at);
        if (summary == null) {
            return;
        }
        String s = at + "." + name + ".successful";
        JsonNode percentiles = summary.path("percentiles");
        out.putDistribution(mean, stat -> millis(switch (stat) {
            case "mean" -> JsonNumbers.field(summary, "mean", s + ".mean");
            case "p50" -> {
                Double p50 = JsonNumbers.field(percentiles, "p50", s + ".percentiles.p50");
                yield p50 != null ? p50 : JsonNumbers.field(summary, "median", s + ".median");
            }
            default -> JsonNumbers.field(percentiles, stat, s + ".percentiles." + stat);
        }, unit));
    }

    private static Double successfulMean(JsonNode metrics, String name, String at) {
        JsonNode summary = successful(metrics, name, at);
        return summary == null ? null : JsonNumbers.field(summary, "mean", at + "." + name + ".successful.mean");
    }

    /** The successful-request summary, or null when there were no successful requests to summarize. */
    private static JsonNode successful(JsonNode metrics, String name, String at) {
        JsonNode summary = required(metrics, name, at).get("successful");
        if (summary == null || summary.isNull()) {
            return null;
        }
        if (!summary.isObject()) {
            throw new ReportProblem(at + "." + name + ".successful is " + JsonNumbers.describe(summary)
                    + ", expected an object");
        }
        Double count = JsonNumbers.field(summary, "count", at + "." + name + ".successful.count");
        return count != null && count == 0 ? null : summary;
    }

    /** Puts failure_rate from the benchmark's request totals, and returns them (a missing node when absent). */
    private static JsonNode readFailureRate(JsonNode benchmark, JsonNode metrics, String at, Readings out) {
        String source;
        JsonNode totals;
        if (metrics.path("request_totals").isObject()) {
            totals = metrics.get("request_totals");
            source = at + ".metrics.request_totals";
        } else if (benchmark.path("request_totals").isObject()) {
            totals = benchmark.get("request_totals");
            source = at + ".request_totals";
        } else {
            totals = benchmark.path("scheduler_metrics").path("requests_made");
            source = at + ".scheduler_metrics.requests_made";
            if (!totals.isObject()) {
                totals = benchmark.path("run_stats").path("requests_made");
                source = at + ".run_stats.requests_made";
            }
        }
        if (!totals.isObject()) {
            out.warn("no request totals in " + at + "; failure_rate is left absent");
            return totals;
        }
        Double errored = JsonNumbers.field(totals, "errored", source + ".errored");
        Double total = JsonNumbers.field(totals, "total", source + ".total");
        Double incomplete = JsonNumbers.field(totals, "incomplete", source + ".incomplete");
        out.putFailureRate(errored, total, source + " errored/total");
        if (incomplete != null && incomplete > 0) {
            out.warn(incomplete.longValue() + " incomplete request(s), cut off when the benchmark window closed,"
                    + " count in the total but not as failures");
        }
        return totals;
    }

    private static Optional<String> strategy(JsonNode benchmark) {
        JsonNode type = benchmark.path("args").path("strategy").path("type_");
        if (type.isMissingNode()) {
            type = benchmark.path("config").path("strategy").path("type_");
        }
        return type.isTextual() ? Optional.of(type.asText()) : Optional.empty();
    }

    private static JsonNode required(JsonNode parent, String field, String at) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new ReportProblem(at + "." + field + " is missing (truncated or not a GuideLLM report)");
        }
        return node;
    }

    private static Double millis(Double value, LatencyUnit unit) {
        return value == null ? null : unit.toMillis(value);
    }
}
