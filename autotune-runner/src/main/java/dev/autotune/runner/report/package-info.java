/**
 * Benchmark report parsing: any supported report file in, the normalized {@link dev.autotune.domain.Metric}
 * set out ({@link dev.autotune.runner.report.ReportParser}).
 *
 * <p>How it fits together: {@code ReportContent} loads and checks the file (text, UTF-8, not empty) and parses
 * its JSON / JSON-lines / YAML views once; {@code FormatDetector} asks each {@code FormatReader} in a fixed
 * order whether the content is its format (the order and rules are documented there); the reader fills a
 * {@code Readings}; {@code ReportParser} turns the readings, or any {@code ReportProblem}, into a
 * {@link dev.autotune.runner.report.ParsedReport} or a one-line
 * {@link dev.autotune.runner.report.ReportException}.
 *
 * <p>Readers, one per format family: {@code AiperfJson}, {@code AiperfCsv}, {@code AiperfJsonl},
 * {@code GenaiPerfCsv}, {@code GenaiPerfJson}, {@code GuideLlm} (JSON and YAML), {@code VllmBench},
 * {@code SglangBench}, {@code CloudaiAccuracyCsv}, {@code AccuracyJson}, {@code GenericReport} (JSON and
 * JSONL), {@code TextLog}. Each documents its field mapping and failure-rate policy.
 *
 * <p>Shared pieces, each in one place: {@code MetricTable} (AIPerf/GenAI-Perf multi-section CSV) on top of
 * {@code CsvRows}; {@code StatDict} (AIPerf/GenAI-Perf {unit, avg, pNN} objects); {@code ServingResultKeys}
 * (vLLM/SGLang flat result keys); {@code Percentiles} (mean + linear-interpolated percentiles);
 * {@code MetricAliases} (generic key names); {@code NumberText} and {@code JsonNumbers} (strict number
 * reading); {@code LatencyUnit} (time units to ms).
 */
package dev.autotune.runner.report;
