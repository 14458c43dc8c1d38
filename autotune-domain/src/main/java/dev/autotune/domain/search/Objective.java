package dev.autotune.domain.search;

import java.util.Locale;

/**
 * What a study optimises: one metric key (a normalized metric such as {@code latency_p95_ms}, or a per-GPU
 * metric such as {@code throughput_tokens_per_sec_per_gpu}) and whether higher is better. Written
 * {@code "maximize throughput_tokens_per_sec_per_gpu"} or {@code "minimize latency_p95_ms"}.
 */
public record Objective(String metric, boolean maximize) {
    /**
     * Parses {@code "maximize METRIC"} or {@code "minimize METRIC"} (also maximise/minimise, max/min). Whether the
     * metric exists is checked by {@link Spaces#validate}, which knows whether per-GPU metrics are available.
     */
    public static Objective parse(String text) {
        return parse(text, "objective");
    }

    /** The same, with errors naming {@code field} (e.g. {@code second_objective}). */
    public static Objective parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new SpaceError(field, "missing; write e.g. \"maximize throughput_tokens_per_sec_per_gpu\"");
        }
        String[] parts = text.trim().split("\\s+");
        if (parts.length != 2) {
            throw new SpaceError(field, "'" + text + "' must be \"maximize METRIC\" or \"minimize METRIC\"");
        }
        String direction = parts[0].toLowerCase(Locale.ROOT);
        boolean maximize = switch (direction) {
            case "maximize", "maximise", "max" -> true;
            case "minimize", "minimise", "min" -> false;
            default -> throw new SpaceError(field, "'" + text + "' must start with maximize or minimize, not '"
                    + parts[0] + "'");
        };
        return new Objective(parts[1].toLowerCase(Locale.ROOT), maximize);
    }

    /** True when {@code a} is strictly better than {@code b}. */
    public boolean better(double a, double b) {
        return maximize ? a > b : a < b;
    }

    @Override
    public String toString() {
        return (maximize ? "maximize " : "minimize ") + metric;
    }
}
