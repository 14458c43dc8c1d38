package dev.autotune.domain.query;

import dev.autotune.domain.ExperimentStatus;

import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;

/**
 * One row of the experiment list, with the corrections made since it was recorded: amended values in place,
 * its tags, and the reason it is excluded (null when it is not).
 */
public record ExperimentSummary(int number, String experimentId, String scenario, String backend,
                                ExperimentStatus status, String source, String runId,
                                SortedMap<String, Object> knobs, SortedMap<String, Double> metrics,
                                String notes, Instant startedAt, Instant endedAt, String failureCategory,
                                SortedMap<String, String> tags, String excludedReason) {
    public ExperimentSummary {
        tags = tags == null ? Collections.emptySortedMap() : tags;
    }

    /** A row without tags that is not excluded. */
    public ExperimentSummary(int number, String experimentId, String scenario, String backend,
                             ExperimentStatus status, String source, String runId,
                             SortedMap<String, Object> knobs, SortedMap<String, Double> metrics,
                             String notes, Instant startedAt, Instant endedAt, String failureCategory) {
        this(number, experimentId, scenario, backend, status, source, runId, knobs, metrics, notes, startedAt, endedAt,
                failureCategory, null, null);
    }

    public Double metric(String key) {
        return metrics.get(key);
    }

    public boolean excluded() {
        return excludedReason != null;
    }
}
