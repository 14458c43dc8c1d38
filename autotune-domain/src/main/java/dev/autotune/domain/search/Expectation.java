package dev.autotune.domain.search;

/**
 * What a model expected of a proposal before it ran: the objective's mean and standard deviation, and the
 * probability that it meets every hard budget. Recorded with the proposal so it can be audited afterwards.
 */
public record Expectation(double mean, double std, double feasibleProbability) {
}
