package dev.autotune.domain.search;

import java.util.Locale;

/**
 * When a model-based search stops, and when it measures its best config again first. It stops when no untested
 * config has a meaningful chance to be feasible and better than the best ({@link #nothingLikely}: under
 * {@link #LIKELY}, on Student-t predictives that know how little a few points say, {@link TailChance}), or the
 * chance that any one is, drawn over all of them at once, is under {@link #JOINT_LIKELY} ({@link JointChance}; under
 * {@link #JOINT_LIKELY_NOTHING_EXPECTED} when no proposal expects anything, after {@link #minTrialsToStopJointly}),
 * or, as before, when none is expected to improve on the best by {@link #STOP_IMPROVEMENT} once the model can be
 * trusted with that judgement ({@link #minTrialsToStop}); the stop says which, with the largest chance and expected
 * improvement left. Before a stop, a best whose own value is still uncertain by more than
 * {@link #REPEAT_UNCERTAINTY} (noise) is measured again. The same chance on the normal predictives the proposals
 * use stopped searches before they found the best, because the models are sure of themselves on a handful of
 * points (docs/SEARCH.md, "This round", "Second pass" and "Third pass at the stop").
 */
final class StopPolicy {
    /** Expected improvement (of the log score, so a fraction of the best) below which searching on is not worth it. */
    static final double STOP_IMPROVEMENT = 1e-3;
    /** The best's posterior spread (a fraction of its value) above which it is measured again before stopping. */
    static final double REPEAT_UNCERTAINTY = 0.02;
    /** A best measured this many times is not repeated again. */
    static final int MAX_REPEATS = 3;

    /** What the search does after a model proposal's acquisition was computed. */
    enum Verdict { GO_ON, REPEAT_BEST, STOP }

    private StopPolicy() {
    }

    /**
     * Measurements needed before the strategy may judge that nothing is left to gain from the expected
     * improvement alone: half of a small space, at least 10 and at most 40 (a model fitted on fewer points is too
     * sure of itself to be trusted with a stop).
     */
    static int minTrialsToStop(int configs) {
        return Math.max(10, Math.min(40, configs / 2));
    }

    /** Whether the largest expected improvement left is too small to search on for. */
    static boolean nothingToGain(double largestImprovement) {
        return largestImprovement < STOP_IMPROVEMENT;
    }

    /**
     * The chance to be feasible and better than the best, on the t predictives, below which no untested config is
     * worth a trial. Benchmarked: 1% stopped searches that had not found the best; 0.1% none (docs/SEARCH.md).
     */
    static final double LIKELY = 1e-3;
    /**
     * The least relative measurement noise the stop assumes: a latency or a throughput measured once is not known
     * to better than this (the same 2% under which the best is not measured again). Without it, a model that found
     * a smooth response picks a noise near zero, and a config between two that broke the budget by a few percent
     * gets no chance, where a repeat of the benchmark can bring it under.
     */
    static final double NOISE_FLOOR = REPEAT_UNCERTAINTY;
    /**
     * Measured rows per parameter of a model's prior-mean plane that its t predictive counts as spent: with the
     * plane's parameters once (n - p degrees of freedom), the stop still stopped searches that had not found the
     * best; twice (the plane's, and about as many again for the length scales, the noise and the residual spread
     * fitted on the same rows) none did (docs/SEARCH.md).
     */
    static final int ROWS_PER_PARAMETER = 2;

    /** The degrees of freedom of a model's t predictive: its rows less those spent on its parameters, at least 1. */
    static int degreesOfFreedom(int rows, int planeParameters) {
        return Math.max(1, rows - ROWS_PER_PARAMETER * planeParameters);
    }

    /** {@link #NOISE_FLOOR} as a variance of a logged quantity. */
    static double noiseFloorVariance() {
        double sd = Math.log1p(NOISE_FLOOR);
        return sd * sd;
    }

    /**
     * The chance that any untested config is feasible and better ({@link JointChance}: correlated t draws over the
     * open configs at once) below which the search stops. Benchmarked (docs/SEARCH.md, "Fourth pass"): 1% and 5%
     * stopped no search before it found the best, 10% one of 3,150 and 20% 32.
     */
    static final double JOINT_LIKELY = 0.05;

