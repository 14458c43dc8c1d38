package dev.autotune.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.domain.Metric;

import java.util.List;
import java.util.stream.StreamSupport;

/**
 * The flat result object shared by {@code vllm bench serve} and SGLang's bench_serving:
 * {@code mean_/median_/pNN_<metric>_ms} keys plus {@code completed}, {@code duration} and throughputs.
 * Also the rule that tells the two apart when a file does not say which tool wrote it.
 */
final class ServingResultKeys {
    /** Keys only vLLM writes (SGLang spells end-to-end latency e2e_latency and has no failed count). */
    private static final List<String> VLLM_ONLY = List.of("failed", "endpoint_type", "model_id", "tokenizer_id",
            "burstiness", "date", "total_token_throughput", "request_goodput", "request_goodput:", "rtfx",
            "mean_e2el_ms");
    /** Keys only SGLang writes. */
    private static final List<String> SGLANG_ONLY = List.of("mean_e2e_latency_ms", "total_output_tokens_retokenized",
            "accept_length", "server_info", "sharegpt_output_len", "random_range_ratio", "total_throughput",
            "concurrency", "total_output");
    private static final List<String> RESULT_KEYS = List.of("mean_ttft_ms", "mean_tpot_ms", "mean_itl_ms",
            "mean_e2el_ms", "mean_e2e_latency_ms", "output_throughput", "request_throughput");

    enum Flavor { VLLM, SGLANG, EITHER }

    private ServingResultKeys() {
    }

    /**
     * The result objects in a file: one for a JSON document, one per line for JSON lines (each line is one
     * run appended by the tool).
     */
    static List<JsonNode> results(ReportContent content) {
        return content.jsonDocument().map(List::of)
                .or(() -> content.jsonLines().map(lines -> lines.stream().map(ReportContent.JsonLine::node).toList()))
                .orElse(List.of());
    }

    /** True for an object with {@code completed} and at least one serving result key. */
    static boolean isServingResult(JsonNode node) {
        return node.isObject() && node.has("completed") && RESULT_KEYS.stream().anyMatch(node::has);
    }

    /** Which tool wrote a result object, judged by the keys only one of them writes. */
    static Flavor flavor(JsonNode node) {
        boolean vllm = VLLM_ONLY.stream().anyMatch(node::has);
        boolean sglang = SGLANG_ONLY.stream().anyMatch(node::has)
                || node.path("backend").asText("").startsWith("sglang");
        if (vllm == sglang) {
            return Flavor.EITHER;
        }
        return vllm ? Flavor.VLLM : Flavor.SGLANG;
    }

    /**
     * Detection for files whose keys fit both tools (CloudAI's trimmed samples): JSON lines (several lines,
     * or a .jsonl name) are SGLang, which always appends one line per run; a single JSON object is vLLM.
     */
    static Flavor flavor(ReportContent content, List<JsonNode> results) {
        Flavor judged = Flavor.EITHER;
        for (JsonNode result : results) {
            Flavor f = flavor(result);
            if (f != Flavor.EITHER) {
                judged = f;
                break;
            }
        }
        if (judged != Flavor.EITHER) {
            return judged;
        }
        return results.size() > 1 || content.fileNameEndsWith(".jsonl") ? Flavor.SGLANG : Flavor.VLLM;
    }

    /** Whether any value of the file is a vLLM/SGLang serving result: the structure both readers share. */
    static boolean anyServingResult(ReportContent content) {
        return results(content).stream().anyMatch(ServingResultKeys::isServingResult);
    }

    /** Puts mean, median (p50) and p90/p95/p99 of {@code <name>} from {@code mean_<name>_ms} etc. */
    static void readLatency(JsonNode result, String name, Metric mean, Readings out) {
        out.putDistribution(mean, stat -> {
            if (stat.equals("p50")) {
                Double median = JsonNumbers.field(result, "median_" + name + "_ms", "median_" + name + "_ms");
                if (median != null) {
                    return median;
                }
            }
            String key = stat + "_" + name + "_ms";
            return JsonNumbers.field(result, key, key);
        });
    }

    /** An entry of the per-request {@code errors} list: both tools write "" (or null) for a success. */
    static boolean isError(JsonNode entry) {
        return entry != null && !entry.isNull() && !(entry.isTextual() && entry.asText().isEmpty());
    }

    /** Puts failure_rate from the per-request {@code errors} list (empty string or null = success). */
    static boolean readFailuresFromErrors(JsonNode result, Readings out) {
        JsonNode errors = result.get("errors");
        if (errors == null || !errors.isArray() || errors.isEmpty()) {
            return false;
        }
        long failed = StreamSupport.stream(errors.spliterator(), false).filter(ServingResultKeys::isError).count();
        out.putFailureRate((double) failed, (double) errors.size(), "errors list");
        return true;
    }

    /**
     * The facts vLLM's and SGLang's results share: the client backend ({@code backend}), the load settings
     * ({@code max_concurrency}; {@code request_rate}, where inf means no rate limit and is left out) and the mean
     * input/output tokens of the completed requests (their token totals over {@code completed}).
     */
    static void readFacts(JsonNode result, Readings out) {
        out.fact(ReportFacts.SERVING_BACKEND, JsonNumbers.text(result, "backend"));
        out.countFact(ReportFacts.CONCURRENCY, JsonNumbers.lenient(result, "max_concurrency"));
        out.fact(ReportFacts.REQUEST_RATE, JsonNumbers.lenient(result, "request_rate"));
        Double completed = JsonNumbers.lenient(result, "completed");
        if (completed != null && completed > 0) {
            Double input = JsonNumbers.lenient(result, "total_input_tokens");
            Double output = JsonNumbers.lenient(result, "total_output_tokens");
            out.fact(ReportFacts.ISL, input == null ? null : input / completed);
            out.fact(ReportFacts.OSL, output == null ? null : output / completed);
        }
        out.runFingerprint(fingerprint(completed, JsonNumbers.lenient(result, "failed"),
                JsonNumbers.lenient(result, "total_input_tokens"), JsonNumbers.lenient(result, "total_output_tokens"),
                JsonNumbers.lenient(result, "duration")));
    }

    /**
     * One vLLM or SGLang serving benchmark's identity, the same from the result it saved (vLLM's JSON, SGLang's
     * JSONL line) and the "Serving Benchmark Result" block it printed (the console log CloudAI keeps beside it as
     * vllm-bench.log): successful and failed requests and the input and output token totals (integers in both),
     * and the duration to the two decimals the block prints. The failed count is 0 where the tool states none
     * (SGLang, and vLLM before it counted failures), in the saved result and the printed block alike.
     */
    static String fingerprint(Double completed, Double failed, Double totalInput, Double totalOutput, Double seconds) {
        return RunFingerprint.of("serving-bench").count("completed", completed)
                .count("failed", failed == null ? 0.0 : failed).count("total_input_tokens", totalInput)
                .count("total_output_tokens", totalOutput).rounded("duration_sec", seconds, 2).value();
    }
}
