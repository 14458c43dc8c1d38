package dev.autotune.runner.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.autotune.domain.Metric.ACCURACY;
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
import static dev.autotune.domain.Metric.TTFT_P90_MS;
import static dev.autotune.domain.Metric.TTFT_P99_MS;
import static dev.autotune.runner.report.ReportTesting.expect;
import static dev.autotune.runner.report.ReportTesting.failure;
import static dev.autotune.runner.report.ReportTesting.parse;
import static dev.autotune.runner.report.ReportTesting.sample;
import static dev.autotune.runner.report.ReportTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

/** CloudAI accuracy files and the console logs of vLLM / SGLang benchmarks. */
class AccuracyAndLogReportTest {

    @Test
    void cloudaiAccuracyResultsCsvPrefersOverall() {
        ParsedReport r = parse(sample("cloudai/extracted_from_tests/ai_dynamo/accuracy_results.csv"));

        assertThat(r.format()).isEqualTo(ReportFormat.CLOUDAI_ACCURACY_CSV);
        expect().with(ACCURACY, 0.35).matches(r); // OVERALL,35,100,35.00%
    }

    @Test
    void accuracyCsvFallbacks(@TempDir Path dir) {
        Path fraction = write(dir, "a.csv", "Task,Correct,Total,Accuracy\nOVERALL,7,10,0.7\n");
        Path percentNumber = write(dir, "b.csv", "Task,Correct,Total,Accuracy\nOVERALL,7,10,70\n");
        Path emptyCell = write(dir, "c.csv", "Task,Correct,Total,Accuracy\nOVERALL,3,4,\n");
        Path noOverall = write(dir, "d.csv", "Task,Correct,Total,Accuracy\nx,1,4,25%\ny,5,6,83.3%\n");

        expect().with(ACCURACY, 0.7).matches(parse(fraction));
        expect().with(ACCURACY, 0.7).matches(parse(percentNumber));
        expect().with(ACCURACY, 0.75).matches(parse(emptyCell));
        ParsedReport pooled = parse(noOverall);
        expect().with(ACCURACY, 0.6).matches(pooled); // (1+5)/(4+6)
        assertThat(pooled.warnings()).anyMatch(w -> w.contains("no OVERALL row"));
    }

    @Test
    void vllmGsm8kAccuracyJson() {
        ParsedReport extracted = parse(sample("cloudai/extracted_from_tests/vllm/vllm-gsm8k.json"));
        ParsedReport realRun = parse(sample("cloudai/real_cli_runs/fake_slurm_vllm_dse/vllm.dse.1node/0/3/vllm-gsm8k.json"));

        assertThat(extracted.format()).isEqualTo(ReportFormat.ACCURACY_JSON);
        expect().with(ACCURACY, 0.875).matches(extracted);
        assertThat(realRun.format()).isEqualTo(ReportFormat.ACCURACY_JSON);
        expect().with(ACCURACY, 0.875).matches(realRun);
    }

    @Test
    void semanticEvalLogs() {
        ParsedReport vllm = parse(sample("cloudai/extracted_from_tests/vllm/vllm-semantic-eval.log"));
        ParsedReport sglang = parse(sample("cloudai/extracted_from_tests/sglang/sglang-semantic-eval.log"));

        assertThat(vllm.format()).isEqualTo(ReportFormat.TEXT_LOG);
        expect().with(ACCURACY, 0.742).matches(vllm);   // Accuracy: 0.742
        assertThat(sglang.format()).isEqualTo(ReportFormat.TEXT_LOG);
        expect().with(ACCURACY, 0.945).matches(sglang); // Score: 0.945
    }

    @Test
    void accuracyAfterOtherTextOnTheLine(@TempDir Path dir) {
        ParsedReport r = parse(write(dir, "eval.log", "INFO 12:00 eval done. Accuracy: 74.2%\nScore: 0.1\n"));

        expect().with(ACCURACY, 0.742).matches(r); // Accuracy wins over Score
    }

