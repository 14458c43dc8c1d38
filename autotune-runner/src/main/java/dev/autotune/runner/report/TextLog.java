package dev.autotune.runner.report;

import dev.autotune.domain.Metric;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Console logs with {@code label: value} lines: the "Serving Benchmark Result" block that {@code vllm bench serve}
 * and SGLang's bench_serving print (labels as printed by vllm/benchmarks/serve.py and
 * sglang/bench_serving.py), and the accuracy lines CloudAI greps from semantic-eval logs
 * ({@code Accuracy: 0.742}, or {@code Score: 0.945} when there is no Accuracy line).
 *
 * <p>Labels: Successful requests, Failed requests, Benchmark duration (s), Request throughput (req/s),
 * Output token throughput (tok/s), and Mean/Median/P&lt;n&gt; of TTFT, TPOT, ITL, E2EL (vLLM) or E2E Latency
 * (SGLang), all "(ms)". failure_rate = failed / (successful + failed), only when the log prints a failed count
 * (older vLLM and SGLang do not). When a log holds several result blocks, the last one is used.
 *
 * <p>Any other {@code key: value} line whose key is a metric name generic JSON reports use ({@link MetricAliases},
 * e.g. {@code latency_ms: 12}) is read the same way; a latency key without a unit ({@code latency: 12}) is not.
 */
final class TextLog implements FormatReader {
    private static final String HEADER = "Serving Benchmark Result";
    private static final Pattern LINE = Pattern.compile("^\\s*([A-Za-z][^:]{0,60}?)\\s*:\\s*(\\S.*?)\\s*$");
    private static final Pattern STATISTIC =
            Pattern.compile("(mean|median|p(\\d+)) (ttft|tpot|itl|e2el|e2e latency) \\(ms\\)");
    private static final Map<String, Metric> STATISTIC_METRICS = Map.of("ttft", Metric.TTFT_MS, "tpot",
            Metric.TPOT_MS, "itl", Metric.ITL_MS, "e2el", Metric.LATENCY_MS, "e2e latency", Metric.LATENCY_MS);
    private static final Map<String, Metric> PLAIN_METRICS = Map.of(
            "benchmark duration (s)", Metric.RUNTIME_SEC,
            "request throughput (req/s)", Metric.REQUEST_THROUGHPUT,
            "output token throughput (tok/s)", Metric.THROUGHPUT_TOKENS_PER_SEC);
    private static final List<String> COUNTS = List.of("successful requests", "failed requests");
    /**
     * Lines of the result block that state the workload rather than measure it (vllm/benchmarks/serve.py prints
     * them); they make no file a log on their own and an unreadable one is no reason to refuse the metrics.
     */
    private static final List<String> FACT_LABELS = List.of("maximum request concurrency",
            "request rate configured (rps)", "total input tokens", "total generated tokens");
    private static final List<String> ACCURACY = List.of("accuracy", "score");
    // CloudAI's semantic-eval regex: the accuracy may follow other text on its line.
    private static final Pattern ACCURACY_ANYWHERE = Pattern.compile("\\b(Accuracy|Score):\\s*([0-9.]+%?)");

    @Override
    public ReportFormat format() {
        return ReportFormat.TEXT_LOG;
    }

    @Override
    public String title() {
        return "text log";
    }

    @Override
    public String expectation() {
        return "'label: value' lines such as 'Mean TTFT (ms): 12.3' from a Serving Benchmark Result block,"
                + " or 'Accuracy: 0.74'";
    }

    @Override
    public boolean matches(ReportContent content) {
        if (content.looksLikeJson()) {
            return false;
        }
        if (content.text().contains(HEADER)) {
            return true;
        }
        return content.lines().stream()
                .anyMatch(l -> label(l).filter(TextLog::isKnown).isPresent() || ACCURACY_ANYWHERE.matcher(l).find());
    }

