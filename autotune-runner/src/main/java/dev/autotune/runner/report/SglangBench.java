package dev.autotune.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.domain.Metric;

import java.util.List;

/**
 * SGLang {@code bench_serving} JSONL ({@code --output-file}, one line appended per run), e.g. CloudAI's
 * {@code sglang-bench.jsonl}. As CloudAI does, the first line with completed > 0 is used (with a warning when
 * the file has more lines).
 *
 * <p>Latency is {@code *_e2e_latency_ms}; TTFT/TPOT/ITL as named. throughput_tokens_per_sec is
 * {@code output_throughput} (tok/s) and request_throughput is {@code request_throughput} (req/s); note that
 * CloudAI's own "throughput" for SGLang is the req/s figure. SGLang writes no failed count:
 * failure_rate comes from the per-request {@code errors} list, else (len(input_lens) − completed) /
 * len(input_lens) (both need --output-details), else (num_prompts − completed) / num_prompts when a
 * num_prompts key is present (CloudAI's record has one), else it is absent.
 */
final class SglangBench implements FormatReader {
    @Override
    public ReportFormat format() {
        return ReportFormat.SGLANG_JSONL;
    }

    @Override
    public String title() {
        return "SGLang bench_serving JSONL";
    }

    @Override
    public String expectation() {
        return "JSON lines with 'completed' and mean_ttft_ms/mean_e2e_latency_ms/output_throughput-style keys";
    }

    @Override
    public boolean matches(ReportContent content) {
        return ServingResultKeys.anyServingResult(content);
    }

    @Override
    public boolean claims(ReportContent content) {
        return matches(content)
                && ServingResultKeys.flavor(content, ServingResultKeys.results(content)) == ServingResultKeys.Flavor.SGLANG;
    }

    @Override
    public void read(ReportContent content, Readings out) {
        List<JsonNode> results = ServingResultKeys.results(content);
        int used = -1;
        for (int i = 0; i < results.size() && used < 0; i++) {
            JsonNode r = results.get(i);
            if (ServingResultKeys.isServingResult(r)) {
                Double completed = JsonNumbers.field(r, "completed", "line " + (i + 1) + ": completed");
                if (completed != null && completed > 0) {
                    used = i;
                }
            }
        }
        if (used < 0) {
            throw new ReportProblem("no SGLang result line with completed > 0");
        }
        if (results.size() > 1) {
            out.warn(results.size() + " result lines in the file; used result " + (used + 1)
                    + ", the first with completed > 0 (as CloudAI does)");
        }
        JsonNode result = results.get(used);
        ServingResultKeys.readLatency(result, "e2e_latency", Metric.LATENCY_MS, out);
        ServingResultKeys.readLatency(result, "ttft", Metric.TTFT_MS, out);
        ServingResultKeys.readLatency(result, "tpot", Metric.TPOT_MS, out);
        ServingResultKeys.readLatency(result, "itl", Metric.ITL_MS, out);
        out.put(Metric.THROUGHPUT_TOKENS_PER_SEC, JsonNumbers.field(result, "output_throughput", "output_throughput"));
        out.put(Metric.REQUEST_THROUGHPUT, JsonNumbers.field(result, "request_throughput", "request_throughput"));
        out.put(Metric.RUNTIME_SEC, JsonNumbers.field(result, "duration", "duration"));
        readFailureRate(result, out);
        ServingResultKeys.readFacts(result, out);
        out.fact(ReportFacts.MODEL, JsonNumbers.text(result.path("server_info"), "model_path"));
        JsonNode inputLens = result.get("input_lens");
        Double prompts = JsonNumbers.lenient(result, "num_prompts");
        out.countFact(ReportFacts.REQUESTS, prompts != null ? prompts
                : inputLens != null && inputLens.isArray() && !inputLens.isEmpty() ? (Double) (double) inputLens.size()
                : null);
    }

    private static void readFailureRate(JsonNode result, Readings out) {
        if (ServingResultKeys.readFailuresFromErrors(result, out)) {
            return;
        }
        Double completed = JsonNumbers.field(result, "completed", "completed");
        JsonNode inputLens = result.get("input_lens");
        if (inputLens != null && inputLens.isArray() && !inputLens.isEmpty()) {
            double sent = inputLens.size();
            out.putFailureRate(sent - completed, sent, "(len(input_lens)-completed)/len(input_lens)");
            return;
        }
        Double prompts = JsonNumbers.field(result, "num_prompts", "num_prompts");
        if (prompts != null) {
            out.putFailureRate(prompts - completed, prompts, "(num_prompts-completed)/num_prompts");
            return;
        }
        out.warn("SGLang writes no failed count and the result has no errors/input_lens (--output-details);"
                + " failure_rate is left absent");
    }
}
