package dev.autotune.runner.report;

import dev.autotune.domain.Metric;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key names a hand-written or third-party JSON report may use for each normalized metric. The normalized
 * names themselves always resolve to themselves, so a report written with them reads back unchanged.
 *
 * <p>A time value needs its unit in the name ({@code _ms}, {@code _s}/{@code _sec}, {@code _us}, {@code _ns}):
 * a bare {@code latency} could be seconds or milliseconds, so it is not guessed ({@link #isUnitlessLatency}).
 * Names whose meaning differs between tools are not aliases: {@code time_per_output_token} (GuideLLM's
 * includes the first token) and {@code inter_token_latency} (vLLM TPOT in AIPerf, but "ITL" elsewhere).
 */
final class MetricAliases {
    /** How a matched key's value becomes the metric's value. */
    enum Scale { AS_IS, FRACTION_OR_PERCENT, MILLIS_TO_SECONDS }

    record Alias(Metric metric, Scale scale, LatencyUnit unit) {
        double apply(double value) {
            return switch (scale) {
                case FRACTION_OR_PERCENT -> NumberText.fraction(value, false);
                case MILLIS_TO_SECONDS -> value / 1000;
                case AS_IS -> unit == null ? value : unit.toMillis(value);
            };
        }

        /** Per-request quantities (a latency mean, not a percentile or a rate) can be aggregated over lines. */
        boolean perRequest() {
            return unit != null && Metric.percentile(metric, 50).isPresent();
        }
    }

    private static final Map<String, Alias> NAMES = Map.ofEntries(
            named("tokens_per_second", Metric.THROUGHPUT_TOKENS_PER_SEC),
            named("output_throughput", Metric.THROUGHPUT_TOKENS_PER_SEC),
            named("output_tokens_per_second", Metric.THROUGHPUT_TOKENS_PER_SEC),
            named("output_token_throughput", Metric.THROUGHPUT_TOKENS_PER_SEC),
            named("output_tokens_per_sec", Metric.THROUGHPUT_TOKENS_PER_SEC),
            named("throughput", Metric.THROUGHPUT_TOKENS_PER_SEC),
            named("requests_per_second", Metric.REQUEST_THROUGHPUT),
            named("requests_per_sec", Metric.REQUEST_THROUGHPUT),
            named("request_rate_achieved", Metric.REQUEST_THROUGHPUT),
            Map.entry("error_rate", new Alias(Metric.FAILURE_RATE, Scale.FRACTION_OR_PERCENT, null)),
            named("runtime_s", Metric.RUNTIME_SEC),
            named("duration", Metric.RUNTIME_SEC),
            named("duration_s", Metric.RUNTIME_SEC),
            named("duration_sec", Metric.RUNTIME_SEC),
            named("benchmark_duration", Metric.RUNTIME_SEC),
            named("benchmark_duration_s", Metric.RUNTIME_SEC),
            Map.entry("duration_ms", new Alias(Metric.RUNTIME_SEC, Scale.MILLIS_TO_SECONDS, null)),
            Map.entry("runtime_ms", new Alias(Metric.RUNTIME_SEC, Scale.MILLIS_TO_SECONDS, null)));

    private static final Map<String, Metric> LATENCY_BASES = Map.of(
            "latency", Metric.LATENCY_MS, "e2e_latency", Metric.LATENCY_MS, "e2el", Metric.LATENCY_MS,
            "request_latency", Metric.LATENCY_MS, "end_to_end_latency", Metric.LATENCY_MS,
            "ttft", Metric.TTFT_MS, "time_to_first_token", Metric.TTFT_MS,
            "tpot", Metric.TPOT_MS, "itl", Metric.ITL_MS);
    private static final String BASE = "(latency|e2e_latency|e2el|request_latency|end_to_end_latency"
            + "|ttft|time_to_first_token|tpot|itl)";
    private static final String STAT = "(mean|avg|average|median|p50|p90|p95|p99)";
    private static final String UNIT = "(ms|s|sec|secs|seconds|us|ns)";
    // stat_base_unit (p95_latency_ms), base_stat_unit (latency_p95_ms), base_unit_stat (latency_ms_p95)
    private static final Pattern STAT_FIRST = Pattern.compile("(?:" + STAT + "_)?" + BASE + "_" + UNIT);
    private static final Pattern STAT_MIDDLE = Pattern.compile(BASE + "_" + STAT + "_" + UNIT);
    private static final Pattern STAT_LAST = Pattern.compile(BASE + "_" + UNIT + "_" + STAT);
    private static final Pattern UNITLESS = Pattern.compile("(?:" + STAT + "_)?" + BASE + "(?:_" + STAT + ")?");

    private MetricAliases() {
    }

    /** The normalized metric a key stands for, if any. Case, '-' and ' ' versus '_' do not matter. */
    static Optional<Alias> resolve(String key) {
        String k = normalize(key);
        // a per-GPU metric is derived from the knobs (--gpus, a space's gpus), never taken from a report
        Optional<Metric> normalized = Metric.byKey(k).filter(m -> m.perGpuOf() == null);
        if (normalized.isPresent()) {
            Metric m = normalized.get();
            boolean fraction = m == Metric.FAILURE_RATE || m == Metric.ACCURACY;
            return Optional.of(new Alias(m, fraction ? Scale.FRACTION_OR_PERCENT : Scale.AS_IS,
                    m.unit().equals("ms") ? LatencyUnit.MILLISECONDS : null));
        }
        Alias named = NAMES.get(k);
        if (named != null) {
            return Optional.of(named);
        }
        Matcher m;
        if ((m = STAT_FIRST.matcher(k)).matches()) {
            return latency(m.group(2), m.group(1), m.group(3));
        }
        if ((m = STAT_MIDDLE.matcher(k)).matches()) {
            return latency(m.group(1), m.group(2), m.group(3));
        }
        if ((m = STAT_LAST.matcher(k)).matches()) {
            return latency(m.group(1), m.group(3), m.group(2));
        }
        return Optional.empty();
    }

    /** True for a latency-like key with no unit ({@code latency}, {@code mean_ttft}), which is not guessed. */
    static boolean isUnitlessLatency(String key) {
        return UNITLESS.matcher(normalize(key)).matches();
    }

    private static Optional<Alias> latency(String base, String stat, String unit) {
        Metric mean = LATENCY_BASES.get(base);
        LatencyUnit timeUnit = LatencyUnit.parse(unit).orElseThrow();
        Metric metric = switch (stat == null ? "mean" : stat) {
            case "mean", "avg", "average" -> mean;
            case "median", "p50" -> Metric.percentile(mean, 50).orElseThrow();
            default -> Metric.percentile(mean, Integer.parseInt(stat.substring(1))).orElseThrow();
        };
        return Optional.of(new Alias(metric, Scale.AS_IS, timeUnit));
    }

    private static Map.Entry<String, Alias> named(String key, Metric metric) {
        return Map.entry(key, new Alias(metric, Scale.AS_IS, null));
    }

    private static String normalize(String key) {
        return key.strip().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    }
}
