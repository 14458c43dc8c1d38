package dev.autotune.runner.report;

import java.util.List;

/**
 * Decides a file's format from its content; the file name only breaks the one tie content cannot
 * (a vLLM/SGLang result with none of either tool's own keys). Readers are asked in this order and the first
 * that claims the content wins:
 * <ol>
 * <li>JSON object with AIPerf metric statistics and an AIPerf marker (schema_version, aiperf_version,
 *     benchmark_id, records, was_cancelled, error_summary) → AIPerf JSON;</li>
 * <li>the same statistics without any AIPerf marker → GenAI-Perf JSON;</li>
 * <li>JSON with a {@code benchmarks} list of objects with {@code metrics} → GuideLLM JSON;</li>
 * <li>JSON lines of {@code {metadata, metrics, error}} records → AIPerf per-request JSONL;</li>
 * <li>serving results ({@code completed} + mean_ttft_ms/output_throughput-style keys) → SGLang or vLLM by
 *     their own keys (e2e_latency/server_info/... vs e2el/failed/endpoint_type/...); when neither shows, JSON
 *     lines or a .jsonl name → SGLang, a single JSON object → vLLM;</li>
 * <li>JSON object whose only metric key is {@code accuracy} → accuracy JSON;</li>
 * <li>JSON / JSON lines with known metric names → generic JSON / JSONL;</li>
 * <li>YAML with a top-level {@code benchmarks:} list → GuideLLM YAML;</li>
 * <li>CSV with a {@code Task,...,Accuracy} header → CloudAI accuracy CSV;</li>
 * <li>CSV starting with a {@code Metric,...} header → GenAI-Perf CSV when it uses GenAI-Perf's spellings
 *     ("Time To First Token", "(per sec)", "(count)", CloudAI's appended rows), else AIPerf CSV;</li>
 * <li>GuideLLM's printed "Benchmarks Stats:" table → GuideLLM console summary;</li>
 * <li>{@code label: value} lines with known labels, or a "Serving Benchmark Result" block → text log.</li>
 * </ol>
 */
final class FormatDetector {
    private static final List<FormatReader> READERS = List.of(
            new AiperfJson(),
            new GenaiPerfJson(),
            GuideLlm.json(),
            new AiperfJsonl(),
            new SglangBench(),
            new VllmBench(),
            new AccuracyJson(),
            GenericReport.json(),
            GenericReport.jsonLines(),
            GuideLlm.yaml(),
            new CloudaiAccuracyCsv(),
            new GenaiPerfCsv(),
            new AiperfCsv(),
            new GuideLlmConsole(),
            new TextLog());

    private FormatDetector() {
    }

    static FormatReader detect(ReportContent content) {
        for (FormatReader reader : READERS) {
            if (reader.claims(content)) {
                return reader;
            }
        }
        if (content.jsonDocument().isPresent() || content.jsonLines().isPresent()) {
            throw new ReportProblem("no recognizable metric: the JSON matches no known report format"
                    + " (AIPerf, GenAI-Perf, GuideLLM, vLLM, SGLang, accuracy) and has no known metric key"
                    + " such as latency_ms, ttft_ms, output_throughput or request_throughput");
        }
        String why = TextLog.whyNoMetric(content);
        if (why != null) {
            throw new ReportProblem("not a recognized benchmark report: " + why);
        }
        throw new ReportProblem("not a recognized benchmark report: no known JSON, JSONL, YAML or CSV report"
                + " structure and no 'label: value' metric lines");
    }

    static FormatReader reader(ReportFormat format) {
        return READERS.stream().filter(r -> r.format() == format).findFirst()
                .orElseThrow(() -> new IllegalStateException("no reader for " + format));
    }
}
