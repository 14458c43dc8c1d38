package dev.autotune.runner.report;

import dev.autotune.domain.Metric;

/**
 * AIPerf {@code profile_export_aiperf.csv}, and CloudAI's {@code aiperf_report.csv} / {@code benchmark_report.csv},
 * which are verbatim (sometimes column-trimmed) copies of it.
 *
 * <p>Inter Token Latency is (latency − TTFT)/(output tokens − 1), i.e. vLLM's TPOT, so it maps to tpot_ms;
 * Inter Chunk Latency (gaps between streamed chunks) is vLLM's ITL. Failure rate follows {@link AiperfJson}.
 */
final class AiperfCsv implements FormatReader {
    @Override
    public ReportFormat format() {
        return ReportFormat.AIPERF_CSV;
    }

    @Override
    public String title() {
        return "AIPerf CSV";
    }

    @Override
    public String expectation() {
        return "AIPerf/GenAI-Perf metric rows such as 'Request Latency (ms)' under a 'Metric,...' header";
    }

    @Override
    public boolean matches(ReportContent content) {
        return !content.looksLikeJson() && MetricTable.startsWithMetricHeader(content.text());
    }

    @Override
    public void read(ReportContent content, Readings out) {
        MetricTable table = content.metricTable();
        table.find("Request Latency").ifPresent(r -> r.readLatency(Metric.LATENCY_MS, out));
        table.find("Time to First Token").ifPresent(r -> r.readLatency(Metric.TTFT_MS, out));
        table.find("Inter Token Latency").ifPresent(r -> r.readLatency(Metric.TPOT_MS, out));
        table.find("Inter Chunk Latency").ifPresent(r -> r.readLatency(Metric.ITL_MS, out));
        table.find("Output Token Throughput").ifPresent(r -> out.put(Metric.THROUGHPUT_TOKENS_PER_SEC, r.value()));
        table.find("Request Throughput").ifPresent(r -> out.put(Metric.REQUEST_THROUGHPUT, r.value()));
        table.find("Benchmark Duration").ifPresent(r -> {
            LatencyUnit unit = r.timeUnit(LatencyUnit.SECONDS, out);
            Double value = r.value();
            out.put(Metric.RUNTIME_SEC, unit == null || value == null ? null : unit.toSeconds(value));
        });

        Double succeeded = table.find("Request Count").map(MetricTable.Row::value).orElse(null);
        Double failed = table.find("Error Request Count").map(MetricTable.Row::value).orElse(null);
        Double errorPercent = table.find("Request Error Rate").map(MetricTable.Row::value).orElse(null);
        AiperfJson.putFailureRate(succeeded, failed, errorPercent, out);
        out.deriveRuntime(succeeded);

        // the facts the CSV shares with the JSON of the same run; the model and load settings are not in it
        out.fact(ReportFacts.ISL, value(table, "Input Sequence Length"));
        out.fact(ReportFacts.OSL, value(table, "Output Sequence Length"));
        if (succeeded != null) {
            out.countFact(ReportFacts.REQUESTS, succeeded + (failed == null ? 0 : failed));
        }
        out.measuredAt(StatedTime.fromEpochNanos(value(table, "Minimum Request Timestamp")));
        Double duration = table.find("Benchmark Duration").isPresent() ? out.get(Metric.RUNTIME_SEC) : null;
        out.runFingerprint(AiperfJson.fingerprint(succeeded, failed, value(table, "Total Input Sequence Length"),
                value(table, "Total Output Sequence Length"), duration));
    }

    private static Double value(MetricTable table, String name) {
        return table.find(name).map(MetricTable.Row::value).orElse(null);
    }
}
