package dev.autotune.domain.query;

import dev.autotune.domain.ExperimentStatus;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything known about one experiment, for `show` and `diff`, with the corrections made since: amended values in
 * place, its tags and the reason it is excluded (null when it is not); notes added later are in the timeline.
 */
public record ExperimentDetail(int number, String experimentId, String scenario, String backend,
                               ExperimentStatus status, String source, String runId, String configPath,
                               String configSha256, String notes, SortedMap<String, Object> config,
                               SortedMap<String, String> metadata, SortedMap<String, Double> metrics,
                               Instant startedAt, Instant endedAt, String failureCategory, String failureMessage,
                               Integer exitCode, String logPath, List<Report> reports, List<TimelineEntry> timeline,
                               SortedMap<String, String> tags, String excludedReason) {
    /** The timeline's entry type of a note added after the fact. */
    public static final String NOTE_ADDED = "NoteAdded";

    public ExperimentDetail {
        tags = tags == null ? Collections.emptySortedMap() : tags;
    }

    /** An experiment without tags that is not excluded. */
    public ExperimentDetail(int number, String experimentId, String scenario, String backend,
                            ExperimentStatus status, String source, String runId, String configPath,
                            String configSha256, String notes, SortedMap<String, Object> config,
                            SortedMap<String, String> metadata, SortedMap<String, Double> metrics,
                            Instant startedAt, Instant endedAt, String failureCategory, String failureMessage,
                            Integer exitCode, String logPath, List<Report> reports, List<TimelineEntry> timeline) {
        this(number, experimentId, scenario, backend, status, source, runId, configPath, configSha256, notes, config,
                metadata, metrics, startedAt, endedAt, failureCategory, failureMessage, exitCode, logPath, reports,
                timeline, null, null);
    }

    /** The notes written after the experiment was recorded, oldest first. */
    public List<TimelineEntry> notesAdded() {
        return timeline.stream().filter(t -> NOTE_ADDED.equals(t.event())).toList();
    }

    /**
     * One report as recorded.
     *
     * @param facts          what it states about the workload; empty when nothing
     * @param measuredAt     when the benchmark ran, as the report states; null when it does not
     * @param runFingerprint the run's identity across its tool's formats; null when the report lacks a part of it
     */
    public record Report(String path, String sha256, String format, List<String> warnings, Instant parsedAt,
                         SortedMap<String, Object> facts, Instant measuredAt, String runFingerprint) {
        public Report {
            facts = facts == null ? Collections.emptySortedMap() : facts;
        }
    }

    /** When the benchmark ran: the first time a report states; null when none does. */
    public Instant measuredAt() {
        return reports.stream().map(Report::measuredAt).filter(Objects::nonNull).findFirst().orElse(null);
    }

    /** What the reports state about the workload; the first report to state a fact wins, as in the list. */
    public SortedMap<String, Object> facts() {
        SortedMap<String, Object> all = new TreeMap<>();
        reports.forEach(r -> r.facts().forEach(all::putIfAbsent));
        return all;
    }

    public record TimelineEntry(Instant at, String event, String detail) {
    }
}
