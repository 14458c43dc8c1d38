package dev.autotune.runner.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.autotune.domain.Metric.LATENCY_MS;
import static dev.autotune.domain.Metric.LATENCY_P50_MS;
import static dev.autotune.domain.Metric.LATENCY_P99_MS;
import static dev.autotune.domain.Metric.REQUEST_THROUGHPUT;
import static dev.autotune.domain.Metric.RUNTIME_SEC;
import static dev.autotune.domain.Metric.THROUGHPUT_TOKENS_PER_SEC;
import static dev.autotune.domain.Metric.TPOT_MS;
import static dev.autotune.domain.Metric.TTFT_MS;
import static dev.autotune.domain.Metric.TTFT_P50_MS;
import static dev.autotune.runner.report.ReportTesting.expect;
import static dev.autotune.runner.report.ReportTesting.parse;
import static dev.autotune.runner.report.ReportTesting.read;
import static dev.autotune.runner.report.ReportTesting.sample;
import static dev.autotune.runner.report.ReportTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

/** GenAI-Perf CSV (real docs excerpt, CloudAI's report) and JSON (built from the exporter's schema). */
class GenaiPerfReportTest {

    @Test
    void csvWithQuotedThousandsSeparators() {
        ParsedReport r = parse(sample("genai-perf/cloudai-userguide-excerpt/profile_genai_perf.csv"));

        assertThat(r.format()).isEqualTo(ReportFormat.GENAI_PERF_CSV);
        // header Metric,avg,min,max,p99,p95,p90,p75,p50,p25 — descending percentiles, looked up by name
        expect().distribution(TTFT_MS, 1146.31, 640.07, 3215.06, 3349.56, 3457.97)         // "1,146.31" ...
                .distribution(LATENCY_MS, 6406.20, 5690.23, 9028.16, 9046.58, 9436.13)     // "6,406.20" ...
                .distribution(TPOT_MS, 30.35, 30.13, 32.53, 33.88, 35.23)                  // Inter Token Latency
                .with(THROUGHPUT_TOKENS_PER_SEC, 261.25)  // Output Token Throughput (per sec)
                .with(REQUEST_THROUGHPUT, 1.50)           // Request Throughput (per sec)
                .with(RUNTIME_SEC, 40.0 / 1.50)           // Request Count (count) / Request Throughput
                .matches(r);                              // failure_rate: GenAI-Perf reports no errors
    }

    @Test
    void aMetricGivenTwiceInOneTableIsRefusedNamingBothLines(@TempDir Path dir) throws Exception {
        String csv = java.nio.file.Files.readString(sample("genai-perf/cloudai-userguide-excerpt/profile_genai_perf.csv"));
        String row = csv.lines().filter(l -> l.startsWith("Request Latency")).findFirst().orElseThrow();
        int first = csv.lines().toList().indexOf(row) + 1;
        java.util.List<String> lines = new java.util.ArrayList<>(csv.lines().toList());
        lines.add(first, row);
        ReportTesting.failure(write(dir, "profile_genai_perf.csv", String.join("\n", lines) + "\n"),
                "line " + (first + 1) + ": 'Request Latency (ms)' is given twice in one table (also line " + first + ")");
    }

    @Test
    void cloudaiGenaiPerfReportWithoutValueSection() {
        ParsedReport r = parse(sample("cloudai/extracted_from_tests/ai_dynamo/genai_perf_report.csv"));

        assertThat(r.format()).isEqualTo(ReportFormat.GENAI_PERF_CSV);
        expect().distribution(TTFT_MS, 111.12, 888.88, 666.66, 555.55, 444.44)
                .distribution(LATENCY_MS, 1111.14, 8888.88, 6666.66, 5555.55, 4444.44)
                .distribution(TPOT_MS, 12.34, 89.01, 67.89, 56.78, 45.67)
                .matches(r);
    }

