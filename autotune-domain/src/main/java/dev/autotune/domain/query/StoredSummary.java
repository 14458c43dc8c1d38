package dev.autotune.domain.query;

/**
 * A list row exactly as stored: the knobs, metrics and tags as their JSON text and the times as their ISO text. A
 * page of 100 spent most of its time parsing knobs and metrics only to write them out again as the same JSON, so
 * the page writer passes these through; everything else reads {@link ExperimentSummary}.
 */
public record StoredSummary(int number, String experimentId, String scenario, String backend, String status,
                            String source, String runId, String knobsJson, String metricsJson, String notes,
                            String startedAt, String endedAt, String failureCategory, String tagsJson,
                            String excludedReason, String measuredAt, String factsJson) {
    public StoredSummary {
        tagsJson = tagsJson == null ? "{}" : tagsJson;
    }

    /** A row without tags, not excluded, without report facts. */
    public StoredSummary(int number, String experimentId, String scenario, String backend, String status,
                         String source, String runId, String knobsJson, String metricsJson, String notes,
                         String startedAt, String endedAt, String failureCategory) {
        this(number, experimentId, scenario, backend, status, source, runId, knobsJson, metricsJson, notes, startedAt,
                endedAt, failureCategory, null, null, null, null);
    }
}
