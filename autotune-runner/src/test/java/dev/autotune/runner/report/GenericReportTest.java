package dev.autotune.runner.report;

import dev.autotune.domain.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.autotune.domain.Metric.ACCURACY;
import static dev.autotune.domain.Metric.FAILURE_RATE;
import static dev.autotune.domain.Metric.LATENCY_MS;
import static dev.autotune.domain.Metric.LATENCY_P50_MS;
import static dev.autotune.domain.Metric.LATENCY_P95_MS;
import static dev.autotune.domain.Metric.LATENCY_P99_MS;
import static dev.autotune.domain.Metric.REQUEST_THROUGHPUT;
import static dev.autotune.domain.Metric.RUNTIME_SEC;
import static dev.autotune.domain.Metric.THROUGHPUT_TOKENS_PER_SEC;
import static dev.autotune.domain.Metric.TPOT_MS;
import static dev.autotune.domain.Metric.TTFT_MS;
import static dev.autotune.domain.Metric.TTFT_P90_MS;
import static dev.autotune.runner.report.ReportTesting.expect;
import static dev.autotune.runner.report.ReportTesting.failure;
import static dev.autotune.runner.report.ReportTesting.parse;
import static dev.autotune.runner.report.ReportTesting.sample;
import static dev.autotune.runner.report.ReportTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

class GenericReportTest {

    @Test
    void normalizedNamesRoundTripForEverySample(@TempDir Path dir) {
        for (String name : new String[] {"aiperf/v0.8.0-smoke-100k-conc/profile_export_aiperf.json",
                "guidellm/pre-v0.4-stripped-fixture/benchmarks_stripped.yaml",
                "cloudai/extracted_from_tests/sglang/sglang-bench.jsonl"}) {
            ParsedReport original = parse(sample(name));
            String json = original.metrics().entrySet().stream()
                    .map(e -> "\"" + e.getKey().key() + "\": " + e.getValue())
                    .collect(Collectors.joining(",\n  ", "{\n  ", "\n}\n"));

            ParsedReport again = parse(write(dir, "normalized.json", json));

            assertThat(again.format()).as(name).isEqualTo(ReportFormat.GENERIC_JSON);
            assertThat(again.metrics()).as(name).isEqualTo(original.metrics());
        }
    }

