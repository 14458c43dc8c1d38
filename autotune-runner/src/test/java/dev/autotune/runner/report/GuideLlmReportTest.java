package dev.autotune.runner.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.autotune.domain.Metric.FAILURE_RATE;
import static dev.autotune.domain.Metric.LATENCY_MS;
import static dev.autotune.domain.Metric.REQUEST_THROUGHPUT;
import static dev.autotune.domain.Metric.RUNTIME_SEC;
import static dev.autotune.domain.Metric.THROUGHPUT_TOKENS_PER_SEC;
import static dev.autotune.domain.Metric.TPOT_MS;
import static dev.autotune.domain.Metric.TTFT_MS;
import static dev.autotune.runner.report.ReportTesting.expect;
import static dev.autotune.runner.report.ReportTesting.parse;
import static dev.autotune.runner.report.ReportTesting.sample;
import static dev.autotune.runner.report.ReportTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

class GuideLlmReportTest {

    /** benchmarks[0] of the real v0.2.1+41 run; request_latency is in seconds, there is no p50 (median is used). */
    private static ReportTesting.Expected preV04Run() {
        return expect()
                .distribution(LATENCY_MS, 644.4743664368339, 642.4565315246582, 648.8735675811768,
                        656.728982925415, 689.1846656799316)
                .distribution(TTFT_MS, 16.792535781860348, 16.38054847717285, 18.505334854125977,
                        19.00935173034668, 21.281957626342773)
                // inter_token_latency_ms (first token excluded) = vLLM TPOT; time_per_output_token_ms not used
                .distribution(TPOT_MS, 4.941609043733832, 4.9241227427805505, 4.973544849185493,
                        5.032650129062923, 5.258346167136365)
                .with(THROUGHPUT_TOKENS_PER_SEC, 198.13346751788123)
                .with(REQUEST_THROUGHPUT, 1.5481806532737452)
                .with(RUNTIME_SEC, 29.997201442718506)
                .with(FAILURE_RATE, 0.0); // request_totals: errored 0 of total 47 (1 incomplete)
    }

    @Test
    void preV04Json() {
        ParsedReport r = parse(sample("guidellm/pre-v0.4-stripped-fixture/benchmarks_stripped.json"));

        assertThat(r.format()).isEqualTo(ReportFormat.GUIDELLM_JSON);
        preV04Run().matches(r);
        assertThat(r.warnings()).singleElement().asString().contains("1 incomplete request");
    }

    @Test
    void preV04YamlGivesTheSameNumbers() {
        ParsedReport r = parse(sample("guidellm/pre-v0.4-stripped-fixture/benchmarks_stripped.yaml"));

        assertThat(r.format()).isEqualTo(ReportFormat.GUIDELLM_YAML);
        preV04Run().matches(r);
    }

    private static String summary(double mean, double median, double p90, double p95, double p99, int count) {
        return """
                {"mean": %s, "median": %s, "mode": 0, "variance": 0, "std_dev": 0, "min": 0, "max": 0,
                 "count": %d, "total_sum": 0,
                 "percentiles": {"p001": 0, "p01": 0, "p05": 0, "p10": 0, "p25": 0, "p50": %s, "p75": 0,
                                 "p90": %s, "p95": %s, "p99": %s, "p999": 0}}"""
                .formatted(mean, median, count, median, p90, p95, p99);
    }

    private static String statuses(String successful) {
        String zero = summary(0, 0, 0, 0, 0, 0);
        return "{\"successful\": " + successful + ", \"errored\": " + zero + ", \"incomplete\": " + zero
                + ", \"total\": " + successful + "}";
    }

    /** A v0.4+ benchmark entry: counts under metrics.request_totals, scheduler_metrics instead of run_stats. */
    private static String benchmark(String strategy, double latencySeconds, double outputTps, int errored, int total,
                                    double duration) {
        return """
                {"type_": "generative_benchmark", "config": {"strategy": {"type_": "%s"}},
                 "scheduler_metrics": {"requests_made": {"successful": 1, "incomplete": 0, "errored": 0, "total": 1}},
                 "metrics": {
                   "request_totals": {"successful": %d, "incomplete": 0, "errored": %d, "total": %d},
                   "requests_per_second": %s,
                   "request_latency": %s,
                   "time_to_first_token_ms": %s,
                   "inter_token_latency_ms": %s,
                   "time_per_output_token_ms": %s,
                   "output_tokens_per_second": %s
                 },
                 "start_time": 1.0, "end_time": 2.0, "duration": %s, "warmup_duration": 0, "cooldown_duration": 0}
                """.formatted(strategy, total - errored, errored, total,
                statuses(summary(3.0, 3.0, 3.0, 3.0, 3.0, 10)),
                statuses(summary(latencySeconds, latencySeconds * 0.9, latencySeconds * 1.2, latencySeconds * 1.3,
                        latencySeconds * 1.5, 10)),
                statuses(summary(50, 45, 60, 65, 70, 10)),
                statuses(summary(5, 4.5, 6, 6.5, 7, 10)),
                statuses(summary(99, 99, 99, 99, 99, 10)),
                statuses(summary(outputTps, outputTps, 0, 0, 0, 10)),
                duration);
    }

    @Test
    void v04LayoutWithSeveralBenchmarksUsesTheLastAndSaysSo(@TempDir Path dir) {
        Path file = write(dir, "benchmarks.json", """
                {"metadata": {"version": 2, "guidellm_version": "0.7.0"}, "config": {},
                 "benchmarks": [%s, %s]}
                """.formatted(benchmark("synchronous", 0.5, 100.0, 0, 10, 30.0),
                benchmark("throughput", 2.0, 900.0, 2, 40, 60.0)));
        ParsedReport r = parse(file);

        assertThat(r.format()).isEqualTo(ReportFormat.GUIDELLM_JSON);
        expect().distribution(LATENCY_MS, 2000.0, 1800.0, 2400.0, 2600.0, 3000.0)
                .distribution(TTFT_MS, 50.0, 45.0, 60.0, 65.0, 70.0)
                .distribution(TPOT_MS, 5.0, 4.5, 6.0, 6.5, 7.0)
                .with(THROUGHPUT_TOKENS_PER_SEC, 900.0)
                .with(REQUEST_THROUGHPUT, 3.0)
                .with(RUNTIME_SEC, 60.0)
                .with(FAILURE_RATE, 2.0 / 40)
                .matches(r);
        assertThat(r.warnings()).singleElement().asString()
                .contains("2 benchmarks").contains("benchmarks[1]").contains("throughput");
    }

    @Test
    void noSuccessfulRequestsLeavesLatenciesAbsentNotZero(@TempDir Path dir) {
        String b = benchmark("synchronous", 0.5, 100.0, 10, 10, 30.0)
                .replaceAll("\"count\": 10", "\"count\": 0");
        ParsedReport r = parse(write(dir, "benchmarks.json", "{\"benchmarks\": [" + b + "]}"));

        expect().with(RUNTIME_SEC, 30.0).with(FAILURE_RATE, 1.0).matches(r);
    }
}
