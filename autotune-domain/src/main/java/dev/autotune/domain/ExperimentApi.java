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

    /** The process that owns a running experiment, so a later command can tell it died (kill -9). */
    public record RunnerProcess(long pid, String host, Instant processStartedAt) {
    }

    /** The parsed result of one report file: what was read, how, and the normalized metrics it gave. */
    public record Report(String path, String sha256, String format, List<String> warnings,
                         Map<String, Double> metrics) {
        public Report {
            warnings = List.copyOf(warnings);
            metrics = sorted(metrics);
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

    public record AbandonExperiment(@TargetAggregateIdentifier String experimentId, String reason) {
    }

    // ---- events ----

    @Revision("1")
    public record ExperimentStarted(String experimentId, String scenario, String backend,
                                    Map<String, Object> config, String configPath, String configSha256,
                                    String notes, Map<String, String> metadata, Source source, String runId,
                                    RunnerProcess runner, Instant startedAt) {
        public ExperimentStarted {
            config = sorted(config);
            metadata = sorted(metadata);
        }
    }

    /** Knob values learned after the start, e.g. the values cloudai applied to one sweep step. */
    @Revision("1")
    public record ConfigResolved(String experimentId, Map<String, Object> config, String origin,
                                 Instant resolvedAt) {
        public ConfigResolved {
            config = sorted(config);
        }
    }

    @Revision("1")
    public record ReportParsed(String experimentId, String reportPath, String sha256, String format,
                               List<String> warnings, Instant parsedAt) {
        public ReportParsed {
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
        }
    }

    /**
     * Revision 2 added {@code reportSha256}, linking the metrics to the report they came from; revision 1
     * events are upcast with a null link.
     */
    @Revision("2")
    public record MetricsRecorded(String experimentId, Map<String, Double> metrics, String reportSha256,
                                  Instant recordedAt) {
        public MetricsRecorded {
            metrics = sorted(metrics);
        }
    }

    @Revision("1")
    public record ExperimentCompleted(String experimentId, Instant completedAt) {
    }

    @Revision("1")
    public record ExperimentFailed(String experimentId, String category, String message, Integer exitCode,
                                   String logPath, Instant failedAt) {
    }

    /** The runner process vanished (kill -9, power loss) while the experiment was running. */
    @Revision("1")
    public record ExperimentAbandoned(String experimentId, String reason, Instant abandonedAt) {
    }

    static <V> SortedMap<String, V> sorted(Map<String, V> map) {
        return map == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
}
