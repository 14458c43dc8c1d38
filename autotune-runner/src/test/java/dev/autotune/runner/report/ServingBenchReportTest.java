package dev.autotune.runner.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.autotune.domain.Metric.FAILURE_RATE;
import static dev.autotune.domain.Metric.ITL_MS;
import static dev.autotune.domain.Metric.ITL_P50_MS;
import static dev.autotune.domain.Metric.ITL_P95_MS;
import static dev.autotune.domain.Metric.ITL_P99_MS;
import static dev.autotune.domain.Metric.LATENCY_MS;
import static dev.autotune.domain.Metric.LATENCY_P50_MS;
import static dev.autotune.domain.Metric.LATENCY_P90_MS;
import static dev.autotune.domain.Metric.LATENCY_P99_MS;
import static dev.autotune.domain.Metric.REQUEST_THROUGHPUT;
import static dev.autotune.domain.Metric.RUNTIME_SEC;
import static dev.autotune.domain.Metric.THROUGHPUT_TOKENS_PER_SEC;
import static dev.autotune.domain.Metric.TPOT_MS;
import static dev.autotune.domain.Metric.TPOT_P50_MS;
import static dev.autotune.domain.Metric.TPOT_P99_MS;
import static dev.autotune.domain.Metric.TTFT_MS;
import static dev.autotune.domain.Metric.TTFT_P50_MS;
import static dev.autotune.domain.Metric.TTFT_P99_MS;
import static dev.autotune.runner.report.ReportTesting.expect;
import static dev.autotune.runner.report.ReportTesting.parse;
import static dev.autotune.runner.report.ReportTesting.sample;
import static dev.autotune.runner.report.ReportTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

/** vllm bench serve JSON and SGLang bench_serving JSONL. */
class ServingBenchReportTest {

    @Test
    void cloudaiVllmBenchJson() {
        ParsedReport r = parse(sample("cloudai/extracted_from_tests/vllm/vllm-bench.json"));

        assertThat(r.format()).isEqualTo(ReportFormat.VLLM_JSON);
        expect().with(TTFT_MS, 120.0).with(TTFT_P50_MS, 118.0).with(TTFT_P99_MS, 200.0)
                .with(TPOT_MS, 12.0).with(TPOT_P50_MS, 11.0).with(TPOT_P99_MS, 19.0)
                .with(THROUGHPUT_TOKENS_PER_SEC, 2400.0)
                .with(FAILURE_RATE, 0.0) // no 'failed': (num_prompts 30 - completed 30) / 30
                .matches(r);
    }

    @Test
    void vllmBenchJsonFromARealCloudaiRun() {
        ParsedReport r = parse(sample("cloudai/real_cli_runs/fake_slurm_vllm_dse/vllm.dse.1node/0/3/vllm-bench.json"));

        assertThat(r.format()).isEqualTo(ReportFormat.VLLM_JSON);
        expect().with(TTFT_MS, 105.0).with(TTFT_P50_MS, 105.0).with(TTFT_P99_MS, 200.0)
                .with(TPOT_MS, 12.0).with(TPOT_P50_MS, 11.0).with(TPOT_P99_MS, 19.0)
                .with(THROUGHPUT_TOKENS_PER_SEC, 3208.0)
                .with(FAILURE_RATE, 0.0)
                .matches(r);
    }

