package dev.autotune.runner.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.autotune.runner.report.ReportTesting.failure;
import static dev.autotune.runner.report.ReportTesting.read;
import static dev.autotune.runner.report.ReportTesting.sample;
import static dev.autotune.runner.report.ReportTesting.write;

/**
 * Broken variants of every format, generated from the real samples: each must fail with one line naming the
 * file and the problem, never with a stack trace or a partly filled report.
 */
class MalformedReportTest {
    @TempDir
    Path dir;

    private Path variant(String name, String content) {
        return write(dir, name, content);
    }

    private static String firstLines(String text, int count) {
        return String.join("\n", text.lines().limit(count).toList()) + "\n";
    }

    // ---- files that are not text at all ----

    @ParameterizedTest
    @EnumSource(ReportFormat.class)
    void emptyFileFailsForEveryFormat(ReportFormat format) {
        Path empty = write(dir, "empty-" + format.code(), "");
        failure(empty, "empty file");
        failure(empty, format, "empty file");
    }

    @Test
    void whitespaceOnly() {
        failure(variant("blank.json", " \r\n\t\n"), "empty file (only whitespace)");
    }

    @Test
    void binaryWithNulBytes() {
        byte[] gzipHeader = {0x1f, (byte) 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00};
        failure(write(dir, "report.json", gzipHeader), "binary file (NUL byte at offset 3)");
    }

    @Test
    void invalidUtf8() {
        byte[] latin1 = "Metric,avg\nTime to First Token (\u00b5s),1.0\n".getBytes(StandardCharsets.ISO_8859_1);
        failure(write(dir, "profile_export_aiperf.csv", latin1), "not UTF-8 text (invalid byte at offset 32)");
    }

    @Test
    void missingFileAndDirectory() throws Exception {
        failure(dir.resolve("nope.json"), "file not found");
        failure(dir.resolve("nope.json"), ReportFormat.AIPERF_JSON, "file not found");
        failure(Files.createDirectory(dir.resolve("run")), "is a directory, expected a report file");
    }

    // ---- truncated ----

    @Test
    void truncatedAiperfJson() {
        String json = read(sample("aiperf/run1-2025-10-03/profile_export_aiperf.json"));
        Path cut = variant("profile_export_aiperf.json", json.substring(0, json.indexOf("\"ttft\"") + 40));
        failure(cut, "truncated JSON at line 41 column");
        failure(cut, ReportFormat.AIPERF_JSON, "truncated JSON at line 41 column");
    }

    @Test
    void truncatedJsonReportsEveryJsonFormat() {
        List<String> samples = List.of("aiperf/v0.8.0-smoke-100k-conc/profile_export_aiperf.json",
                "guidellm/pre-v0.4-stripped-fixture/benchmarks_stripped.json",
                "cloudai/extracted_from_tests/vllm/vllm-bench.json",
                "cloudai/extracted_from_tests/vllm/vllm-gsm8k.json");
        for (String s : samples) {
            String json = read(sample(s));
            Path cut = variant(Path.of(s).getFileName().toString(), json.substring(0, json.length() / 2));
            failure(cut, "truncated JSON at line");
        }
    }

    @Test
    void invalidJsonSyntax() {
        failure(variant("r.json", "{\"latency_ms\": 12,, \"ttft_ms\": 3}"), "invalid JSON at line 1 column 19");
    }

    @Test
    void truncatedLastLineOfJsonl() {
        String jsonl = read(sample("aiperf/run1-2025-10-03/profile_export.jsonl"));
        Path cut = variant("profile_export.jsonl", jsonl.substring(0, jsonl.length() - 100));
        failure(cut, "truncated JSON on line 100 column");
        failure(cut, ReportFormat.AIPERF_JSONL, "truncated JSON on line 100 column");
    }

    @Test
    void truncatedSglangJsonl() {
        String line = read(sample("cloudai/extracted_from_tests/sglang/sglang-bench.jsonl")).strip();
        failure(variant("sglang-bench.jsonl", line + "\n" + line.substring(0, 50)), "truncated JSON on line 2");
    }

    @Test
    void truncatedAiperfCsvMidRow() {
        String csv = read(sample("aiperf/run1-2025-10-03/profile_export_aiperf.csv"));
        Path cut = variant("profile_export_aiperf.csv", csv.substring(0, csv.indexOf("Request Latency (ms)") + 40));
        failure(cut, "line 9: row 'Request Latency (ms)' has 4 cells but its header has 13 (truncated?)");
    }

    @Test
    void truncatedGenaiPerfCsvInsideAQuotedCell() {
        String csv = read(sample("genai-perf/cloudai-userguide-excerpt/profile_genai_perf.csv"));
        Path cut = variant("profile_genai_perf.csv", csv.substring(0, csv.indexOf("\"6,406") + 3));
        failure(cut, "malformed CSV at line 4");
    }

    @Test
    void truncatedAccuracyCsv() {
        failure(variant("accuracy_results.csv", "Task,Correct,Total,Accuracy\r\nOVERALL,35"),
                "line 2: row 'OVERALL' has 2 cells but its header has 4 (truncated?)");
    }

    @Test
    void guidellmYamlCutBeforeTheEnd() {
        String yaml = read(sample("guidellm/pre-v0.4-stripped-fixture/benchmarks_stripped.yaml"));
        failure(variant("benchmarks.yaml", firstLines(yaml, 1030)), "benchmarks[0].duration is missing");
        failure(variant("benchmarks2.yaml", firstLines(yaml, 600)),
                "benchmarks[0].metrics.inter_token_latency_ms is missing");
    }

