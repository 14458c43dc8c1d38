package dev.autotune.domain.search;

import java.util.List;
import java.util.Map;

/**
 * A declared search space, exactly as a study records it in its StudyStarted event (so every field is plain data
 * that Jackson writes and reads back): the scenario it belongs to, the knobs, constraints and the GPU-count
 * expression as written by the user, the objective, hard budgets in `check` syntax ({@code latency_p95_ms<=200}),
 * soft SLOs, an optional second objective (two-metric mode: keep the Pareto front), and optionally an explicit list
 * of candidate configs (then only those are valid). {@code baseTest} is the test TOML each trial derives from, if
 * any (a path as written in the space file; the runner resolves it).
 *
 * <p>Semantics (validation, enumeration of valid configs, GPU counts, per-GPU metrics) live in {@link Spaces}.
 */
public record SearchSpace(String scenario, List<Knob> knobs, List<String> constraints, String gpus,
                          Objective objective, List<String> budgets, List<SoftSlo> softSlos,
                          Objective secondObjective, List<Map<String, Object>> candidates, String baseTest) {
    public SearchSpace {
        knobs = List.copyOf(knobs);
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
        budgets = budgets == null ? List.of() : List.copyOf(budgets);
        softSlos = softSlos == null ? List.of() : List.copyOf(softSlos);
        candidates = candidates == null ? null : List.copyOf(candidates);
    }
}