    @Test
    void fullVllmResultWithE2elFailedAndIgnoredP999(@TempDir Path dir) {
        // Keys as written by vllm/benchmarks/serve.py with --percentile-metrics ttft,tpot,itl,e2el
        // --metric-percentiles 50,90,99,99.9; request_rate "inf" is a string there.
        Path file = write(dir, "openai-infqps-concurrency16-Llama-20250101-120000.json", """
                {"date": "20250101-120000", "endpoint_type": "openai", "backend": "openai", "label": null,
                 "model_id": "meta-llama/Llama", "tokenizer_id": "meta-llama/Llama", "num_prompts": 100,
                 "request_rate": "inf", "burstiness": 1.0, "max_concurrency": 16,
                 "duration": 50.0, "completed": 96, "failed": 4, "total_input_tokens": 1000,
                 "total_output_tokens": 2000, "request_throughput": 1.92, "request_goodput": null,
                 "output_throughput": 40.0, "total_token_throughput": 60.0,
                 "max_output_tokens_per_s": 80.0, "max_concurrent_requests": 16,
                 "mean_ttft_ms": 30.5, "median_ttft_ms": 29.0, "std_ttft_ms": 1.0, "p50_ttft_ms": 29.0,
                 "p90_ttft_ms": 40.0, "p99_ttft_ms": 45.0, "p99.9_ttft_ms": 99.0,
                 "mean_tpot_ms": 7.0, "median_tpot_ms": 6.5, "std_tpot_ms": 0.1, "p99_tpot_ms": 9.0,
                 "mean_itl_ms": 6.8, "median_itl_ms": 6.0, "std_itl_ms": 0.2, "p95_itl_ms": 10.0, "p99_itl_ms": 12.0,
                 "mean_e2el_ms": 700.0, "median_e2el_ms": 690.0, "std_e2el_ms": 10.0, "p90_e2el_ms": 750.0,
                 "p99_e2el_ms": 800.0, "latencies": [0.1, 0.2]}
                """);
        ParsedReport r = parse(file);

        assertThat(r.format()).isEqualTo(ReportFormat.VLLM_JSON);
        expect().with(TTFT_MS, 30.5).with(TTFT_P50_MS, 29.0).with(dev.autotune.domain.Metric.TTFT_P90_MS, 40.0)
                .with(TTFT_P99_MS, 45.0) // p99.9 ignored
                .with(TPOT_MS, 7.0).with(TPOT_P50_MS, 6.5).with(TPOT_P99_MS, 9.0)
                .with(ITL_MS, 6.8).with(ITL_P50_MS, 6.0).with(ITL_P95_MS, 10.0).with(ITL_P99_MS, 12.0)
                .with(LATENCY_MS, 700.0).with(LATENCY_P50_MS, 690.0).with(LATENCY_P90_MS, 750.0)
                .with(LATENCY_P99_MS, 800.0) // e2el wins over the latencies array
                .with(THROUGHPUT_TOKENS_PER_SEC, 40.0)
                .with(REQUEST_THROUGHPUT, 1.92)
                .with(RUNTIME_SEC, 50.0)
                .with(FAILURE_RATE, 4.0 / 100)
                .matches(r);
    }

    @Test
    void legacyVllmResultDerivesLatencyFromLatenciesOfSuccessfulRequests(@TempDir Path dir) {
        // benchmark_serving.py ~v0.8: no 'failed', typo key "request_goodput:", per-request arrays in seconds;
        // the failed request has latency 0.0 and a non-empty error.
        Path file = write(dir, "vllm-0.1qps-model.json", """
                {"backend": "vllm", "num_prompts": 5, "duration": 10.0, "completed": 4,
                 "request_throughput": 0.4, "request_goodput:": null, "output_throughput": 25.0,
                 "mean_ttft_ms": 11.0, "median_ttft_ms": 10.0, "p99_ttft_ms": 20.0,
                 "latencies": [0.1, 0.2, 0.0, 0.3, 0.4], "errors": ["", "", "timeout", "", ""]}
                """);
        ParsedReport r = parse(file);

        assertThat(r.format()).isEqualTo(ReportFormat.VLLM_JSON);
        // latencies of the 4 successful requests in ms: 100, 200, 300, 400 (numpy linear percentiles)
        expect().distribution(LATENCY_MS, 250.0, 250.0, 370.0, 385.0, 397.0)
                .with(TTFT_MS, 11.0).with(TTFT_P50_MS, 10.0).with(TTFT_P99_MS, 20.0)
                .with(THROUGHPUT_TOKENS_PER_SEC, 25.0)
                .with(REQUEST_THROUGHPUT, 0.4)
                .with(RUNTIME_SEC, 10.0)
                .with(FAILURE_RATE, 1.0 / 5) // (num_prompts - completed) / num_prompts
                .matches(r);
    }

    @Test
    void vllmWithNothingCompletedKeepsOnlyTheFailureRate(@TempDir Path dir) {
        Path file = write(dir, "result.json", """
                {"endpoint_type": "openai", "duration": 3.0, "completed": 0, "failed": 8,
                 "request_throughput": 0.0, "output_throughput": 0.0,
                 "mean_ttft_ms": 0.0, "median_ttft_ms": 0.0, "p99_ttft_ms": 0.0}
                """);
        ParsedReport r = parse(file);

        expect().with(FAILURE_RATE, 1.0).matches(r);
        assertThat(r.warnings()).anyMatch(w -> w.contains("no request completed"));
    }

    @Test
    void vllmAppendedResultsUseTheLastLine(@TempDir Path dir) {
        Path file = write(dir, "results.json", """
                {"endpoint_type": "openai", "completed": 10, "failed": 0, "output_throughput": 100.0}
                {"endpoint_type": "openai", "completed": 9, "failed": 1, "output_throughput": 200.0}
                """);
        ParsedReport r = parse(file);

        assertThat(r.format()).isEqualTo(ReportFormat.VLLM_JSON);
        expect().with(THROUGHPUT_TOKENS_PER_SEC, 200.0).with(FAILURE_RATE, 0.1).matches(r);
        assertThat(r.warnings()).anyMatch(w -> w.contains("2 appended results"));
    }

