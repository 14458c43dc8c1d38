package dev.autotune.domain.search;

import java.util.List;

/**
 * One knob of a search space: a dotted path inside the CloudAI test definition and its finite domain.
 * Numeric knobs hold their values ascending (Long for integers, Double otherwise); categorical knobs hold
 * strings or booleans in the order they were declared. {@code log} says the knob's effect is judged on a log
 * scale (powers of two, token budgets), which the model-based strategy uses for its distances.
 */
public record Knob(String path, Kind kind, List<Object> values, boolean log) {
    public enum Kind { NUMBER, CATEGORY }

    public Knob {
        values = List.copyOf(values);
    }
}
