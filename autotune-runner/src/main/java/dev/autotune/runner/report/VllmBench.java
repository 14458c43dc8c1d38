package dev.autotune.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.domain.Metric;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code vllm bench serve --save-result} JSON (and the legacy benchmarks/benchmark_serving.py), e.g. CloudAI's
 * {@code vllm-bench.json}. {@code --append-result} writes one object per line; then the last line is used.
 *
 * <p>TTFT/TPOT/ITL/E2EL come from {@code mean_/median_/pNN_*_ms} ({@code p99.9_} and other percentiles are
 * ignored). E2EL is only present when requested with --percentile-metrics; otherwise latency is computed from
 * the per-request {@code latencies} (seconds) of successful requests, when the file has them.
 * failure_rate = failed / (completed + failed); legacy files have no {@code failed}, so
 * (num_prompts − completed) / num_prompts. With completed = 0 vLLM writes 0 for every statistic
 * (np.mean of [0]), so those are left absent.
 */
final class VllmBench implements FormatReader {
    @Override
    public ReportFormat format() {
        return ReportFormat.VLLM_JSON;
    }

    @Override
    public String title() {
        return "vLLM bench serve JSON";
    }

    @Override
    public String expectation() {
        return "a JSON object with 'completed' and mean_ttft_ms/mean_tpot_ms/output_throughput-style keys";
    }

    @Override
    public boolean matches(ReportContent content) {
        return ServingResultKeys.anyServingResult(content);
    }

    @Override
    public boolean claims(ReportContent content) {
        List<JsonNode> results = ServingResultKeys.results(content);
        return matches(content) && ServingResultKeys.flavor(content, results) == ServingResultKeys.Flavor.VLLM;
    }

    @Override
    public void read(ReportContent content, Readings out) {
        List<JsonNode> results = ServingResultKeys.results(content);
        JsonNode result = results.get(results.size() - 1);
        if (results.size() > 1) {
            out.warn(results.size() + " appended results in the file; used the last one");
        }
        if (!ServingResultKeys.isServingResult(result)) {
            throw new ReportProblem("the last result has no 'completed' count or serving metric keys");
        }
        Double completed = JsonNumbers.field(result, "completed", "completed");
        Double failed = JsonNumbers.field(result, "failed", "failed");
        Double prompts = JsonNumbers.field(result, "num_prompts", "num_prompts");
        readFacts(result, completed, failed, prompts, out);
        if (failed != null && completed != null) {
            out.putFailureRate(failed, completed + failed, "failed/(completed+failed)");
        } else if (prompts != null && completed != null) {
            out.putFailureRate(prompts - completed, prompts, "(num_prompts-completed)/num_prompts");
        } else {
            out.warn("neither 'failed' nor 'num_prompts' in the result; failure_rate is left absent");
        }
        if (completed != null && completed == 0) {
            out.warn("no request completed; vLLM writes 0 for every statistic then, so they are left absent");
            return;
        }
        ServingResultKeys.readLatency(result, "ttft", Metric.TTFT_MS, out);
        ServingResultKeys.readLatency(result, "tpot", Metric.TPOT_MS, out);
        ServingResultKeys.readLatency(result, "itl", Metric.ITL_MS, out);
        ServingResultKeys.readLatency(result, "e2el", Metric.LATENCY_MS, out);
        if (!out.has(Metric.LATENCY_MS)) {
            Percentiles.summarize(successfulLatenciesMs(result), Metric.LATENCY_MS, out);
        }
        out.put(Metric.THROUGHPUT_TOKENS_PER_SEC, JsonNumbers.field(result, "output_throughput", "output_throughput"));
        out.put(Metric.REQUEST_THROUGHPUT, JsonNumbers.field(result, "request_throughput", "request_throughput"));
        out.put(Metric.RUNTIME_SEC, JsonNumbers.field(result, "duration", "duration"));
    }

    /** The shared serving facts, the model, how many requests were sent, and when ({@code date}, local time). */
    private static void readFacts(JsonNode result, Double completed, Double failed, Double prompts, Readings out) {
        ServingResultKeys.readFacts(result, out);
        out.fact(ReportFacts.MODEL, JsonNumbers.text(result, "model_id"));
        out.countFact(ReportFacts.REQUESTS, prompts != null ? prompts
                : completed != null && failed != null ? (Double) (completed + failed) : null);
        out.measuredAt(StatedTime.fromText(JsonNumbers.text(result, "date"), "date", out));
    }

    /**
     * {@code latencies} has one entry per request, failed ones included with latency 0.0; {@code errors}
     * (same order) says which failed. Without it, the zeros are the failed requests.
     */
    private static List<Double> successfulLatenciesMs(JsonNode result) {
        JsonNode latencies = result.get("latencies");
        List<Double> ms = new ArrayList<>();
        if (latencies == null || !latencies.isArray()) {
            return ms;
        }
        JsonNode errors = result.get("errors");
        boolean errorsAligned = errors != null && errors.isArray() && errors.size() == latencies.size();
        for (int i = 0; i < latencies.size(); i++) {
            Double seconds = JsonNumbers.value(latencies.get(i), "latencies[" + i + "]");
            boolean failedRequest = errorsAligned
                    ? ServingResultKeys.isError(errors.get(i))
                    : seconds != null && seconds == 0;
            if (seconds != null && !failedRequest) {
                ms.add(seconds * 1000);
            }
        }
        return ms;
    }
}
