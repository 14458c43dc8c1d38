package dev.autotune.domain.search;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A uniformly random untested config. The draw is seeded by the study's seed and how many configs were measured
 * or are in flight, so the same history gives the same proposal (a resumed study repeats it exactly).
 */
final class RandomStrategy implements Strategy {
    @Override
    public String name() {
        return "random";
    }

    @Override
    public Decision next(SearchSpace space, List<Observation> history, List<Map<String, Object>> pending, long seed) {
        SearchState state = new SearchState(space, history, pending);
        List<Integer> open = state.open();
        if (open.isEmpty()) {
            return state.exhausted();
        }
        int taken = state.configs.size() - open.size();
        int i = open.get(new SplittableRandom(seed * 1_000_003L + taken).nextInt(open.size()));
        return new Decision.Propose(state.configs.get(i), "random draw among " + open.size()
                + " untested configs; " + state.bestSoFar(), null, false);
    }
}
