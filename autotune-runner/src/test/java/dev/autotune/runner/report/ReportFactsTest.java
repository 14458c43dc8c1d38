package dev.autotune.runner.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static dev.autotune.domain.Metric.FAILURE_RATE;
import static dev.autotune.domain.Metric.LATENCY_MS;
import static dev.autotune.domain.Metric.REQUEST_THROUGHPUT;
import static dev.autotune.domain.Metric.RUNTIME_SEC;
import static dev.autotune.domain.Metric.THROUGHPUT_TOKENS_PER_SEC;
import static dev.autotune.domain.Metric.TPOT_MS;
import static dev.autotune.domain.Metric.TTFT_MS;
import static dev.autotune.runner.report.ReportTesting.parse;
import static dev.autotune.runner.report.ReportTesting.sample;
import static dev.autotune.runner.report.ReportTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The facts a report states beside its metrics, read from the real samples; values read by hand from the files. */
class ReportFactsTest {
    private static final String RUN1 = "aiperf/run1-2025-10-03/";
    private static final String SMOKE = "aiperf/v0.8.0-smoke-100k-conc/";
    private static final String GUIDELLM = "guidellm/pre-v0.4-stripped-fixture/";

    @Test
    void aiperfPreReleaseJsonStatesModelLoadLengthsRequestsAndStart() {
        ReportFacts facts = parse(sample(RUN1 + "profile_export_aiperf.json")).facts();
        // input_config.endpoint.model_names[0], loadgen.concurrency; input/output_sequence_length.avg;
        // request_count 89 + error_request_count 11; min_request_timestamp 1.759522419154569e18 ns
        assertThat(facts.workload()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "model", "openai/gpt-oss-20b", "concurrency", 100L, "isl", 550L,
                "osl", 242.96629213483146, "requests", 100L));
        assertThat(facts.measuredAt()).isEqualTo(Instant.parse("2025-10-03T20:13:39.154Z"));
        assertThat(facts.runFingerprint()).hasSize(64);
    }

    @Test
    void aiperf08JsonReadsTheProfilingPhaseAndTheZonelessStartTimeAsUtc() {
        ParsedReport report = parse(sample(SMOKE + "profile_export_aiperf.json"));
        // input_config.models.items[0].name, phases[profiling].concurrency; 481414 + 18586 requests
        assertThat(report.facts().workload()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "model", "mock", "concurrency", 100000L, "isl", 128L, "osl", 101L, "requests", 500000L));
        // start_time "2026-05-01T05:29:24.409521" has no zone
        assertThat(report.facts().measuredAt()).isEqualTo(Instant.parse("2026-05-01T05:29:24.409Z"));
    }

    @Test
    void theJsonCsvAndJsonlOfOneAiperfRunHaveOneFingerprint() {
        ReportFacts json = parse(sample(RUN1 + "profile_export_aiperf.json")).facts();
        ReportFacts csv = parse(sample(RUN1 + "profile_export_aiperf.csv")).facts();
        ReportFacts jsonl = parse(sample(RUN1 + "profile_export.jsonl")).facts();
        assertThat(csv.runFingerprint()).isNotNull().isEqualTo(json.runFingerprint());
        assertThat(jsonl.runFingerprint()).isEqualTo(json.runFingerprint());
        // the CSV's Minimum Request Timestamp and the JSONL's first request are the same millisecond
        assertThat(csv.measuredAt()).isEqualTo(json.measuredAt());
        assertThat(jsonl.measuredAt()).isEqualTo(json.measuredAt());
        assertThat(csv.workload()).containsEntry("requests", 100L).containsEntry("isl", 550L)
                .containsEntry("osl", 242.97);
        assertThat(jsonl.workload()).containsEntry("requests", 100L).containsEntry("isl", 550L);
        assertThat((Double) jsonl.workload().get("osl")).isCloseTo(242.96629213483146, within(1e-9));

        ReportFacts smokeJson = parse(sample(SMOKE + "profile_export_aiperf.json")).facts();
        ReportFacts smokeCsv = parse(sample(SMOKE + "profile_export_aiperf.csv")).facts();
        assertThat(smokeCsv.runFingerprint()).isNotNull().isEqualTo(smokeJson.runFingerprint());
        assertThat(smokeJson.runFingerprint()).isNotEqualTo(json.runFingerprint());
        assertThat(smokeCsv.measuredAt()).as("this CSV states no time").isNull();
    }

    @Test
    void anotherRunWithTheSameCountsButAnotherDurationIsAnotherRun(@TempDir Path dir) throws Exception {
        String csv = Files.readString(sample(RUN1 + "profile_export_aiperf.csv"));
        Path rerun = write(dir, "rerun.csv", csv.replace("Benchmark Duration (sec),9.32", "Benchmark Duration (sec),9.41"));
        assertThat(parse(rerun).facts().runFingerprint()).isNotNull()
                .isNotEqualTo(parse(sample(RUN1 + "profile_export_aiperf.csv")).facts().runFingerprint());
    }

    @Test
    void guidellmJsonYamlAndConsoleSummaryAreOneRun() {
        ParsedReport json = parse(sample(GUIDELLM + "benchmarks_stripped.json"));
        ParsedReport yaml = parse(sample(GUIDELLM + "benchmarks_stripped.yaml"));
        ParsedReport console = parse(sample(GUIDELLM + "benchmarks_stripped_output.txt"));
        // worker.backend_model, strategy synchronous (one at a time), prompt/output_token_count successful means,
        // request_totals.total 47, start_time 1749157168.1827004
        assertThat(json.facts().workload()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "model", "example_model", "concurrency", 1L, "isl", 257.1086956521739,
                "osl", 127.99999999999999, "requests", 47L));
        assertThat(json.facts().measuredAt()).isEqualTo(Instant.parse("2025-06-05T20:59:28.182Z"));
        assertThat(yaml.facts()).isEqualTo(json.facts());
        assertThat(console.format()).isEqualTo(ReportFormat.GUIDELLM_CONSOLE);
        assertThat(console.facts().runFingerprint()).isNotNull().isEqualTo(json.facts().runFingerprint());
        assertThat(console.facts().workload()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "model", "example_model", "concurrency", 1L, "isl", 257.1, "osl", 128L, "requests", 47L));
        assertThat(console.facts().measuredAt()).as("the console prints clock times without a date").isNull();
    }

    @Test
    void guidellmConsoleSummaryMetricsAsPrinted() {
        ParsedReport console = parse(sample(GUIDELLM + "benchmarks_stripped_output.txt"));
        // Benchmarks Stats row "synchronous": Req Latency 0.64/0.64/0.69 s, TTFT 16.8/16.4/21.3, ITL 4.9/4.9/5.3
        assertThat(console.metrics()).containsEntry(LATENCY_MS, 640.0).containsEntry(TTFT_MS, 16.8)
                .containsEntry(TPOT_MS, 4.9).containsEntry(THROUGHPUT_TOKENS_PER_SEC, 198.1)
                .containsEntry(REQUEST_THROUGHPUT, 1.55).containsEntry(RUNTIME_SEC, 30.0)
                .containsEntry(FAILURE_RATE, 0.0);
        assertThat(console.get(dev.autotune.domain.Metric.percentile(LATENCY_MS, 99).orElseThrow())).isEqualTo(690.0);
    }

    @Test
    void vllmBenchStatesModelBackendConcurrencyAndDate() {
        ParsedReport vllm = parse(sample("cloudai/real_cli_runs/fake_slurm_vllm_dse/vllm.dse.1node/0/3/vllm-bench.json"));
        assertThat(vllm.facts().workload()).containsKey("concurrency");
        ParsedReport trimmed = parse(sample("cloudai/extracted_from_tests/vllm/vllm-bench.json"));
        // CloudAI's trimmed record: num_prompts 30, max_concurrency 16, nothing else stated
        assertThat(trimmed.facts().workload()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "concurrency", 16L, "requests", 30L));
        assertThat(trimmed.facts().measuredAt()).isNull();
    }

    @Test
    void vllmFullResultAndSglangLine(@TempDir Path dir) {
        Path vllm = write(dir, "vllm.json", """
                {"date": "20250301-141500", "backend": "vllm", "model_id": "meta-llama/Llama-3.1-8B-Instruct",
                 "num_prompts": 200, "request_rate": "inf", "max_concurrency": 8, "duration": 20.0, "completed": 198,
                 "failed": 2, "total_input_tokens": 101376, "total_output_tokens": 25344, "request_throughput": 9.9,
                 "output_throughput": 1267.2, "mean_ttft_ms": 30.0}
                """);
        ParsedReport v = parse(vllm);
        assertThat(v.facts().workload()).containsExactlyInAnyOrderEntriesOf(Map.of("model",
                "meta-llama/Llama-3.1-8B-Instruct", "serving_backend", "vllm", "concurrency", 8L, "isl", 512L,
                "osl", 128L, "requests", 200L));
        assertThat(v.facts().measuredAt()).isEqualTo(Instant.parse("2025-03-01T14:15:00Z"));

        Path sglang = write(dir, "sglang.jsonl", """
                {"backend": "sglang", "request_rate": 4.0, "max_concurrency": null, "completed": 100, "duration": 25.0, "total_input_tokens": 102400, "total_output_tokens": 12800, "output_throughput": 512.0, "mean_e2e_latency_ms": 900.0, "server_info": {"model_path": "Qwen/Qwen2.5-7B"}, "num_prompts": 100}
                """);
        assertThat(parse(sglang).facts().workload()).containsExactlyInAnyOrderEntriesOf(Map.of("model",
                "Qwen/Qwen2.5-7B", "serving_backend", "sglang", "request_rate", 4L, "isl", 1024L, "osl", 128L,
                "requests", 100L));
    }

    @Test
    void genaiPerfCsvStatesLengthsAndRequestsButNoTime() {
        ParsedReport genai = parse(sample("genai-perf/cloudai-userguide-excerpt/profile_genai_perf.csv"));
        // Input/Output Sequence Length avg "3,000.05" and 174.45, Request Count (count) 40.00
        assertThat(genai.facts().workload()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "isl", 3000.05, "osl", 174.45, "requests", 40L));
        assertThat(genai.facts().measuredAt()).isNull();
        assertThat(genai.facts().runFingerprint()).hasSize(64);
    }

    /**
     * GenAI-Perf writes profile_export_genai_perf.json and .csv for every run. No real JSON exists upstream (see
     * PROVENANCE.md), so the JSON here is the exporter's layout (genai_perf/export_data/json_exporter.py) holding
     * full-precision figures that the CSV writer's f"{v:,.2f}" prints as the real CSV excerpt states them.
     */
    @Test
    void genaiPerfJsonAndCsvOfOneRunHaveOneFingerprint(@TempDir Path dir) {
        String json = """
                {"request_latency": {"unit": "ms", "avg": 6406.204871, "min": 5371.468112, "max": %s,
                                     "p99": 9436.1312, "p50": 5690.2277},
                 "time_to_first_token": {"unit": "ms", "avg": 1146.3088, "p50": 640.0711},
                 "inter_token_latency": {"unit": "ms", "avg": 30.3521},
                 "output_sequence_length": {"unit": "tokens", "avg": 174.45},
                 "input_sequence_length": {"unit": "tokens", "avg": 3000.05},
                 "output_token_throughput": {"unit": "tokens/sec", "avg": 261.2466},
                 "request_throughput": {"unit": "requests/sec", "avg": 1.4977},
                 "request_count": {"unit": "count", "avg": 40},
                 "input_config": {"model": ["llama"], "concurrency": 2}}
                """;
        ParsedReport csv = parse(sample("genai-perf/cloudai-userguide-excerpt/profile_genai_perf.csv"));
        ParsedReport sameRun = parse(write(dir, "profile_export_genai_perf.json", json.formatted("9608.7231")));
        assertThat(sameRun.format()).isEqualTo(ReportFormat.GENAI_PERF_JSON);
        assertThat(sameRun.facts().runFingerprint()).isNotNull().isEqualTo(csv.facts().runFingerprint());
        // another run of the same size whose slowest request differs in the second decimal
        ParsedReport otherRun = parse(write(dir, "other_genai_perf.json", json.formatted("9608.7391")));
        assertThat(otherRun.facts().runFingerprint()).isNotNull().isNotEqualTo(csv.facts().runFingerprint());
    }

    /**
     * vLLM saves its result JSON (--save-result) and prints the same run's "Serving Benchmark Result" block,
     * which CloudAI keeps beside it as vllm-bench.log: the block's lines as vllm/benchmarks/serve.py prints them
     * ({:<40} {:<10}, the duration with .2f). No real pair exists upstream (FORMATS.md), so both are written here.
     */
    @Test
    void vllmResultJsonAndItsPrintedBlockAreOneRun(@TempDir Path dir) {
        String json = """
                {"date": "20250301-141500", "backend": "vllm", "model_id": "meta-llama/Llama-3.1-8B-Instruct",
                 "num_prompts": 200, "request_rate": "inf", "max_concurrency": 8, "duration": %s, "completed": 198,
                 "failed": 2, "total_input_tokens": 101376, "total_output_tokens": 25344, "request_throughput": 9.9,
                 "output_throughput": 1267.2, "mean_ttft_ms": 30.0, "median_ttft_ms": 29.0, "p99_ttft_ms": 41.0}
                """;
        Path log = write(dir, "vllm-bench.log", """
                INFO 03-01 14:15:00 [serve.py:1]  Starting main benchmark run...
                ============ Serving Benchmark Result ============
                Successful requests:                     198       
                Failed requests:                         2         
                Maximum request concurrency:             8         
                Benchmark duration (s):                  20.00     
                Total input tokens:                      101376    
                Total generated tokens:                  25344     
                Request throughput (req/s):              9.90      
                Output token throughput (tok/s):         1267.20   
                ---------------Time to First Token----------------
                Mean TTFT (ms):                          30.00     
                Median TTFT (ms):                        29.00     
                P99 TTFT (ms):                           41.00     
                ==================================================
                """);
        ParsedReport printed = parse(log);
        assertThat(printed.format()).isEqualTo(ReportFormat.TEXT_LOG);
        ParsedReport saved = parse(write(dir, "vllm-bench.json", json.formatted("20.0041")));
        assertThat(saved.facts().runFingerprint()).isNotNull().isEqualTo(printed.facts().runFingerprint());
        ParsedReport rerun = parse(write(dir, "rerun.json", json.formatted("20.0172")));
        assertThat(rerun.facts().runFingerprint()).isNotNull().isNotEqualTo(printed.facts().runFingerprint());
    }

    /** SGLang appends its result line to the JSONL and prints the block (sglang/bench_serving.py): no failed count. */
    @Test
    void sglangResultLineAndItsPrintedBlockAreOneRun(@TempDir Path dir) {
        Path jsonl = write(dir, "sglang-bench.jsonl", """
                {"backend": "sglang", "request_rate": 4.0, "max_concurrency": null, "completed": 100, "duration": 24.9987, "total_input_tokens": 102400, "total_output_tokens": 12800, "output_throughput": 512.03, "mean_e2e_latency_ms": 900.0, "server_info": {"model_path": "Qwen/Qwen2.5-7B"}, "num_prompts": 100}
                """);
        Path log = write(dir, "sglang-bench.log", """
                ============ Serving Benchmark Result ============
                Backend:                                 sglang    
                Traffic request rate:                    4.0       
                Max request concurrency:                 not set   
                Successful requests:                     100       
                Benchmark duration (s):                  25.00     
                Total input tokens:                      102400    
                Total generated tokens:                  12800     
                Total generated tokens (retokenized):    12795     
                Request throughput (req/s):              4.00      
                Output token throughput (tok/s):         512.03    
                ----------------End-to-End Latency----------------
                Mean E2E Latency (ms):                   900.00    
                ==================================================
                """);
        assertThat(parse(jsonl).facts().runFingerprint()).isNotNull().isEqualTo(parse(log).facts().runFingerprint());
    }

    @Test
    void genaiPerfJsonStatesItsCliConfig(@TempDir Path dir) {
        Path json = write(dir, "profile_export_genai_perf.json", """
                {"request_latency": {"unit": "ms", "avg": 6406.2, "p50": 5690.23},
                 "time_to_first_token": {"unit": "ms", "avg": 1146.31},
                 "request_count": {"unit": "count", "avg": 40},
                 "input_sequence_length": {"unit": "tokens", "avg": 3000.05},
                 "output_sequence_length": {"unit": "tokens", "avg": 174.45},
                 "input_config": {"model": ["meta-llama/Llama-3.1-8B-Instruct"], "concurrency": 8}}
                """);
        assertThat(parse(json).facts().workload()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "model", "meta-llama/Llama-3.1-8B-Instruct", "concurrency", 8L, "isl", 3000.05, "osl", 174.45,
                "requests", 40L));
    }

    @Test
    void vllmConsoleLogStatesItsLoadAndTokens(@TempDir Path dir) {
        // the lines vllm/benchmarks/serve.py prints in its result block
        Path log = write(dir, "vllm-bench.log", """
                ============ Serving Benchmark Result ============
                Successful requests:                     98
                Failed requests:                         2
                Maximum request concurrency:             16
                Request rate configured (RPS):           inf
                Benchmark duration (s):                  10.00
                Total input tokens:                      50176
                Total generated tokens:                  12544
                Request throughput (req/s):              9.80
                Output token throughput (tok/s):         1254.40
                Mean TTFT (ms):                          25.10
                ==================================================
                """);
        ParsedReport r = parse(log);
        assertThat(r.facts().workload()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "concurrency", 16L, "isl", 512L, "osl", 128L, "requests", 100L));
        assertThat(r.metrics()).containsEntry(TTFT_MS, 25.1).containsEntry(FAILURE_RATE, 0.02);
    }

    @Test
    void anAccuracyFileStatesNothing() {
        ParsedReport accuracy = parse(sample("cloudai/extracted_from_tests/ai_dynamo/accuracy_results.csv"));
        assertThat(accuracy.facts()).isEqualTo(ReportFacts.NONE);
    }
}
