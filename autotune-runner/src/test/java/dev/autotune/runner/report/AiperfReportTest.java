package dev.autotune.runner.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.autotune.domain.Metric.FAILURE_RATE;
import static dev.autotune.domain.Metric.ITL_MS;
import static dev.autotune.domain.Metric.LATENCY_MS;
import static dev.autotune.domain.Metric.REQUEST_THROUGHPUT;
import static dev.autotune.domain.Metric.RUNTIME_SEC;
import static dev.autotune.domain.Metric.THROUGHPUT_TOKENS_PER_SEC;
import static dev.autotune.domain.Metric.TPOT_MS;
import static dev.autotune.domain.Metric.TTFT_MS;
import static dev.autotune.runner.report.ReportTesting.expect;
import static dev.autotune.runner.report.ReportTesting.parse;
import static dev.autotune.runner.report.ReportTesting.read;
import static dev.autotune.runner.report.ReportTesting.sample;
import static dev.autotune.runner.report.ReportTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Real AIPerf outputs (and CloudAI's copy of the CSV), values read off the files by hand. */
class AiperfReportTest {

    @Test
    void preReleaseJsonWithRecordsAndTtftTag() {
        ParsedReport r = parse(sample("aiperf/run1-2025-10-03/profile_export_aiperf.json"));

        assertThat(r.format()).isEqualTo(ReportFormat.AIPERF_JSON);
        expect().distribution(LATENCY_MS, 9059.654633033708, 9097.345014999999, 9277.5984794, 9288.605606,
                        9297.609933759999)
                .distribution(TTFT_MS, 2343.219436988764, 2369.317693, 3796.9311679999996, 3825.2778412,
                        3833.3894000399996)
                .distribution(TPOT_MS, 27.763065454471807, 27.615130366666666, 32.87232279340302,
                        33.34450986349594, 33.73224787406911)
                .distribution(ITL_MS, 27.755153106189347, 22.673047999999998, 24.875479600000002, 31.6586686,
                        140.53429476)
                .with(THROUGHPUT_TOKENS_PER_SEC, 2320.7222350404572)
                .with(REQUEST_THROUGHPUT, 9.551622221540914)
                .with(RUNTIME_SEC, 9.317788951)
                .with(FAILURE_RATE, 11.0 / (89 + 11)) // error_request_count 11, request_count 89
                .matches(r);
        assertThat(r.warnings()).isEmpty();
        assertThat(r.sha256()).isEqualTo("5250bc5b7a8fa16d45b8ff92ad567749bad20201a736c1b402519f3d6c0404af");
    }

    @Test
    void v080FlatJson() {
        ParsedReport r = parse(sample("aiperf/v0.8.0-smoke-100k-conc/profile_export_aiperf.json"));

        assertThat(r.format()).isEqualTo(ReportFormat.AIPERF_JSON);
        expect().distribution(LATENCY_MS, 17785.016842910754, 16428.066493, 33350.277793500005, 36649.9410171,
                        54340.43933500999)
                .distribution(TTFT_MS, 11205.91161602855, 9539.0889685, 21587.5757342, 27490.63562579998,
                        36193.81841633999)
                .distribution(TPOT_MS, 65.79105226882206, 46.22239606, 134.396858563, 189.26587306949992,
                        267.2358264817)
                // inter_chunk_latency p50..p95 are real zeros in this run: present as 0, not absent
                .distribution(ITL_MS, 66.45560835234551, 0.0, 0.0, 0.0, 54.688316235362805)
                .with(THROUGHPUT_TOKENS_PER_SEC, 343421.89904634305)
                .with(REQUEST_THROUGHPUT, 3400.2168222410205)
                .with(RUNTIME_SEC, 141.58332399600002)
                .with(FAILURE_RATE, 18586.0 / (481414 + 18586))
                .matches(r);
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void run1Csv() {
        ParsedReport r = parse(sample("aiperf/run1-2025-10-03/profile_export_aiperf.csv"));

        assertThat(r.format()).isEqualTo(ReportFormat.AIPERF_CSV);
        expect().distribution(LATENCY_MS, 9059.65, 9097.35, 9277.60, 9288.61, 9297.61)
                .distribution(TTFT_MS, 2343.22, 2369.32, 3796.93, 3825.28, 3833.39)
                .distribution(TPOT_MS, 27.76, 27.62, 32.87, 33.34, 33.73)
                .distribution(ITL_MS, 27.76, 22.67, 24.88, 31.66, 140.53)
                .with(THROUGHPUT_TOKENS_PER_SEC, 2320.72)
                .with(REQUEST_THROUGHPUT, 9.55)
                .with(RUNTIME_SEC, 9.32)
                .with(FAILURE_RATE, 11.0 / (89 + 11))
                .matches(r);
        assertThat(read(r.path())).contains("\r\n"); // the real file is CRLF
    }

    @Test
    void v080CsvWithSumColumnAndTtfotRowBeforeTtft() {
        ParsedReport r = parse(sample("aiperf/v0.8.0-smoke-100k-conc/profile_export_aiperf.csv"));

        assertThat(r.format()).isEqualTo(ReportFormat.AIPERF_CSV);
        expect().distribution(LATENCY_MS, 17785.02, 16428.07, 33350.28, 36649.94, 54340.44)
                .distribution(TTFT_MS, 11205.91, 9539.09, 21587.58, 27490.64, 36193.82)
                .distribution(TPOT_MS, 65.79, 46.22, 134.40, 189.27, 267.24)
                .distribution(ITL_MS, 66.46, 0.00, 0.00, 0.00, 54.69)
                .with(THROUGHPUT_TOKENS_PER_SEC, 343421.90)
                .with(REQUEST_THROUGHPUT, 3400.22)
                .with(RUNTIME_SEC, 141.58)
                .with(FAILURE_RATE, 18586.0 / (481414 + 18586))
                .matches(r);
    }

    @Test
    void cloudaiTrimmedAiperfReportCsv() {
        ParsedReport r = parse(sample("cloudai/extracted_from_tests/ai_dynamo/aiperf_report.csv"));

        assertThat(r.format()).isEqualTo(ReportFormat.AIPERF_CSV);
        // Metric,avg,min,max only: no percentiles, no Request Latency, no duration or request throughput
        expect().with(TPOT_MS, 2.83)
                .with(TTFT_MS, 49.87)
                .with(THROUGHPUT_TOKENS_PER_SEC, 595.68)
                .with(FAILURE_RATE, 0.0) // Request Count 50 and no Error Request Count: AIPerf omits it at 0
                .matches(r);
        assertThat(r.warnings()).singleElement().asString().contains("AIPerf omits it when no request failed");
    }

    @Test
    void perRequestJsonlIsAggregatedLikeAiperf() {
        ParsedReport r = parse(sample("aiperf/run1-2025-10-03/profile_export.jsonl"));

        assertThat(r.format()).isEqualTo(ReportFormat.AIPERF_JSONL);
        // Expected values computed independently with numpy over the 89 records with error == null
        // (inter_chunk_latency lists pooled, 21537 values):
        //   ok = [r for r in map(json.loads, open(f)) if r["error"] is None]
        //   a = [v for r in ok for v in np.atleast_1d(r["metrics"][tag]["value"])]
        //   np.mean(a), np.percentile(a, [50, 90, 95, 99])
        // They agree with AIPerf's own profile_export_aiperf.json for the same run.
        expect().distribution(LATENCY_MS, 9059.654633033706, 9097.345014999999, 9277.5984794, 9288.605606,
                        9297.609933759999)
                .distribution(TTFT_MS, 2343.219436988764, 2369.317693, 3796.931168, 3825.2778412, 3833.38940004)
                .distribution(TPOT_MS, 27.763065454471803, 27.615130366666666, 32.87232279340302,
                        33.34450986349593, 33.73224787406911)
                .distribution(ITL_MS, 27.755153106189347, 22.673047999999998, 24.8754796, 31.6586686,
                        140.53429476)
                .with(FAILURE_RATE, 0.11)                          // 11 cancelled of 100 lines
                .with(RUNTIME_SEC, 9.317788951)                    // (1759522428472357876 - 1759522419154568925) ns
                .with(THROUGHPUT_TOKENS_PER_SEC, 2320.7222350404572) // 21624 output tokens / 9.317788951 s
                .with(REQUEST_THROUGHPUT, 9.551622221540914)      // 89 / 9.317788951 s
                .matches(r);
    }

    @Test
    void jsonlWithoutTimestampsLeavesThroughputAbsent(@TempDir Path dir) {
        Path file = write(dir, "records.jsonl", """
                {"metadata":{"x_request_id":"a"},"metrics":{"request_latency":{"value":100.0,"unit":"ms"},"time_to_first_token":{"value":0.01,"unit":"s"}},"error":null}
                {"metadata":{"x_request_id":"b"},"metrics":{"request_latency":{"value":300.0,"unit":"ms"},"time_to_first_token":{"value":0.03,"unit":"s"}},"error":null}
                {"metadata":{"x_request_id":"c"},"metrics":{"error_isl":{"value":5,"unit":"tokens"}},"error":{"code":500,"type":"X","message":"boom"}}
                """);
        ParsedReport r = parse(file);

        assertThat(r.format()).isEqualTo(ReportFormat.AIPERF_JSONL);
        expect().distribution(LATENCY_MS, 200.0, 200.0, 280.0, 290.0, 298.0)
                .distribution(TTFT_MS, 20.0, 20.0, 28.0, 29.0, 29.8) // seconds converted to ms
                .with(FAILURE_RATE, 1.0 / 3)
                .matches(r);
        assertThat(r.warnings()).anyMatch(w -> w.contains("no request/response timestamps"));
    }

    @Test
    void flatJsonWithoutErrorCountMeansNoErrors(@TempDir Path dir) {
        Path file = write(dir, "profile_export_aiperf.json", """
                {"schema_version": "1.0", "aiperf_version": "0.9.0", "benchmark_id": "x",
                 "request_count": {"unit": "requests", "avg": 10.0},
                 "request_latency": {"unit": "ms", "avg": 5.0, "p50": null, "p90": 6.0},
                 "request_throughput": {"unit": "requests/sec", "avg": 2.0}}
                """);
        ParsedReport r = parse(file);

        expect().with(LATENCY_MS, 5.0).with(dev.autotune.domain.Metric.LATENCY_P90_MS, 6.0)
                .with(REQUEST_THROUGHPUT, 2.0)
                .with(RUNTIME_SEC, 5.0) // derived: request_count / request_throughput
                .with(FAILURE_RATE, 0.0)
                .matches(r);
    }

    @Test
    void newerJsonWithRequestErrorRatePercent(@TempDir Path dir) {
        Path file = write(dir, "profile_export_aiperf.json", """
                {"schema_version": "1.0",
                 "request_latency": {"unit": "s", "avg": 1.5},
                 "request_count": {"unit": "requests", "avg": 95.0},
                 "request_error_rate": {"unit": "%", "avg": 5.0},
                 "benchmark_duration": {"unit": "sec", "avg": 12.5}}
                """);
        ParsedReport r = parse(file);

        expect().with(LATENCY_MS, 1500.0).with(FAILURE_RATE, 0.05).with(RUNTIME_SEC, 12.5).matches(r);
    }
}
