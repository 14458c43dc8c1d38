package dev.autotune.runner.report;

import dev.autotune.domain.Metric;

import java.util.Optional;

/**
 * GenAI-Perf {@code profile_export_genai_perf.csv} / {@code profile_genai_perf.csv}, and CloudAI's
 * {@code genai_perf_report.csv}: the statistics table only (CloudAI's grep drops the {@code Metric,Value} section)
 * plus appended rows {@code Output tokens per second per gpu}, {@code Request throughput per second} and
 * {@code Request count}.
 *
 * <p>GenAI-Perf reports no error count, so failure_rate stays absent. It reports no duration either; since its
 * request throughput is request count / duration, runtime_sec is derived from those two when both are present.
 * Inter Token Latency is vLLM's TPOT (see FORMATS.md), so it maps to tpot_ms.
 */
final class GenaiPerfCsv implements FormatReader {
    @Override
    public ReportFormat format() {
        return ReportFormat.GENAI_PERF_CSV;
    }

    @Override
    public String title() {
        return "GenAI-Perf CSV";
    }

    @Override
    public String expectation() {
        return "GenAI-Perf metric rows such as 'Time To First Token (ms)' under a 'Metric,...' header";
    }

    @Override
    public boolean matches(ReportContent content) {
        return !content.looksLikeJson() && MetricTable.startsWithMetricHeader(content.text());
    }

    /**
     * Both tools share the table layout; GenAI-Perf is told apart by its spellings: {@code str.title()} labels
     * ("Time To First Token", "Time To Second Token"), the "(per sec)"/"(count)" units, or CloudAI's appended rows.
     * AIPerf writes "Time to First Token", "(requests/sec)" and a bare "Request Count".
     */
    @Override
    public boolean claims(ReportContent content) {
        if (!matches(content)) {
            return false;
        }
        MetricTable table = content.metricTable();
        return table.hasLabel("Time To First Token (ms)") || table.hasLabel("Time To Second Token (ms)")
                || table.hasUnit("per sec") || table.hasUnit("count")
                || table.find("Request throughput per second", "Output tokens per second per gpu").isPresent();
    }

    @Override
    public void read(ReportContent content, Readings out) {
        MetricTable table = content.metricTable();
        table.find("Request Latency").ifPresent(r -> r.readLatency(Metric.LATENCY_MS, out));
        table.find("Time To First Token").ifPresent(r -> r.readLatency(Metric.TTFT_MS, out));
        table.find("Inter Token Latency").ifPresent(r -> r.readLatency(Metric.TPOT_MS, out));
        table.find("Output Token Throughput").ifPresent(r -> out.put(Metric.THROUGHPUT_TOKENS_PER_SEC, r.value()));
        table.find("Request Throughput", "Request throughput per second")
                .ifPresent(r -> out.put(Metric.REQUEST_THROUGHPUT, r.value()));
        if (table.find("Output tokens per second per gpu").isPresent() && !out.has(Metric.THROUGHPUT_TOKENS_PER_SEC)) {
            out.warn("only CloudAI's per-GPU output token rate is present; throughput_tokens_per_sec needs the"
                    + " system-wide rate and the GPU count is not in the file, so it is left absent");
        }
        Double requests = table.find("Request Count", "Request count").map(MetricTable.Row::value).orElse(null);
        out.deriveRuntime(requests);
        // GenAI-Perf's CSV states the sequence lengths and the request count, not the model, load or time
        table.find("Input Sequence Length").ifPresent(r -> out.fact(ReportFacts.ISL, r.value()));
        table.find("Output Sequence Length").ifPresent(r -> out.fact(ReportFacts.OSL, r.value()));
        out.countFact(ReportFacts.REQUESTS, requests);
        Optional<MetricTable.Row> latency = table.find("Request Latency");
        out.runFingerprint(GenaiPerfJson.fingerprint(requests, latency.map(r -> r.number("avg")).orElse(null),
                latency.map(r -> r.number("min")).orElse(null), latency.map(r -> r.number("max")).orElse(null),
                table.find("Input Sequence Length").map(MetricTable.Row::value).orElse(null),
                table.find("Output Sequence Length").map(MetricTable.Row::value).orElse(null)));
    }
}
