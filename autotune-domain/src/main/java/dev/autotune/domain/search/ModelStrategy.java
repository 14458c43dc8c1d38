package dev.autotune.domain.search;

import java.util.List;
import java.util.Map;

/** Placeholder until the Gaussian-process model lands: the seeded grid order. */
final class ModelStrategy implements Strategy {
    @Override
    public String name() {
        return "model";
    }

    @Override
    public Decision next(SearchSpace space, List<Observation> history, List<Map<String, Object>> pending, long seed) {
        return new GridStrategy(true).next(space, history, pending, seed);
    }
}
