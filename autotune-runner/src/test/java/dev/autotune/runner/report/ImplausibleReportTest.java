package dev.autotune.runner.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static dev.autotune.runner.report.ReportTesting.failure;
import static dev.autotune.runner.report.ReportTesting.parse;
import static dev.autotune.runner.report.ReportTesting.read;
import static dev.autotune.runner.report.ReportTesting.sample;
import static dev.autotune.runner.report.ReportTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 13 item 3: numbers no benchmark can produce, and keys given twice, refuse the report naming the field. */
class ImplausibleReportTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "latency_ms; -12.5; below 0",
            "ttft_ms; -1; below 0",
            "throughput_tokens_per_sec; -330; below 0",
            "request_throughput; -2; below 0",
            "failure_rate; -0.5; below 0",
            "throughput_tokens_per_sec; 1e308; above",
            "request_throughput; 5e12; above",
            "latency_p95_ms; 1e300; above",
            "runtime_sec; -3; below 0"})
    void genericJsonOutsideThePhysicalRangeIsRefused(String key, String value, String fragment) {
        Path report = write(dir, "r.json", "{\"tpot_ms\": 5, \"" + key + "\": " + value + "}");
        assertThat(failure(report, key + " is ")).contains(fragment);
    }

    @Test
    void accuracyAbovePercentScaleIsRefused() {
        // 123.45 reads as a percentage (the CloudAI rule), which is still 1.2345 of the questions right
        Path report = write(dir, "gsm8k.json", "{\"accuracy\": 123.45}");
        assertThat(failure(report, "accuracy is ")).contains("above 1");
    }

    @Test
    void negativeLatencyInAToolReportIsRefused() {
        String vllm = read(sample("cloudai/extracted_from_tests/vllm/vllm-bench.json"));
        Path report = write(dir, "vllm-bench.json", vllm.replaceFirst("\"mean_ttft_ms\":\\s*", "\"mean_ttft_ms\": -"));
        failure(report, "ttft_ms is -");
    }

    @Test
    void negativeLogLineIsRefused() {
        Path report = write(dir, "bench.log", "============ Serving Benchmark Result ============\n"
                + "Mean TTFT (ms):                          -25.5\n"
                + "Output token throughput (tok/s):         330\n");
        failure(report, "ttft_ms is -25.5");
    }

    @Test
    void duplicateKeyInOneJsonObjectIsRefused() {
        Path report = write(dir, "dup.json", "{\"latency_ms\": 90, \"ttft_ms\": 10, \"latency_ms\": 900}");
        failure(report, "Duplicate field 'latency_ms'");
    }

    @Test
    void duplicateKeyOnAJsonLineIsRefused() {
        Path report = write(dir, "dup.jsonl", "{\"latency_ms\": 90}\n{\"latency_ms\": 91, \"latency_ms\": 1}\n");
        failure(report, "Duplicate field 'latency_ms'");
    }

    @Test
    void duplicateKeyInYamlIsRefused() {
        String yaml = read(sample("guidellm/pre-v0.4-stripped-fixture/benchmarks_stripped.yaml"));
        Path report = write(dir, "b.yaml", yaml.replaceFirst("(?m)^benchmarks:", "benchmarks: []\nbenchmarks:"));
        failure(report, "Duplicate field 'benchmarks'");
    }

    @Test
    void boundaryValuesAreKept() {
        ParsedReport report = parse(write(dir, "edge.json",
                "{\"latency_ms\": 0, \"failure_rate\": 1, \"accuracy\": 0, \"throughput_tokens_per_sec\": 0}"));
        assertThat(report.metrics()).hasSize(4);
    }
}
