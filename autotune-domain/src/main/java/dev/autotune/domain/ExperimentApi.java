package dev.autotune.domain;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every command and event of the experiment bounded context. Events are immutable facts appended to the
 * store and never changed, so each carries a {@link Revision}: a field added later gets an upcaster, not an
 * edit of old rows. Maps are sorted so the stored JSON, and everything projected from it, is deterministic.
 */
public final class ExperimentApi {
    private ExperimentApi() {
    }

    /** Where an experiment came from: a report someone handed us, or a cloudai run autotune launched. */
    public enum Source {
        INGEST, RUN;

        /** The stored form, e.g. {@code run}, as the read models and the API show it. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The process that owns a running experiment, kept as a record of who ran it. Whether it is still alive is asked of
     * the run's lease ({@code RunLiveness} in the store), not of these values: a pid means nothing in another PID
     * namespace, a host can be renamed and a start time moves with the wall clock. Runs recorded by an autotune that
     * took no lease are still judged by these values.
     */
    public record RunnerProcess(long pid, String host, Instant processStartedAt) {
    }

    /**
     * The parsed result of one report file: what was read, how, the normalized metrics it gave, and what it states
     * beside them ({@code facts}: model, serving_backend, concurrency, request_rate, isl, osl, requests; when the
     * benchmark ran; the fingerprint of the run across the tool's formats).
     */
    public record Report(String path, String sha256, String format, List<String> warnings,
                         Map<String, Double> metrics, Map<String, Object> facts, Instant measuredAt,
                         String runFingerprint) {
        public Report {
            warnings = List.copyOf(warnings);
            metrics = sorted(metrics);
            facts = sorted(facts);
        }

        /** A report that states nothing beside its metrics. */
        public Report(String path, String sha256, String format, List<String> warnings, Map<String, Double> metrics) {
            this(path, sha256, format, warnings, metrics, null, null, null);
        }
    }

    // ---- commands ----

    public record StartExperiment(@TargetAggregateIdentifier String experimentId, String scenario, String backend,
                                  Map<String, Object> config, String configPath, String configSha256,
                                  String notes, Map<String, String> metadata, Source source, String runId,
                                  RunnerProcess runner) {
    }

    /** Records a finished benchmark in one step: started, report parsed, metrics recorded, completed. */
    public record IngestReport(@TargetAggregateIdentifier String experimentId, StartExperiment start,
                               Report report) {
    }

    public record ResolveConfig(@TargetAggregateIdentifier String experimentId, Map<String, Object> config,
                                String origin) {
    }

    public record RecordReport(@TargetAggregateIdentifier String experimentId, Report report) {
    }

    public record CompleteExperiment(@TargetAggregateIdentifier String experimentId) {
    }

    public record FailExperiment(@TargetAggregateIdentifier String experimentId, FailureCategory category,
                                 String message, Integer exitCode, String logPath) {
    }

    /** A cloudai dry run succeeded: the config is valid, nothing was measured. */
    public record ValidateExperiment(@TargetAggregateIdentifier String experimentId) {
    }

    /** Facts about the run that are not knobs (CloudAI test id, step, Slurm job, node environment, notes). */
    public record RecordRunDetails(@TargetAggregateIdentifier String experimentId, Map<String, String> details) {
    }

    public record AbandonExperiment(@TargetAggregateIdentifier String experimentId, String reason) {
    }

    // ---- corrections: annotations added after the fact, each a new event; nothing recorded earlier changes ----

    /** Sets tags ({@code gpu=H100}); a tag already holding the value is left as it is. */
    public record TagExperiment(@TargetAggregateIdentifier String experimentId, Map<String, String> tags) {
        public TagExperiment {
            tags = sorted(tags);
        }
    }

    public record UntagExperiment(@TargetAggregateIdentifier String experimentId, List<String> keys) {
        public UntagExperiment {
            keys = List.copyOf(keys);
        }
    }

    public record AddNote(@TargetAggregateIdentifier String experimentId, String note) {
    }

    /** Leaves the experiment out of views, checks, recommendations, searches and exports, for a reason. */
    public record ExcludeExperiment(@TargetAggregateIdentifier String experimentId, String reason) {
    }

    public record IncludeExperiment(@TargetAggregateIdentifier String experimentId) {
    }

    /**
     * Corrects what was recorded wrong: the scenario, the backend (null leaves either as it is) and knob values
     * (set over the recorded ones).
     */
    public record AmendExperiment(@TargetAggregateIdentifier String experimentId, String scenario, String backend,
                                  Map<String, Object> config) {
        public AmendExperiment {
            config = sorted(config);
        }
    }

    /**
     * Results of an abandoned experiment have arrived after all: its runner was alive and finished, or its run
     * directory was recovered. A no-op unless the experiment is abandoned.
     */
    public record ReopenExperiment(@TargetAggregateIdentifier String experimentId, String reason) {
    }

    // ---- events ----

    /**
     * An event of one experiment's life. {@link ExperimentState#apply} folds every one of them, so a read model can
     * handle them all in one place and map the state it gets back.
     */
    public interface ExperimentEvent {
        String experimentId();
    }


