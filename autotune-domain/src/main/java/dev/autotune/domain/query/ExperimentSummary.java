package dev.autotune.domain.query;

import dev.autotune.domain.ExperimentStatus;

import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;

/**
 * One row of the experiment list, with the corrections made since it was recorded: amended values in place,
 * its tags, and the reason it is excluded (null when it is not).
 *
 * @param startedAt  when it was recorded (an ingest) or launched (a run)
 * @param measuredAt when the benchmark ran, as its report states; null when no report says
 * @param facts      what the reports state about the workload (model, concurrency, isl, ...); may be empty
 */
public record ExperimentSummary(int number, String experimentId, String scenario, String backend,
                                ExperimentStatus status, String source, String runId,
                                SortedMap<String, Object> knobs, SortedMap<String, Double> metrics,
                                String notes, Instant startedAt, Instant endedAt, String failureCategory,
                                SortedMap<String, String> tags, String excludedReason,
                                Instant measuredAt, SortedMap<String, Object> facts) {
    public ExperimentSummary {
        tags = tags == null ? Collections.emptySortedMap() : tags;
        facts = facts == null ? Collections.emptySortedMap() : facts;
    }

    /** A row without tags, not excluded, without report facts. */
    public ExperimentSummary(int number, String experimentId, String scenario, String backend,
                             ExperimentStatus status, String source, String runId,
                             SortedMap<String, Object> knobs, SortedMap<String, Double> metrics,
                             String notes, Instant startedAt, Instant endedAt, String failureCategory) {
        this(number, experimentId, scenario, backend, status, source, runId, knobs, metrics, notes, startedAt, endedAt,
                failureCategory, null, null, null, null);
    }

    public Double metric(String key) {
        return metrics.get(key);
    }

    public boolean excluded() {
        return excludedReason != null;
    }

    /** When it happened, for history views: when the benchmark ran if a report says, else when it started. */
    public Instant happenedAt() {
        return measuredAt != null ? measuredAt : startedAt;
    }
}