    @Override
    public void read(ReportContent content, Readings out) {
        Map<Metric, Double> serving = new EnumMap<>(Metric.class);
        Double successful = null;
        Double failed = null;
        Double accuracy = null;
        Double score = null;
        Map<String, Double> stated = new java.util.HashMap<>();
        // a label given twice in one result block has no meaning the tools agree on: refused, as a JSON key twice is
        Map<String, Integer> seen = new java.util.HashMap<>();
        int blocks = 0;
        List<String> lines = content.lines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains(HEADER)) {
                blocks++;
                serving.clear();
                successful = null;
                failed = null;
                stated.clear();
                seen.clear();
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (m.matches() && FACT_LABELS.contains(m.group(1).toLowerCase(Locale.ROOT))) {
                try {
                    stated.put(m.group(1).toLowerCase(Locale.ROOT), NumberText.parse(firstToken(m.group(2)), "fact"));
                } catch (ReportProblem notANumber) {
                    // "inf" or "None" states no limit: not a setting to record
                }
                continue;
            }
            if (!m.matches() || !isKnown(m.group(1))) {
                m = ACCURACY_ANYWHERE.matcher(line);
                if (!m.find()) {
                    continue;
                }
            }
            String label = m.group(1).toLowerCase(Locale.ROOT);
            String where = "line " + (i + 1) + " '" + m.group(1) + "'";
            // inside a result block only: an evaluation log may print its running accuracy many times
            Integer earlier = blocks > 0 ? seen.putIfAbsent(label, i + 1) : null;
            if (earlier != null) {
                throw new ReportProblem(where + " is given twice (also line " + earlier + ")");
            }
            String text = firstToken(m.group(2));
            switch (label) {
                case "successful requests" -> successful = NumberText.parse(text, where);
                case "failed requests" -> failed = NumberText.parse(text, where);
                case "accuracy" -> accuracy = NumberText.parseFraction(text, where);
                case "score" -> score = NumberText.parseFraction(text, where);
                default -> {
                    Double value = NumberText.parse(text, where);
                    if (value == null) { // "latency_ms: n/a" or nothing after the colon states no value
                        continue;
                    }
                    Metric known = statistic(label).orElseGet(() -> PLAIN_METRICS.get(label));
                    if (known != null) {
                        serving.put(known, value);
                    } else { // a generic "latency_ms: 12" log: the metric names generic JSON reports use
                        MetricAliases.Alias alias = MetricAliases.resolve(label).orElseThrow();
                        serving.put(alias.metric(), alias.apply(value));
                    }
                }
            }
        }
        serving.forEach(out::put);
        if (successful != null && failed != null) {
            out.putFailureRate(failed, successful + failed, "Failed requests/(Successful+Failed requests)");
        }
        out.put(Metric.ACCURACY, accuracy != null ? accuracy : score);
        readFacts(stated, successful, failed, out);
        // the same run as the vLLM JSON or SGLang JSONL line it saved: one fingerprint for both
        out.runFingerprint(ServingResultKeys.fingerprint(successful, failed, stated.get("total input tokens"),
                stated.get("total generated tokens"), serving.get(Metric.RUNTIME_SEC)));
        if (blocks > 1) {
            out.warn(blocks + " '" + HEADER + "' blocks in the log; used the last one");
        }
    }

    /** The load setting, mean tokens per successful request and the requests sent, as the block states them. */
    private static void readFacts(Map<String, Double> stated, Double successful, Double failed, Readings out) {
        out.countFact(ReportFacts.CONCURRENCY, stated.get("maximum request concurrency"));
        out.fact(ReportFacts.REQUEST_RATE, stated.get("request rate configured (rps)"));
        if (successful != null && successful > 0) {
            Double input = stated.get("total input tokens");
            Double output = stated.get("total generated tokens");
            out.fact(ReportFacts.ISL, input == null ? null : input / successful);
            out.fact(ReportFacts.OSL, output == null ? null : output / successful);
        }
        if (successful != null && failed != null) {
            out.countFact(ReportFacts.REQUESTS, successful + failed);
        }
    }

    /** The metric a "Mean/Median/Pnn X (ms)" label stands for. */
    private static Optional<Metric> statistic(String label) {
        Matcher m = STATISTIC.matcher(label);
        if (!m.matches()) {
            return Optional.empty();
        }
        Metric mean = STATISTIC_METRICS.get(m.group(3));
        if (m.group(1).equals("mean")) {
            return Optional.of(mean);
        }
        int p = m.group(2) == null ? 50 : Integer.parseInt(m.group(2));
        return Metric.percentile(mean, p);
    }

    private static boolean isKnown(String label) {
        String l = label.toLowerCase(Locale.ROOT);
        return PLAIN_METRICS.containsKey(l) || COUNTS.contains(l) || ACCURACY.contains(l) || statistic(l).isPresent()
                || MetricAliases.resolve(l).isPresent();
    }

    /**
     * Why a text with {@code label: value} lines names no metric, for the refusal: the first latency label without
     * a unit (not guessed, as in JSON reports), else that no label is a known metric; null when it has no such lines.
     */
    static String whyNoMetric(ReportContent content) {
        List<String> lines = content.lines();
        boolean any = false;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = LINE.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            any = true;
            if (MetricAliases.isUnitlessLatency(m.group(1))) {
                return "line " + (i + 1) + " '" + m.group(1) + ": " + m.group(2) + "': a latency without a unit in"
                        + " its name is not guessed (ms or s?); name it e.g. " + m.group(1).strip().replace(' ', '_')
                        + "_ms";
            }
        }
        return any ? "its 'label: value' lines name no known metric (such as latency_ms, ttft_ms, output_throughput,"
                + " request_throughput, or a Serving Benchmark Result block's labels)" : null;
    }

    private static Optional<String> label(String line) {
        Matcher m = LINE.matcher(line);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    // vLLM pads values to 10 characters; some loggers append text after the number.
    private static String firstToken(String value) {
        int space = value.indexOf(' ');
        return space < 0 ? value : value.substring(0, space);
    }
}
