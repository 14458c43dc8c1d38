package dev.autotune.domain.search;

import dev.autotune.domain.Budget;

/**
 * A soft service-level objective: breaking it does not make a config infeasible, it lowers its score by a
 * penalty that is zero at the threshold and grows exponentially with the violation ratio.
 */
public record SoftSlo(String metric, Budget.Bound bound, double threshold, double weight) {
}
