package dev.autotune.domain.search;

import java.util.List;
import java.util.Map;

/**
 * Chooses the next config of a study. Pure and deterministic: the same space, history, pending trials and seed
 * give the same decision, so a study resumed from its event log proposes exactly what it would have.
 */
public interface Strategy {
    /** The name a study records and a user types: grid, grid-random, random, per-knob, model. */
    String name();

    /**
     * @param history  every observation of the study's scenario that lies in the space, oldest first
     * @param pending  configs proposed and not yet measured (in flight); never proposed again
     * @param seed     the study's seed
     */
    Decision next(SearchSpace space, List<Observation> history, List<Map<String, Object>> pending, long seed);
}
