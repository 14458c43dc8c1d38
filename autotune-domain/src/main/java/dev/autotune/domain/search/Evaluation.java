package dev.autotune.domain.search;

import java.util.List;

/**
 * How one observation scores against a space: the objective's value (null when the run gave none), the score a
 * strategy ranks by (the objective with the soft-SLO penalty applied, in the objective's units and direction),
 * whether it is feasible (completed, objective present, every hard budget passes), and each hard budget it broke
 * or could not be judged on.
 */
public record Evaluation(Double objective, Double score, boolean feasible, List<Breach> breaches, String why) {
    public Evaluation {
        breaches = List.copyOf(breaches);
    }

    /**
     * @param value  the measured value, or null when the run did not report the metric
     * @param excess how far past the limit (in the metric's units); NaN when the value is missing
     */
    public record Breach(String budget, Double value, double excess) {
        @Override
        public String toString() {
            return value == null ? budget + " (not reported)" : budget + " (" + Numbers.format(value) + ")";
        }
    }
}
