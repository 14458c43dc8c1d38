package dev.autotune.api.app.common;

import dev.autotune.domain.Budget;
import dev.autotune.domain.Budget.Bound;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.KnobPath;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.Recommender;
import dev.autotune.runner.config.TomlValues;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The user's raw inputs parsed into typed values, once for the CLI and HTTP: key=value pairs, knob values typed
 * like TOML, budgets, enum choices, statuses and metrics. Every failure is a {@link UserError} naming its field.
 */
public final class Inputs {
    private Inputs() {
    }

    /** {@code key=value} strings as a map, in order; blank entries are skipped. */
    public static Map<String, String> pairs(String field, List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : pairs == null ? List.<String>of() : pairs) {
            if (pair == null || pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UserError(field, "'" + pair + "' must look like key=value");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return out;
    }

    /** {@code knob=value} strings as knob values typed like TOML: 8, 0.9, true, "text", [1, 2]. */
    public static Map<String, Object> knobs(String field, List<String> pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        pairs(field, pairs).forEach((key, text) -> {
            try {
                new KnobPath(key);
                out.put(key, TomlValues.toJava(TomlValues.parse(text)));
            } catch (IllegalArgumentException e) {
                throw new UserError(field, key + ": " + e.getMessage(), e);
            }
        });
        return out;
    }

    /** Knob names, each a valid dotted path. */
    public static List<String> knobNames(List<String> knobs) {
        List<String> out = new ArrayList<>();
        for (String k : knobs == null ? List.<String>of() : knobs) {
            if (k == null || k.isBlank()) {
                continue;
            }
            try {
                out.add(new KnobPath(k.trim()).toString());
            } catch (IllegalArgumentException e) {
                throw new UserError("knob", e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * The budgets given, in a fixed order: latency, TTFT, throughput, failure rate, the metric expressions, then the
     * {@code max} and {@code min} pairs. Every form is read by the one parser in {@link Budget}; a saved profile
     * named beside them is the application's to resolve (it needs the store).
     */
    public static List<Budget> budgets(BudgetInput in) {
        BudgetInput b = in == null ? BudgetInput.NONE : in;
        List<Budget> out = new ArrayList<>();
        add(out, "latency_budget_ms", b.latencyBudgetMs(), t -> Budget.of(Metric.LATENCY_MS.key(), Bound.AT_MOST, t));
        add(out, "ttft_budget_ms", b.ttftBudgetMs(), t -> Budget.of(Metric.TTFT_MS.key(), Bound.AT_MOST, t));
        add(out, "min_throughput_tokens_per_sec", b.minThroughputTokensPerSec(),
                t -> Budget.of(Metric.THROUGHPUT_TOKENS_PER_SEC.key(), Bound.AT_LEAST, t));
        add(out, "max_failure_rate", b.maxFailureRate(), t -> Budget.of(Metric.FAILURE_RATE.key(), Bound.AT_MOST, t));
        b.metrics().forEach(t -> add(out, "metric", t, Budget::parse));
        b.max().forEach(t -> add(out, "max", t, pair -> Budget.bounded(pair, Bound.AT_MOST)));
        b.min().forEach(t -> add(out, "min", t, pair -> Budget.bounded(pair, Bound.AT_LEAST)));
        return out;
    }

    private static void add(List<Budget> out, String field, String text, Function<String, Budget> parse) {
        if (text == null || text.isBlank()) {
            return;
        }
        try {
            out.add(parse.apply(text.trim()));
        } catch (IllegalArgumentException e) {
            throw new UserError(field, e.getMessage(), e);
        }
    }

    /** One of an enum's constants by its lower-case, dashed name ({@code benchmark-report}); null stays null. */
    public static <E extends Enum<E>> E choice(Class<E> type, String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        List<String> known = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
        throw new UserError(field, "'" + text.trim() + "' is not one of " + String.join(", ", known));
    }

    public static ExperimentStatus status(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return ExperimentStatus.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new UserError("status", e.getMessage(), e);
        }
    }

    /** The metric to optimise; the recommender's default when not given. */
    public static Metric objective(String text) {
        if (text == null || text.isBlank()) {
            return Recommender.DEFAULT_OBJECTIVE;
        }
        try {
            return Metric.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new UserError("objective", e.getMessage(), e);
        }
    }

    /** The text trimmed, or null when it is null or blank (an option given as empty means not given). */
    public static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