    @Test
    void cloudaiBenchLogsHaveOnlyASuccessCountAndNoMetric() {
        // "Successful requests: N" alone gives no normalized metric (no failed count, no timings).
        Path extracted = sample("cloudai/extracted_from_tests/vllm/vllm-bench.log");
        Path realRun = sample("cloudai/real_cli_runs/fake_slurm_vllm_dse/vllm.dse.1node/0/3/vllm-bench.log");

        failure(extracted, "no recognizable metric");
        failure(realRun, "no recognizable metric");
        failure(extracted, ReportFormat.TEXT_LOG, "no recognizable metric");
    }

    /** The block printed by vllm/benchmarks/serve.py (labels and layout as in its print calls). */
    static final String VLLM_LOG = """
            INFO 01-01 12:00:00 [serve.py:123] Starting benchmark
            100%|██████████| 100/100 [00:50<00:00,  1.98it/s]
            ============ Serving Benchmark Result ============
            Successful requests:                     98       \s
            Failed requests:                         2        \s
            Maximum request concurrency:             16       \s
            Benchmark duration (s):                  50.50    \s
            Total input tokens:                      102400   \s
            Total generated tokens:                  12544    \s
            Request throughput (req/s):              1.94     \s
            Output token throughput (tok/s):         248.40   \s
            Peak output token throughput (tok/s):    400.00   \s
            Peak concurrent requests:                16.00    \s
            Total token throughput (tok/s):          2276.20  \s
            ---------------Time to First Token----------------
            Mean TTFT (ms):                          120.55   \s
            Median TTFT (ms):                        110.20   \s
            P90 TTFT (ms):                           150.00   \s
            P99 TTFT (ms):                           200.12   \s
            P99.9 TTFT (ms):                         250.00   \s
            -----Time per Output Token (excl. 1st token)------
            Mean TPOT (ms):                          12.34    \s
            Median TPOT (ms):                        12.00    \s
            P99 TPOT (ms):                           15.67    \s
            ---------------Inter-token Latency----------------
            Mean ITL (ms):                           12.30    \s
            Median ITL (ms):                         11.90    \s
            P99 ITL (ms):                            30.00    \s
            ----------------End-to-end Latency----------------
            Mean E2EL (ms):                          1700.00  \s
            Median E2EL (ms):                        1650.00  \s
            P99 E2EL (ms):                           2500.00  \s
            -----------Client-side Queueing-----------
            Mean Client Queue Time (ms):             5.00     \s
            ----Queue-inclusive End-to-end Latency----
            Mean E2EL incl. Client Queue (ms):       1705.00  \s
            ==================================================
            """;

    @Test
    void vllmServingBenchmarkResultBlock(@TempDir Path dir) {
        ParsedReport r = parse(write(dir, "vllm-bench.log", VLLM_LOG));

        assertThat(r.format()).isEqualTo(ReportFormat.TEXT_LOG);
        expect().with(FAILURE_RATE, 2.0 / 100)
                .with(RUNTIME_SEC, 50.50)
                .with(REQUEST_THROUGHPUT, 1.94)
                .with(THROUGHPUT_TOKENS_PER_SEC, 248.40)
                .with(TTFT_MS, 120.55).with(TTFT_P50_MS, 110.20).with(TTFT_P90_MS, 150.00).with(TTFT_P99_MS, 200.12)
                .with(TPOT_MS, 12.34).with(TPOT_P50_MS, 12.00).with(TPOT_P99_MS, 15.67)
                .with(ITL_MS, 12.30).with(ITL_P50_MS, 11.90).with(ITL_P99_MS, 30.00)
                .with(LATENCY_MS, 1700.00).with(LATENCY_P50_MS, 1650.00).with(LATENCY_P99_MS, 2500.00)
                .matches(r);
    }