    @Test
    void cloudaiSglangBenchJsonl() {
        ParsedReport r = parse(sample("cloudai/extracted_from_tests/sglang/sglang-bench.jsonl"));

        assertThat(r.format()).isEqualTo(ReportFormat.SGLANG_JSONL);
        // CloudAI treats request_throughput (req/s) as "throughput"; here it is request_throughput and the
        // output-token throughput is absent because the record has no output_throughput.
        expect().with(REQUEST_THROUGHPUT, 2400.0)
                .with(TTFT_MS, 120.0).with(TTFT_P50_MS, 100.0).with(TTFT_P99_MS, 200.0)
                .with(TPOT_MS, 12.0).with(TPOT_P50_MS, 10.0).with(TPOT_P99_MS, 20.0)
                .with(FAILURE_RATE, 0.0) // CloudAI's record carries num_prompts 30 = completed 30
                .matches(r);
    }

    @Test
    void sglangFirstLineWithCompletedRequestsAndErrorsList(@TempDir Path dir) {
        // Keys as written by sglang/bench_serving.py with --output-details; three appended runs.
        Path file = write(dir, "sglang_1231_8_1024_256.jsonl", """
                {"backend": "sglang", "completed": 0, "duration": 1.0, "request_throughput": 0.0, "output_throughput": 0.0}
                {"backend": "sglang", "dataset_name": "random", "request_rate": Infinity, "max_concurrency": 8, "duration": 20.0, "completed": 3, "total_output_tokens": 600, "total_output_tokens_retokenized": 600, "request_throughput": 0.15, "input_throughput": 10.0, "output_throughput": 30.0, "total_throughput": 40.0, "mean_e2e_latency_ms": 1000.0, "median_e2e_latency_ms": 950.0, "std_e2e_latency_ms": 5.0, "p90_e2e_latency_ms": 1100.0, "p99_e2e_latency_ms": 1200.0, "mean_ttft_ms": 50.0, "median_ttft_ms": 45.0, "p99_ttft_ms": 90.0, "mean_tpot_ms": 4.0, "median_tpot_ms": 3.9, "p99_tpot_ms": 6.0, "mean_itl_ms": 3.5, "median_itl_ms": 3.0, "p95_itl_ms": 5.0, "p99_itl_ms": 8.0, "concurrency": 2.5, "input_lens": [10, 10, 10, 10], "errors": ["", "", "Connection reset", ""]}
                {"backend": "sglang", "completed": 4, "duration": 5.0, "request_throughput": 0.8, "output_throughput": 90.0, "mean_ttft_ms": 1.0}
                """);
        ParsedReport r = parse(file);

        assertThat(r.format()).isEqualTo(ReportFormat.SGLANG_JSONL);
        expect().with(LATENCY_MS, 1000.0).with(LATENCY_P50_MS, 950.0).with(LATENCY_P90_MS, 1100.0)
                .with(LATENCY_P99_MS, 1200.0)
                .with(TTFT_MS, 50.0).with(TTFT_P50_MS, 45.0).with(TTFT_P99_MS, 90.0)
                .with(TPOT_MS, 4.0).with(TPOT_P50_MS, 3.9).with(TPOT_P99_MS, 6.0)
                .with(ITL_MS, 3.5).with(ITL_P50_MS, 3.0).with(ITL_P95_MS, 5.0).with(ITL_P99_MS, 8.0)
                .with(THROUGHPUT_TOKENS_PER_SEC, 30.0)
                .with(REQUEST_THROUGHPUT, 0.15)
                .with(RUNTIME_SEC, 20.0)
                .with(FAILURE_RATE, 1.0 / 4) // one non-empty entry in errors
                .matches(r);
        assertThat(r.warnings()).anyMatch(w -> w.contains("3 result lines") && w.contains("used result 2"));
    }

    @Test
    void sglangWithoutDetailsHasNoFailureRate(@TempDir Path dir) {
        Path file = write(dir, "out.jsonl", """
                {"backend": "sglang", "completed": 5, "duration": 2.0, "request_throughput": 2.5, "output_throughput": 100.0, "mean_e2e_latency_ms": 400.0}
                """);
        ParsedReport r = parse(file);

        expect().with(LATENCY_MS, 400.0).with(THROUGHPUT_TOKENS_PER_SEC, 100.0).with(REQUEST_THROUGHPUT, 2.5)
                .with(RUNTIME_SEC, 2.0).matches(r);
        assertThat(r.warnings()).anyMatch(w -> w.contains("failure_rate is left absent"));
    }

    @Test
    void sglangWithNoCompletedLineFails(@TempDir Path dir) {
        Path file = write(dir, "out.jsonl", """
                {"backend": "sglang", "completed": 0, "output_throughput": 0.0}
                """);
        ReportTesting.failure(file, "no SGLang result line with completed > 0");
    }
}