    @Test
    void invalidYaml() {
        String yaml = read(sample("guidellm/pre-v0.4-stripped-fixture/benchmarks_stripped.yaml"));
        failure(variant("benchmarks.yaml", yaml.replace("  run_id:", " run_id: [")), "invalid YAML at line");
    }

    // ---- wrong types ----

    @Test
    void stringWhereAiperfNumberBelongs() {
        String json = read(sample("aiperf/run1-2025-10-03/profile_export_aiperf.json"))
                .replace("\"avg\": 9059.654633033708", "\"avg\": \"9059.65 ms\"");
        failure(variant("profile_export_aiperf.json", json),
                "request_latency.avg is a string (\"9059.65 ms\"), expected a number");
    }

    @Test
    void numberWhereAiperfStatisticsObjectBelongs() {
        failure(variant("x.json", "{\"schema_version\": \"1.0\", \"request_latency\": {\"unit\": \"ms\", \"avg\": 1},"
                + " \"request_throughput\": 5}"), "request_throughput is a number (5), expected an object");
    }

    @Test
    void wrongTypeInAiperfJsonlRecord() {
        String jsonl = read(sample("aiperf/run1-2025-10-03/profile_export.jsonl"))
                .replaceFirst("\"request_latency\":\\{\"value\":[0-9.]+", "\"request_latency\":{\"value\":true");
        failure(variant("profile_export.jsonl", jsonl), "metrics.request_latency.value is a boolean (true)");
    }

    @Test
    void wrongTypesInGuidellm() {
        String json = read(sample("guidellm/pre-v0.4-stripped-fixture/benchmarks_stripped.json"))
                .replace("\"duration\": 29.997201442718506", "\"duration\": \"30s\"");
        failure(variant("benchmarks.json", json), "benchmarks[0].duration is a string (\"30s\"), expected a number");
    }

    @Test
    void wrongTypesInVllmAndSglang() {
        failure(variant("vllm-bench.json", read(sample("cloudai/extracted_from_tests/vllm/vllm-bench.json"))
                .replace("\"mean_ttft_ms\":120.0", "\"mean_ttft_ms\":[120.0]")), "mean_ttft_ms is an array");
        failure(variant("sglang-bench.jsonl", read(sample("cloudai/extracted_from_tests/sglang/sglang-bench.jsonl"))
                .replace("\"request_throughput\": 2400.0", "\"request_throughput\": \"fast\"")),
                "request_throughput is a string (\"fast\"), expected a number");
    }

    @Test
    void wrongTypeInAccuracyJsonAndGenericJson() {
        failure(variant("vllm-gsm8k.json", "{\"accuracy\": \"high\"}"), "accuracy is a string (\"high\")");
        failure(variant("r.json", "{\"latency_ms\": {\"mean\": 3}}"), "latency_ms is an object, expected a number");
        failure(variant("r2.json", "{\"metrics\": {\"ttft_ms\": false}}"), "metrics.ttft_ms is a boolean (false)");
    }

    @Test
    void textInNumericCsvCells() {
        String csv = read(sample("aiperf/run1-2025-10-03/profile_export_aiperf.csv")).replace("9059.65", "fast");
        failure(variant("profile_export_aiperf.csv", csv), "line 9 'Request Latency (ms)' column avg: 'fast' is not a number");
        String genai = read(sample("genai-perf/cloudai-userguide-excerpt/profile_genai_perf.csv"))
                .replace("261.25", "1.2.3");
        failure(variant("profile_genai_perf.csv", genai), "'Output Token Throughput (per sec)' column Value: '1.2.3' is not a number");
        failure(variant("accuracy_results.csv", "Task,Correct,Total,Accuracy\nOVERALL,1,2,about half\n"),
                "line 2 column Accuracy: 'about half' is not a number");
    }

    // ---- missing fields / nothing recognizable ----

    @Test
    void metricHeaderWithoutKnownRows() {
        failure(variant("x.csv", "Metric,avg,p50\nGPU Power Usage (W),1.0,2.0\n"),
                "no recognizable metric (expected AIPerf/GenAI-Perf metric rows");
    }

    @Test
    void aiperfJsonWithoutMetrics() {
        failure(variant("profile_export_aiperf.json", "{\"schema_version\": \"1.0\", \"aiperf_version\": \"0.8.0\","
                + " \"input_config\": {}, \"was_cancelled\": false}"), "no recognizable metric");
    }

    @Test
    void guidellmWithoutBenchmarksOrMetrics() {
        failure(variant("benchmarks.json", "{\"benchmarks\": []}"), "the GuideLLM report has no benchmarks");
        failure(variant("benchmarks2.json", "{\"benchmarks\": [{\"metrics\": {}, \"duration\": 1}]}"),
                "benchmarks[0].metrics.request_latency is missing");
    }

    @Test
    void vllmResultWithAllValuesNull() {
        failure(variant("vllm-bench.json", "{\"completed\": 5, \"mean_ttft_ms\": null, \"output_throughput\": NaN}"),
                "no recognizable metric");
    }

    @Test
    void accuracyCsvWithOnlyAHeader() {
        failure(variant("accuracy_results.csv", "Task,Correct,Total,Accuracy\n"), "no recognizable metric");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello world\n", "x = 1\ny = 2\n", "[1, 2, 3]\n", "\"just a string\"\n", "42\n"})
    void unknownContent(String content) {
        failure(variant("report.txt", content), "");
    }

    @Test
    void cloudaiTrajectoryIsNotAReport() {
        failure(sample("cloudai/extracted_from_tests/trajectory/trajectory.csv"), "not a recognized benchmark report");
    }

    @Test
    void jsonWithoutKnownKeys() {
        failure(variant("config.json", "{\"model\": \"llama\", \"tp\": 2}"),
                "no recognizable metric: the JSON matches no known report format");
    }
}
