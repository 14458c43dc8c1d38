package dev.autotune.domain;

import dev.autotune.domain.ExperimentApi.ConfigResolved;
import dev.autotune.domain.ExperimentApi.ExperimentAbandoned;
import dev.autotune.domain.ExperimentApi.ExperimentAmended;
import dev.autotune.domain.ExperimentApi.ExperimentCompleted;
import dev.autotune.domain.ExperimentApi.ExperimentEvent;
import dev.autotune.domain.ExperimentApi.ExperimentExcluded;
import dev.autotune.domain.ExperimentApi.ExperimentFailed;
import dev.autotune.domain.ExperimentApi.ExperimentIncluded;
import dev.autotune.domain.ExperimentApi.ExperimentReopened;
import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.domain.ExperimentApi.ExperimentTagged;
import dev.autotune.domain.ExperimentApi.ExperimentUntagged;
import dev.autotune.domain.ExperimentApi.ExperimentValidated;
import dev.autotune.domain.ExperimentApi.MetricsRecorded;
import dev.autotune.domain.ExperimentApi.ReportParsed;
import dev.autotune.domain.ExperimentApi.RunDetailsRecorded;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Where one experiment stands after its events: the one fold of the experiment's life. The aggregate decides on it
 * and every read model maps it to its own tables, so an event changes what the experiment is in this class alone and
 * a new event is one edit here (plus the mapping of whichever view shows a new field).
 * <p>
 * A value: {@link #apply} returns a new state and never changes this one; the maps it hands out cannot be changed.
 * Events are facts, so applying never refuses one: the aggregate's command handlers decide what may happen, this only
 * records what did. An event of an experiment not started yet (a state of none) is ignored, as the views always did.
 * <p>
 * The knob values are kept in two layers, {@link #config()} (recorded at the start, resolved, amended: what the
 * aggregate compares an amendment with) and the load a report states, which counts only where no config value of
 * it was recorded; {@link #knobs()} is the two together.
 */
public final class ExperimentState {
    private String experimentId;
    private String scenario;
    private String backend;
    private ExperimentStatus status;
    private Instant startedAt;
    private Instant endedAt;
    private String failureCategory;
    private String failureMessage;
    private Integer exitCode;
    private String logPath;
    private SortedMap<String, Object> config = Collections.emptySortedMap();
    private SortedMap<String, Object> statedLoad = Collections.emptySortedMap();
    private SortedMap<String, Double> metrics = Collections.emptySortedMap();
    private SortedMap<String, String> tags = Collections.emptySortedMap();
    private String excludedReason;
    private SortedMap<String, Object> metadata = Collections.emptySortedMap();
    private String reportSha256;
    private Instant measuredAt;
    private SortedMap<String, Object> facts = Collections.emptySortedMap();
    private String runFingerprint;

    private ExperimentState() {
    }

    /** The state of an experiment that has only started. */
    public static ExperimentState started(ExperimentStarted e) {
        ExperimentState s = new ExperimentState();
        s.experimentId = e.experimentId();
        s.scenario = e.scenario();
        s.backend = e.backend();
        s.status = ExperimentStatus.RUNNING;
        s.startedAt = e.startedAt();
        s.config = frozen(KnobNames.config(e.config()));
        s.metadata = frozen(e.metadata());
        return s;
    }

    /**
     * The state after {@code event}. Applying an {@link ExperimentStarted} gives a fresh state; an event of another
     * experiment is a programming error.
     */
    public ExperimentState apply(ExperimentEvent event) {
        if (event instanceof ExperimentStarted e) {
            return started(e);
        }
        if (!event.experimentId().equals(experimentId)) {
            throw new IllegalArgumentException("event of experiment " + event.experimentId()
                    + " applied to experiment " + experimentId);
        }
        ExperimentState s = copy();
        if (event instanceof ConfigResolved e) {
            s.config = putAll(config, KnobNames.config(e.config()));
        } else if (event instanceof ReportParsed e) {
            // an experiment with several reports (a run's bench report and its accuracy file) is one benchmark: the
            // first report to state a fact, a time, a fingerprint or a load gives it
            if (s.reportSha256 == null) {
                s.reportSha256 = e.sha256();
            }
            if (s.measuredAt == null) {
                s.measuredAt = e.measuredAt();
            }
            if (s.runFingerprint == null) {
                s.runFingerprint = e.runFingerprint();
            }
            s.facts = putAbsent(facts, e.facts());
            s.statedLoad = putAbsent(statedLoad, KnobNames.statedLoad(e.facts()));
        } else if (event instanceof MetricsRecorded e) {
            s.metrics = putAll(metrics, e.metrics());
        } else if (event instanceof ExperimentCompleted e) {
            s.status = ExperimentStatus.COMPLETED;
            s.endedAt = e.completedAt();
        } else if (event instanceof ExperimentFailed e) {
            s.status = ExperimentStatus.FAILED;
            s.endedAt = e.failedAt();
            s.failureCategory = e.category();
            s.failureMessage = e.message();
            s.exitCode = e.exitCode();
            if (e.logPath() != null) {
                s.logPath = e.logPath();
            }
        } else if (event instanceof ExperimentValidated e) {
            s.status = ExperimentStatus.VALIDATED;
            s.endedAt = e.validatedAt();
        } else if (event instanceof ExperimentAbandoned e) {
            s.status = ExperimentStatus.ABANDONED;
            s.endedAt = e.abandonedAt();
            s.failureCategory = FailureCategory.ABANDONED.code();
            s.failureMessage = e.reason();
        } else if (event instanceof ExperimentReopened) {
            // running again: the end and why it ended are gone; the exit code and log of an earlier failure stay
            s.status = ExperimentStatus.RUNNING;
            s.endedAt = null;
            s.failureCategory = null;
            s.failureMessage = null;
        } else if (event instanceof RunDetailsRecorded e) {
            s.metadata = putAll(metadata, e.details());
        } else if (event instanceof ExperimentTagged e) {
            s.tags = putAll(tags, e.tags());
        } else if (event instanceof ExperimentUntagged e) {
            s.tags = edit(tags, m -> e.keys().forEach(m::remove));
        } else if (event instanceof ExperimentExcluded e) {
            s.excludedReason = e.reason();
        } else if (event instanceof ExperimentIncluded) {
            s.excludedReason = null;
        } else if (event instanceof ExperimentAmended e) {
            if (e.scenario() != null) {
                s.scenario = e.scenario();
            }
            if (e.backend() != null) {
                s.backend = e.backend();
            }
            s.config = putAll(config, KnobNames.config(e.config()));
        } else {
            // NoteAdded and anything else that annotates without changing what the experiment is
            return this;
        }
        return s;
    }

    public String experimentId() {
        return experimentId;
    }

    public String scenario() {
        return scenario;
    }

    /** Null when none was recorded. */
    public String backend() {
        return backend;
    }

    public ExperimentStatus status() {
        return status;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** When it completed, failed, was validated or abandoned; null while running. */
    public Instant endedAt() {
        return endedAt;
    }

    /** The {@link FailureCategory} code of a failed or abandoned experiment; null otherwise. */
    public String failureCategory() {
        return failureCategory;
    }

    public String failureMessage() {
        return failureMessage;
    }

    public Integer exitCode() {
        return exitCode;
    }

    public String logPath() {
        return logPath;
    }

    /** The recorded knob values under canonical names, as recorded (started, resolved, amended). */
    public SortedMap<String, Object> config() {
        return config;
    }

    /** The knob values the views show: the config over the load the first reports stated. */
    public SortedMap<String, Object> knobs() {
        if (statedLoad.isEmpty()) {
            return config;
        }
        TreeMap<String, Object> out = new TreeMap<>(statedLoad);
        out.putAll(config);
        return Collections.unmodifiableSortedMap(out);
    }

    public SortedMap<String, Double> metrics() {
        return metrics;
    }

    public SortedMap<String, String> tags() {
        return tags;
    }

    /** Why it is left out of results; null when it counts. */
    public String excludedReason() {
        return excludedReason;
    }

    public boolean excluded() {
        return excludedReason != null;
    }

    /** The metadata it started with, with the details of its run merged over. */
    public SortedMap<String, Object> metadata() {
        return metadata;
    }

    /** The first report's checksum; null before a report. */
    public String reportSha256() {
        return reportSha256;
    }

    /** When the benchmark ran, as the first report saying so states; null when none did. */
    public Instant measuredAt() {
        return measuredAt;
    }

    /** The time history views order by: when the benchmark ran if a report says, else when it started. */
    public Instant happenedAt() {
        return measuredAt != null ? measuredAt : startedAt;
    }

    /** What the reports state beside their metrics, the first report to state a fact giving it. */
    public SortedMap<String, Object> facts() {
        return facts;
    }

    public String runFingerprint() {
        return runFingerprint;
    }

    private ExperimentState copy() {
        ExperimentState s = new ExperimentState();
        s.experimentId = experimentId;
        s.scenario = scenario;
        s.backend = backend;
        s.status = status;
        s.startedAt = startedAt;
        s.endedAt = endedAt;
        s.failureCategory = failureCategory;
        s.failureMessage = failureMessage;
        s.exitCode = exitCode;
        s.logPath = logPath;
        s.config = config;
        s.statedLoad = statedLoad;
        s.metrics = metrics;
        s.tags = tags;
        s.excludedReason = excludedReason;
        s.metadata = metadata;
        s.reportSha256 = reportSha256;
        s.measuredAt = measuredAt;
        s.facts = facts;
        s.runFingerprint = runFingerprint;
        return s;
    }

    // unchanged maps are shared between states; a change copies the one map it touches
    private static <V> SortedMap<String, V> frozen(Map<String, ? extends V> map) {
        return map == null || map.isEmpty() ? Collections.emptySortedMap()
                : Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    private static <V> SortedMap<String, V> putAll(SortedMap<String, V> map, Map<String, ? extends V> values) {
        return values == null || values.isEmpty() ? map : edit(map, m -> m.putAll(values));
    }

    private static <V> SortedMap<String, V> putAbsent(SortedMap<String, V> map, Map<String, ? extends V> values) {
        return values == null || values.isEmpty() ? map : edit(map, m -> values.forEach(m::putIfAbsent));
    }

    private static <V> SortedMap<String, V> edit(SortedMap<String, V> map, Consumer<TreeMap<String, V>> change) {
        TreeMap<String, V> out = new TreeMap<>(map);
        change.accept(out);
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * A state read back from a view's row, for a view that keeps its rows between batches. Only what the view
     * kept need be given: the fold changes each field from the event and that field alone, so the fields a view
     * maps come out right whatever it left unset. The knobs given are taken as the config.
     */
    public static Restore restore(String experimentId) {
        return new Restore(experimentId);
    }

    /** Builds a {@link #restore restored} state. */
    public static final class Restore {
        private final ExperimentState s = new ExperimentState();

        private Restore(String experimentId) {
            s.experimentId = experimentId;
        }

        public Restore scenario(String v) {
            s.scenario = v;
            return this;
        }

        public Restore backend(String v) {
            s.backend = v;
            return this;
        }

        public Restore status(ExperimentStatus v) {
            s.status = v;
            return this;
        }

        public Restore startedAt(Instant v) {
            s.startedAt = v;
            return this;
        }

        public Restore endedAt(Instant v) {
            s.endedAt = v;
            return this;
        }

        public Restore failure(String category, String message, Integer exitCode, String logPath) {
            s.failureCategory = category;
            s.failureMessage = message;
            s.exitCode = exitCode;
            s.logPath = logPath;
            return this;
        }

        public Restore knobs(Map<String, ?> v) {
            s.config = frozen(v);
            return this;
        }

        public Restore metrics(Map<String, ?> v) {
            TreeMap<String, Double> out = new TreeMap<>();
            v.forEach((k, x) -> out.put(k, x == null ? null : ((Number) x).doubleValue()));
            s.metrics = frozen(out);
            return this;
        }

        public Restore tags(Map<String, ?> v) {
            TreeMap<String, String> out = new TreeMap<>();
            v.forEach((k, x) -> out.put(k, x == null ? null : String.valueOf(x)));
            s.tags = frozen(out);
            return this;
        }

        public Restore excludedReason(String v) {
            s.excludedReason = v;
            return this;
        }

        /** For a view that kept only whether it is excluded: the reason is then unknown (empty). */
        public Restore excluded(boolean v) {
            s.excludedReason = v ? "" : null;
            return this;
        }

        public Restore metadata(Map<String, ?> v) {
            s.metadata = frozen(v);
            return this;
        }

        public Restore report(String sha256, Instant measuredAt, Map<String, ?> facts, String runFingerprint) {
            s.reportSha256 = sha256;
            s.measuredAt = measuredAt;
            s.facts = frozen(facts);
            s.runFingerprint = runFingerprint;
            return this;
        }

        public ExperimentState build() {
            return s;
        }
    }
}