    @Revision("1")
    public record ExperimentStarted(String experimentId, String scenario, String backend,
                                    Map<String, Object> config, String configPath, String configSha256,
                                    String notes, Map<String, String> metadata, Source source, String runId,
                                    RunnerProcess runner, Instant startedAt) implements ExperimentEvent {
        public ExperimentStarted {
            config = sorted(config);
            metadata = sorted(metadata);
        }
    }

    /** Knob values learned after the start, e.g. the values cloudai applied to one sweep step. */
    @Revision("1")
    public record ConfigResolved(String experimentId, Map<String, Object> config, String origin,
                                 Instant resolvedAt) implements ExperimentEvent {
        public ConfigResolved {
            config = sorted(config);
        }
    }

    /**
     * Revision 2 added what the report states beside its metrics: {@code facts} (the workload: model,
     * serving_backend, concurrency, request_rate, isl, osl, requests), {@code measuredAt} (when the benchmark ran,
     * beside {@code parsedAt}, when it was recorded) and {@code runFingerprint} (the run's identity across the
     * formats its tool saved it in). Revision 1 events are upcast with no facts and both left null.
     */
    @Revision("2")
    public record ReportParsed(String experimentId, String reportPath, String sha256, String format,
                               List<String> warnings, Map<String, Object> facts, Instant measuredAt,
                               String runFingerprint, Instant parsedAt) implements ExperimentEvent {
        public ReportParsed {
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
            facts = sorted(facts);
        }

        /** A report that states nothing beside its metrics. */
        public ReportParsed(String experimentId, String reportPath, String sha256, String format,
                            List<String> warnings, Instant parsedAt) {
            this(experimentId, reportPath, sha256, format, warnings, null, null, null, parsedAt);
        }
    }

    /**
     * Revision 2 added {@code reportSha256}, linking the metrics to the report they came from; revision 1
     * events are upcast with a null link.
     */
    @Revision("2")
    public record MetricsRecorded(String experimentId, Map<String, Double> metrics, String reportSha256,
                                  Instant recordedAt) implements ExperimentEvent {
        public MetricsRecorded {
            metrics = sorted(metrics);
        }
    }

    @Revision("1")
    public record ExperimentCompleted(String experimentId, Instant completedAt) implements ExperimentEvent {
    }

    @Revision("1")
    public record ExperimentFailed(String experimentId, String category, String message, Integer exitCode,
                                   String logPath, Instant failedAt) implements ExperimentEvent {
    }

    /** A dry run ended well: the experiment is a validation, not a measurement. */
    @Revision("1")
    public record ExperimentValidated(String experimentId, Instant validatedAt) implements ExperimentEvent {
    }

    /**
     * Metadata learned from what cloudai left behind, merged over the metadata the experiment started with: where
     * the run sits in the scenario ({@code cloudai.test_id}, {@code cloudai.iteration}, {@code cloudai.step}), the
     * Slurm job ({@code slurm.*}), the environment of each node ({@code node.<host>.*}) and notes on what happened
     * ({@code autotune.note}).
     */
    @Revision("1")
    public record RunDetailsRecorded(String experimentId, Map<String, String> details, Instant recordedAt) implements ExperimentEvent {
        public RunDetailsRecorded {
            details = sorted(details);
        }
    }

    /** The runner process vanished (kill -9, power loss) while the experiment was running. */
    @Revision("1")
    public record ExperimentAbandoned(String experimentId, String reason, Instant abandonedAt) implements ExperimentEvent {
    }

    /** Tags set after the fact; only the tags that changed. */
    @Revision("1")
    public record ExperimentTagged(String experimentId, Map<String, String> tags, Instant taggedAt) implements ExperimentEvent {
        public ExperimentTagged {
            tags = sorted(tags);
        }
    }

    @Revision("1")
    public record ExperimentUntagged(String experimentId, List<String> keys, Instant untaggedAt) implements ExperimentEvent {
        public ExperimentUntagged {
            keys = List.copyOf(keys);
        }
    }

    /** A note written after the experiment was recorded; the notes it started with stay as they were. */
    @Revision("1")
    public record NoteAdded(String experimentId, String note, Instant addedAt) implements ExperimentEvent {
    }

    @Revision("1")
    public record ExperimentExcluded(String experimentId, String reason, Instant excludedAt) implements ExperimentEvent {
    }

    @Revision("1")
    public record ExperimentIncluded(String experimentId, Instant includedAt) implements ExperimentEvent {
    }

    /**
     * Values recorded wrong, corrected: the new scenario and backend (null when unchanged) and the knob values
     * that changed. Every view shows the amended values; the events of the original record stay as they were.
     */
    @Revision("1")
    public record ExperimentAmended(String experimentId, String scenario, String backend,
                                    Map<String, Object> config, Instant amendedAt) implements ExperimentEvent {
        public ExperimentAmended {
            config = sorted(config);
        }
    }

    /**
     * An experiment declared abandoned turned out to have results: it is running again, and its results (then its
     * completion or failure) follow as usual. Nothing of the abandonment is undone; the timeline tells both.
     */
    @Revision("1")
    public record ExperimentReopened(String experimentId, String reason, Instant reopenedAt) implements ExperimentEvent {
    }

    static <V> SortedMap<String, V> sorted(Map<String, V> map) {
        return map == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
}
