package dev.autotune.domain.search;

import java.util.Map;

/**
 * One measured config: the knob values (dotted path -> value, only the space's knobs), the normalized metrics
 * recorded for it, and how the run ended. A FAILED run (OOM, crash, timeout) is evidence that its region is
 * infeasible; an ABANDONED one (the runner died) says nothing about the config. {@code experimentId} links back to
 * the experiment, for reasons and audits.
 */
public record Observation(Map<String, Object> config, Map<String, Double> metrics, Outcome outcome,
                          String experimentId) {
    public enum Outcome { COMPLETED, FAILED, ABANDONED }

    public Observation {
        config = Map.copyOf(config);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
