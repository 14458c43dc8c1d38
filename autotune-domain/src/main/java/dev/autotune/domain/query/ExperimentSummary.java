package dev.autotune.domain.query;

import dev.autotune.domain.ExperimentStatus;

import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;

/**
 * One row of the experiment list.
 *
 * @param startedAt  when it was recorded (an ingest) or launched (a run)
 * @param measuredAt when the benchmark ran, as its report states; null when no report says
 * @param facts      what the reports state about the workload (model, concurrency, isl, ...); may be empty
 */
public record ExperimentSummary(int number, String experimentId, String scenario, String backend,
                                ExperimentStatus status, String source, String runId,
                                SortedMap<String, Object> knobs, SortedMap<String, Double> metrics,
                                String notes, Instant startedAt, Instant endedAt, String failureCategory,
                                Instant measuredAt, SortedMap<String, Object> facts) {
    public ExperimentSummary {
        facts = facts == null ? Collections.emptySortedMap() : facts;
    }

    /** A row without report facts. */
    public ExperimentSummary(int number, String experimentId, String scenario, String backend,
                             ExperimentStatus status, String source, String runId,
                             SortedMap<String, Object> knobs, SortedMap<String, Double> metrics,
                             String notes, Instant startedAt, Instant endedAt, String failureCategory) {
        this(number, experimentId, scenario, backend, status, source, runId, knobs, metrics, notes, startedAt,
                endedAt, failureCategory, null, null);
    }

    public Double metric(String key) {
        return metrics.get(key);
    }

    /** When it happened, for history views: when the benchmark ran if a report says, else when it started. */
    public Instant happenedAt() {
        return measuredAt != null ? measuredAt : startedAt;
    }
}