    @Test
    void sglangBlockAndLastOfSeveralBlocks(@TempDir Path dir) {
        String sglang = """
                ============ Serving Benchmark Result ============
                Backend:                                 sglang
                Successful requests:                     64
                Benchmark duration (s):                  10.00
                Request throughput (req/s):              6.40
                Output token throughput (tok/s):         1600.00
                Concurrency:                             7.90
                ----------------End-to-End Latency----------------
                Mean E2E Latency (ms):                   1234.00
                Median E2E Latency (ms):                 1200.00
                P90 E2E Latency (ms):                    1500.00
                ---------------Time to First Token----------------
                Mean TTFT (ms):                          80.00
                Median TTFT (ms):                        N/A
                P99 TTFT (ms):                           150.00
                ---------------Inter-Token Latency----------------
                Mean ITL (ms):                           4.00
                P95 ITL (ms):                            6.00
                ==================================================
                """;
        ParsedReport r = parse(write(dir, "sglang-bench.log", VLLM_LOG + "\n" + sglang));

        // No "Failed requests" line in SGLang's block: failure_rate absent. Median TTFT N/A: absent.
        expect().with(RUNTIME_SEC, 10.0).with(REQUEST_THROUGHPUT, 6.40).with(THROUGHPUT_TOKENS_PER_SEC, 1600.0)
                .with(LATENCY_MS, 1234.0).with(LATENCY_P50_MS, 1200.0).with(LATENCY_P90_MS, 1500.0)
                .with(TTFT_MS, 80.0).with(TTFT_P99_MS, 150.0)
                .with(ITL_MS, 4.0).with(ITL_P95_MS, 6.0)
                .matches(r);
        assertThat(r.warnings()).anyMatch(w -> w.contains("2 'Serving Benchmark Result' blocks"));
    }

    @Test
    void aGenericKeyValueLogIsReadWithTheGenericMetricNames(@TempDir Path dir) {
        Path file = write(dir, "bench.log", "run: 7\nlatency_ms: 12\nttft_p99_ms: 30\nrequests_per_second: 4.5\n");
        ParsedReport r = parse(file);

        assertThat(r.format()).isEqualTo(ReportFormat.TEXT_LOG);
        expect().with(LATENCY_MS, 12.0).with(TTFT_P99_MS, 30.0).with(REQUEST_THROUGHPUT, 4.5).matches(r);
    }

    @Test
    void aGenericMetricWithoutAValueIsLeftAbsent(@TempDir Path dir) {
        // found by the fuzz stage (ReportFuzzTestInputs/detectedFormat): an empty or "n/a" generic metric was
        // an internal error instead of a missing value
        Path file = write(dir, "bench.log", "latency_ms: 12\nttft_ms:\nitl_ms: n/a\n");
        ParsedReport r = parse(file);

        expect().with(LATENCY_MS, 12.0).matches(r);
    }

    @Test
    void aKeyValueLogWhoseLatencyHasNoUnitIsRefusedNamingTheLine(@TempDir Path dir) {
        Path file = write(dir, "bench.log", "run: 7\nlatency: 12\n");
        failure(file, "not a recognized benchmark report: line 2 'latency: 12': a latency without a unit in its name"
                + " is not guessed (ms or s?); name it e.g. latency_ms");
        Path unknown = write(dir, "other.log", "run: 7\ncolour: blue\n");
        failure(unknown, "not a recognized benchmark report: its 'label: value' lines name no known metric");
    }

    @Test
    void aLabelGivenTwiceInOneBlockIsRefusedNamingBothLines(@TempDir Path dir) {
        Path file = write(dir, "bench.log", "============ Serving Benchmark Result ============\nMean TTFT (ms): 21.40\n"
                + "Mean TTFT (ms): 999.00\n");
        failure(file, "line 3 'Mean TTFT (ms)' is given twice (also line 2)");
    }

    @Test
    void knownLabelWithNonNumericValueFails(@TempDir Path dir) {
        Path file = write(dir, "bench.log", "============ Serving Benchmark Result ============\nMean TTFT (ms): fast\n");
        failure(file, "line 2 'Mean TTFT (ms)': 'fast' is not a number");
    }
}