    @Test
    void cloudaiAppendedRowsNaCellsAndCrlf(@TempDir Path dir) {
        // Shape of CloudAI's genai_perf.sh output: grep keeps the 10-column table, then 13-column rows are
        // appended. N/A is how GenAI-Perf prints a missing statistic.
        String csv = String.join("\r\n",
                "Metric,avg,min,max,p99,p95,p90,p75,p50,p25",
                "Time To First Token (ms),\"1,234.50\",1.00,N/A,N/A,N/A,N/A,N/A,N/A,N/A",
                "Request Latency (ms),\"2,000.00\",1.00,3.00,\"2,999.00\",N/A,N/A,N/A,\"1,999.50\",N/A",
                "Output tokens per second per gpu,812.5,0,0,0,0,0,0,0,0,0,0,0",
                "Request throughput per second,4.0,0,0,0,0,0,0,0,0,0,0,0",
                "Request count,100,0,0,0,0,0,0,0,0,0,0,0", "");
        ParsedReport r = parse(write(dir, "genai_perf_report.csv", csv));

        assertThat(r.format()).isEqualTo(ReportFormat.GENAI_PERF_CSV);
        expect().with(TTFT_MS, 1234.50)
                .with(LATENCY_MS, 2000.0).with(LATENCY_P50_MS, 1999.5).with(LATENCY_P99_MS, 2999.0)
                .with(REQUEST_THROUGHPUT, 4.0)
                .with(RUNTIME_SEC, 25.0)
                .matches(r);
        assertThat(r.warnings()).anyMatch(w -> w.contains("per-GPU"));
    }

    @Test
    void csvWithLfEndingsParsesLikeCrlf(@TempDir Path dir) {
        Path crlf = write(dir, "crlf.csv",
                read(sample("genai-perf/cloudai-userguide-excerpt/profile_genai_perf.csv")).replace("\n", "\r\n"));
        ParsedReport lf = parse(sample("genai-perf/cloudai-userguide-excerpt/profile_genai_perf.csv"));

        assertThat(parse(crlf).metrics()).isEqualTo(lf.metrics());
    }

    @Test
    void jsonFromTheExporterSchema(@TempDir Path dir) {
        // Layout of genai_perf/export_data/json_exporter.py: stats per metric + input_config (CLI arguments).
        Path file = write(dir, "profile_export_genai_perf.json", """
                {
                  "request_throughput": {"unit": "requests/sec", "avg": 2.5},
                  "request_latency": {"unit": "ms", "avg": 1500.5, "p1": 1.0, "p50": 1400.0, "p90": 1900.0,
                                      "p95": 1950.0, "p99": 1990.0, "min": 1.0, "max": 2000.0, "std": 3.0},
                  "time_to_first_token": {"unit": "ms", "avg": 120.0, "p50": 110.0, "p90": null, "p95": 170.0,
                                          "p99": 190.0},
                  "inter_token_latency": {"unit": "ms", "avg": 8.0, "p50": 7.5, "p90": 9.0, "p95": 9.5, "p99": 10.0},
                  "output_token_throughput": {"unit": "tokens/sec", "avg": 640.0},
                  "request_count": {"unit": "count", "avg": 50},
                  "input_config": {"model": ["m"], "service_kind": "openai", "endpoint_type": "chat",
                                   "profile_export_file": "artifacts/x/profile_export.json"}
                }
                """);
        ParsedReport r = parse(file);

        assertThat(r.format()).isEqualTo(ReportFormat.GENAI_PERF_JSON);
        expect().distribution(LATENCY_MS, 1500.5, 1400.0, 1900.0, 1950.0, 1990.0)
                .with(TTFT_MS, 120.0).with(TTFT_P50_MS, 110.0)
                .with(dev.autotune.domain.Metric.TTFT_P95_MS, 170.0)
                .with(dev.autotune.domain.Metric.TTFT_P99_MS, 190.0) // p90 null → absent
                .distribution(TPOT_MS, 8.0, 7.5, 9.0, 9.5, 10.0)
                .with(THROUGHPUT_TOKENS_PER_SEC, 640.0)
                .with(REQUEST_THROUGHPUT, 2.5)
                .with(RUNTIME_SEC, 20.0)
                .matches(r);
    }

    @Test
    void sameStatisticsWithAnAiperfMarkerAreAiperf(@TempDir Path dir) {
        String stats = """
                "request_latency": {"unit": "ms", "avg": 10.0},
                "request_count": {"unit": "requests", "avg": 4.0}""";
        Path genai = write(dir, "a.json", "{" + stats + ", \"input_config\": {\"service_kind\": \"openai\"}}");
        Path aiperf = write(dir, "b.json", "{" + stats + ", \"was_cancelled\": false, \"error_summary\": []}");

        assertThat(parse(genai).format()).isEqualTo(ReportFormat.GENAI_PERF_JSON);
        assertThat(parse(genai).metrics()).containsOnlyKeys(LATENCY_MS); // no error figure in GenAI-Perf
        assertThat(parse(aiperf).format()).isEqualTo(ReportFormat.AIPERF_JSON);
        assertThat(parse(aiperf).get(dev.autotune.domain.Metric.FAILURE_RATE)).isEqualTo(0.0);
    }
}