    /**
     * The joint chance below which a search whose proposals expect nothing ({@link #nothingToGain}) stops once past
     * {@link #minTrialsToStopJointly}, instead of waiting for {@link #minTrialsToStop}: expected improvement alone
     * is too sure of itself on few points, but with the risk of stopping counted as well it need not wait for half
     * the space. Benchmarked (docs/SEARCH.md, "Fourth pass"): 10% and 15% after a quarter stopped no search before
     * it found the best, 20% eight; 15% with no wait one.
     */
    static final double JOINT_LIKELY_NOTHING_EXPECTED = 0.10;

    /** Measurements before {@link #JOINT_LIKELY_NOTHING_EXPECTED} may stop a search: a quarter of a small space, 5 to 40. */
    static int minTrialsToStopJointly(int configs) {
        return Math.max(5, Math.min(40, configs / 4));
    }

    /** Whether the chance that any untested config is feasible and better is below {@link #JOINT_LIKELY}. */
    static boolean nothingJointlyLikely(double jointChance) {
        return jointChance < JOINT_LIKELY;
    }

    /**
     * Why the search stops on the joint chance, in words, with what was left; {@code nothingExpected} when it is the
     * line for a search whose proposals expect nothing ({@link #JOINT_LIKELY_NOTHING_EXPECTED}).
     */
    static String whyJointly(double jointChance, boolean nothingExpected, double largestImprovement, String where,
                             int measured, String bestSoFar) {
        return String.format(Locale.ROOT, "the chance that any untested config is feasible and better than the best "
                        + "is %.1f%%, under %.0f%%%s (drawn from the models over all of them at once, each model's "
                        + "spread widened for how few measurements it rests on; largest expected improvement %.3f%% at "
                        + "%s) after %d measurements; %s", 100 * jointChance,
                100 * (nothingExpected ? JOINT_LIKELY_NOTHING_EXPECTED : JOINT_LIKELY),
                nothingExpected ? String.format(Locale.ROOT, " with none expected to beat it by more than %.1f%%",
                        100 * STOP_IMPROVEMENT) : "", 100 * largestImprovement, where, measured, bestSoFar);
    }

    /** Whether no untested config has a meaningful chance (on the t predictives) to be feasible and better. */
    static boolean nothingLikely(double largestChance) {
        return largestChance < LIKELY;
    }

    /** Why the search stops, in words: which rule fired and what was left. */
    static String why(boolean unlikely, double largestChance, double largestImprovement, String where,
                      int measured, String bestSoFar) {
        String rule = unlikely
                ? String.format(Locale.ROOT, "no untested config has a %.1f%% chance to be feasible and better than "
                + "the best, with each model's spread widened for how few measurements it rests on", 100 * LIKELY)
                : String.format(Locale.ROOT, "no untested config is expected to beat the best by more than %.1f%%",
                100 * STOP_IMPROVEMENT);
        return String.format(Locale.ROOT, "%s (largest chance to be feasible and better %.2f%%; largest expected "
                        + "improvement %.3f%% at %s) after %d measurements; %s", rule, 100 * largestChance,
                100 * largestImprovement, where, measured, bestSoFar);
    }

    /**
     * Why the search goes on although the proposal's expected improvement rounds to nothing, in words: a user reading
     * "expected improvement 0.0%" should see which rule keeps the study from stopping.
     */
    static String whyNotYet(int measured, int configs) {
        return String.format(Locale.ROOT, "not stopping yet: an untested config still has at least a %.1f%% chance "
                + "to be feasible and better with each model's spread widened for how few measurements it rests on, "
                + "and the chance that any one is, at least %.0f%%%s", 100 * LIKELY,
                100 * (measured >= minTrialsToStopJointly(configs) ? JOINT_LIKELY_NOTHING_EXPECTED : JOINT_LIKELY),
                trusted(measured, configs) ? ""
                        : minTrialsToStop(configs) >= configs ? ", and a space of " + configs + " configs is too small "
                        + "to stop on expected improvement alone"
                        : ", and a stop on expected improvement alone waits for " + minTrialsToStop(configs)
                        + " measurements");
    }

    /** Whether the model may be trusted with a stop: after {@link #minTrialsToStop} measurements. */
    static boolean trusted(int measured, int configs) {
        return measured >= minTrialsToStop(configs);
    }

    /** Before a stop: whether to measure the best again (its value uncertain, measured less than the limit). */
    static boolean repeatBest(double bestRelativeSd, int bestMeasurements, boolean bestInFlight) {
        return bestRelativeSd > REPEAT_UNCERTAINTY && bestMeasurements < MAX_REPEATS && !bestInFlight;
    }
}