    @Test
    void everyNormalizedMetricRoundTrips(@TempDir Path dir) {
        // failure_rate and accuracy are fractions (<= 1) so they are not mistaken for percentages
        Map<Metric, Double> all = new java.util.EnumMap<>(Metric.class);
        double v = 1.25;
        for (Metric m : Metric.reported()) {
            all.put(m, m == FAILURE_RATE || m == ACCURACY ? 0.125 : (v += 10.5));
        }
        String json = all.entrySet().stream().map(e -> "\"" + e.getKey().key() + "\": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));

        assertThat(parse(write(dir, "all.json", json)).metrics()).isEqualTo(all);
    }

    @Test
    void commonAliasesAndUnits(@TempDir Path dir) {
        Path file = write(dir, "results.json", """
                {"model": "m", "tokens_per_second": 512.5, "requests_per_second": 3.5,
                 "latency_s": 1.25, "p95_latency_ms": 2100, "latency_p99_ms": 2500,
                 "time_to_first_token_ms": 80.0, "ttft_p90_ms": 95.0,
                 "error_rate": 2.5, "duration_s": 60, "latency": 9.0, "note": "latency is unitless"}
                """);
        ParsedReport r = parse(file);

        assertThat(r.format()).isEqualTo(ReportFormat.GENERIC_JSON);
        expect().with(THROUGHPUT_TOKENS_PER_SEC, 512.5).with(REQUEST_THROUGHPUT, 3.5)
                .with(LATENCY_MS, 1250.0).with(LATENCY_P95_MS, 2100.0).with(LATENCY_P99_MS, 2500.0)
                .with(TTFT_MS, 80.0).with(TTFT_P90_MS, 95.0)
                .with(FAILURE_RATE, 0.025) // 2.5 > 1: a percentage
                .with(RUNTIME_SEC, 60.0)
                .matches(r);
        assertThat(r.warnings()).anyMatch(w -> w.contains("latency has no unit"))
                .anyMatch(w -> w.equals("error_rate is 2.5, read as a percent (0.025 of requests); write a fraction from"
                        + " 0 to 1 to be unambiguous"));
    }

    @Test
    void aRatePastAHundredPercentIsRefusedByTheNumberInTheFile(@TempDir Path dir) {
        failure(write(dir, "fr.json", "{\"latency_ms\": 5, \"failure_rate\": 150}"),
                "failure_rate is 150: above 1 it is read as a percent, and a rate cannot pass 100%");
    }

    @Test
    void metricsNestedOneLevelUnderMetricsOrResults(@TempDir Path dir) {
        ParsedReport underMetrics = parse(write(dir, "a.json",
                "{\"run\": \"x\", \"metrics\": {\"mean_latency_ms\": 10.0, \"output_tokens_per_second\": 99.0}}"));
        ParsedReport underResults = parse(write(dir, "b.json",
                "{\"results\": {\"avg_latency_ms\": 10.0, \"throughput\": 99.0, \"failure_rate\": 0.5}}"));

        expect().with(LATENCY_MS, 10.0).with(THROUGHPUT_TOKENS_PER_SEC, 99.0).matches(underMetrics);
        expect().with(LATENCY_MS, 10.0).with(THROUGHPUT_TOKENS_PER_SEC, 99.0).with(FAILURE_RATE, 0.5)
                .matches(underResults);
    }

    @Test
    void conflictingNamesKeepTheFirstAndWarn(@TempDir Path dir) {
        ParsedReport r = parse(write(dir, "c.json", "{\"latency_ms\": 10.0, \"e2e_latency_ms\": 12.0}"));

        expect().with(LATENCY_MS, 10.0).matches(r);
        assertThat(r.warnings()).anyMatch(w -> w.contains("e2e_latency_ms") && w.contains("kept latency_ms"));
    }

    @Test
    void perRequestJsonlIsAggregated(@TempDir Path dir) {
        Path file = write(dir, "requests.jsonl", """
                {"request_id": 1, "latency_s": 0.812, "ttft_ms": 41.5, "tpot_ms": 7.25, "error": null}
                {"request_id": 2, "latency_s": 0.904, "ttft_ms": 38.0, "tpot_ms": 7.5, "error": null}
                {"request_id": 3, "latency_s": 1.377, "ttft_ms": 95.25, "tpot_ms": 9.0, "error": null}
                {"request_id": 4, "latency_s": null, "ttft_ms": null, "tpot_ms": null, "error": "HTTP 503"}
                {"request_id": 5, "latency_s": 0.755, "ttft_ms": 36.75, "tpot_ms": 6.875, "error": null}
                {"request_id": 6, "latency_s": 1.02, "ttft_ms": 52.0, "tpot_ms": 8.125, "error": ""}
                {"request_id": 7, "latency_s": 0.999, "ttft_ms": 47.5, "tpot_ms": 7.75, "error": null}
                """);
        ParsedReport r = parse(file);

        assertThat(r.format()).isEqualTo(ReportFormat.GENERIC_JSONL);
        // Computed independently: python3 + numpy over the 6 lines whose error is null or "":
        //   np.mean(a), np.percentile(a, [50, 90, 95, 99]) with latency_s * 1000
        expect().distribution(LATENCY_MS, 977.8333333333334, 951.5, 1198.5, 1287.75, 1359.15)
                .distribution(TTFT_MS, 51.833333333333336, 44.5, 73.625, 84.4375, 93.0875)
                .distribution(TPOT_MS, 7.75, 7.625, 8.5625, 8.78125, 8.95625)
                .with(FAILURE_RATE, 1.0 / 7)
                .matches(r);
        assertThat(r.warnings()).anyMatch(w -> w.contains("7 per-request lines aggregated"));
    }

    @Test
    void summaryJsonlUsesTheLastLine(@TempDir Path dir) {
        Path file = write(dir, "runs.jsonl", """
                {"run": 1, "output_throughput": 100.0, "p99_latency_ms": 900.0}
                {"run": 2, "output_throughput": 150.0, "p99_latency_ms": 800.0, "accuracy": 0.9}
                """);
        ParsedReport r = parse(file);

        assertThat(r.format()).isEqualTo(ReportFormat.GENERIC_JSONL);
        expect().with(THROUGHPUT_TOKENS_PER_SEC, 150.0).with(LATENCY_P99_MS, 800.0).with(ACCURACY, 0.9).matches(r);
        assertThat(r.warnings()).anyMatch(w -> w.contains("2 summary lines") && w.contains("line 2"));
    }

    @Test
    void latencyP50AliasesAndStatSuffix(@TempDir Path dir) {
        ParsedReport r = parse(write(dir, "d.json",
                "{\"median_latency_ms\": 5.0, \"latency_ms_p99\": 9.0, \"e2el_mean_ms\": 4.0}"));

        expect().with(LATENCY_P50_MS, 5.0).with(LATENCY_P99_MS, 9.0).with(LATENCY_MS, 4.0).matches(r);
    }
}
