package dev.autotune.domain.search;

/**
 * When a model-based search stops, and when it measures its best config again first. It stops when no untested
 * config is expected to improve on the best by {@link #STOP_IMPROVEMENT}, once the model can be trusted with that
 * judgement ({@link #minTrialsToStop}); the stop says the largest expected improvement left and the largest chance
 * of an untested config to be feasible and better. Before a stop, a best whose own value is still uncertain by
 * more than {@link #REPEAT_UNCERTAINTY} (noise) is measured again. Earlier stops, on the chance to be feasible and
 * better alone, were tried and left out: the model is sure of itself too early on a handful of points, and each
 * variant stopped some searches before they found the best (docs/SEARCH.md, "This round"); so did a second pass
 * that took each untested config's spread as its nearest measurement alone leaves it, with every categorical value
 * (or every value) measured first: in the scenarios where the best is found late, any earlier stop misses it.
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

    /** Whether the model may be trusted with a stop: after {@link #minTrialsToStop} measurements. */
    static boolean trusted(int measured, int configs) {
        return measured >= minTrialsToStop(configs);
    }

    /** Before a stop: whether to measure the best again (its value uncertain, measured less than the limit). */
    static boolean repeatBest(double bestRelativeSd, int bestMeasurements, boolean bestInFlight) {
        return bestRelativeSd > REPEAT_UNCERTAINTY && bestMeasurements < MAX_REPEATS && !bestInFlight;
    }
}
