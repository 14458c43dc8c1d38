package dev.autotune.domain.query;

import dev.autotune.domain.ExperimentStatus;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/** Everything known about one experiment, for `show` and `diff`. */
public record ExperimentDetail(int number, String experimentId, String scenario, String backend,
                               ExperimentStatus status, String source, String runId, String configPath,
                               String configSha256, String notes, SortedMap<String, Object> config,
                               SortedMap<String, String> metadata, SortedMap<String, Double> metrics,
                               Instant startedAt, Instant endedAt, String failureCategory, String failureMessage,
                               Integer exitCode, String logPath, List<Report> reports, List<TimelineEntry> timeline) {

    public record Report(String path, String sha256, String format, List<String> warnings, Instant parsedAt) {
    }

    public record TimelineEntry(Instant at, String event, String detail) {
    }
}
