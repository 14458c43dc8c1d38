package dev.autotune.domain.query;

import dev.autotune.domain.ExperimentStatus;

import java.time.Instant;
import java.util.SortedMap;

/** One row of the experiment list. */
public record ExperimentSummary(int number, String experimentId, String scenario, String backend,
                                ExperimentStatus status, String source, String runId,
                                SortedMap<String, Object> knobs, SortedMap<String, Double> metrics,
                                String notes, Instant startedAt, Instant endedAt, String failureCategory) {
    public Double metric(String key) {
        return metrics.get(key);
    }
}
