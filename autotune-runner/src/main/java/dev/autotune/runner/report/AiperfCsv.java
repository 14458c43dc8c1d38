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
        MetricTable table = MetricTable.parse(content.text());
        table.find("Request Latency").ifPresent(r -> r.readLatency(Metric.LATENCY_MS, out));
        table.find("Time to First Token").ifPresent(r -> r.readLatency(Metric.TTFT_MS, out));
        table.find("Inter Token Latency").ifPresent(r -> r.readLatency(Metric.TPOT_MS, out));
        table.find("Inter Chunk Latency").ifPresent(r -> r.readLatency(Metric.ITL_MS, out));
        table.find("Output Token Throughput").ifPresent(r -> out.put(Metric.THROUGHPUT_TOKENS_PER_SEC, r.value()));
        table.find("Request Throughput").ifPresent(r -> out.put(Metric.REQUEST_THROUGHPUT, r.value()));
        table.find("Benchmark Duration").ifPresent(r -> out.put(Metric.RUNTIME_SEC, seconds(r, out)));

        Double succeeded = table.find("Request Count").map(MetricTable.Row::value).orElse(null);
        Double failed = table.find("Error Request Count").map(MetricTable.Row::value).orElse(null);
        Double errorPercent = table.find("Request Error Rate").map(MetricTable.Row::value).orElse(null);
        AiperfJson.putFailureRate(succeeded, failed, errorPercent, out);
        out.deriveRuntime(succeeded);
    }

    private static Double seconds(MetricTable.Row row, Readings out) {
        Double value = row.value();
        LatencyUnit unit = row.unit() == null ? LatencyUnit.SECONDS : LatencyUnit.parse(row.unit()).orElse(null);
        if (unit == null) {
            out.warn("line " + row.line() + " '" + row.label() + "' has unknown time unit; ignored");
            return null;
        }
        return value == null ? null : unit.toSeconds(value);
    }
}
