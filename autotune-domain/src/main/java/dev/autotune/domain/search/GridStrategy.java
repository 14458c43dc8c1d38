package dev.autotune.domain.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Every config once: in the space's declared order ({@code grid}), or in one fixed order shuffled from the seed
 * ({@code grid-random}), so a resumed study continues the same order.
 */
final class GridStrategy implements Strategy {
    private final boolean shuffled;

    GridStrategy(boolean shuffled) {
        this.shuffled = shuffled;
    }

    @Override
    public String name() {
        return shuffled ? "grid-random" : "grid";
    }

    @Override
    public Decision next(SearchSpace space, List<Observation> history, List<Map<String, Object>> pending, long seed) {
        SearchState state = new SearchState(space, history, pending);
        List<Integer> order = order(state.configs.size(), shuffled, seed);
        for (int k = 0; k < order.size(); k++) {
            int i = order.get(k);
            if (state.open(i)) {
                long left = order.stream().filter(state::open).count();
                return new Decision.Propose(state.configs.get(i), (shuffled ? "seeded grid order" : "grid order")
                        + ": config " + (k + 1) + " of " + order.size() + ", " + left + " left untested; "
                        + state.bestSoFar(), null, false);
            }
        }
        return state.exhausted();
    }

    /** The visiting order: declared, or a seeded shuffle of it. */
    static List<Integer> order(int size, boolean shuffled, long seed) {
        List<Integer> order = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        if (shuffled) {
            Collections.shuffle(order, new Random(seed));
        }
        return order;
    }
}
