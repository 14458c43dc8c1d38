package dev.autotune.domain;

import dev.autotune.domain.ExperimentApi.AbandonExperiment;
import dev.autotune.domain.ExperimentApi.CompleteExperiment;
import dev.autotune.domain.ExperimentApi.ConfigResolved;
import dev.autotune.domain.ExperimentApi.ExperimentAbandoned;
import dev.autotune.domain.ExperimentApi.ExperimentCompleted;
import dev.autotune.domain.ExperimentApi.ExperimentFailed;
import dev.autotune.domain.ExperimentApi.ExperimentReopened;
import dev.autotune.domain.ExperimentApi.ReopenExperiment;
import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.domain.ExperimentApi.ExperimentValidated;
import dev.autotune.domain.ExperimentApi.RecordRunDetails;
import dev.autotune.domain.ExperimentApi.RunDetailsRecorded;
import dev.autotune.domain.ExperimentApi.ValidateExperiment;
import dev.autotune.domain.ExperimentApi.AddNote;
import dev.autotune.domain.ExperimentApi.AmendExperiment;
import dev.autotune.domain.ExperimentApi.ExcludeExperiment;
import dev.autotune.domain.ExperimentApi.ExperimentAmended;
import dev.autotune.domain.ExperimentApi.ExperimentExcluded;
import dev.autotune.domain.ExperimentApi.ExperimentIncluded;
import dev.autotune.domain.ExperimentApi.ExperimentTagged;
import dev.autotune.domain.ExperimentApi.ExperimentUntagged;
import dev.autotune.domain.ExperimentApi.IncludeExperiment;
import dev.autotune.domain.ExperimentApi.NoteAdded;
import dev.autotune.domain.ExperimentApi.TagExperiment;
import dev.autotune.domain.ExperimentApi.UntagExperiment;
import dev.autotune.domain.ExperimentApi.FailExperiment;
import dev.autotune.domain.ExperimentApi.IngestReport;
import dev.autotune.domain.ExperimentApi.MetricsRecorded;
import dev.autotune.domain.ExperimentApi.RecordReport;
import dev.autotune.domain.ExperimentApi.Report;
import dev.autotune.domain.ExperimentApi.ReportParsed;
import dev.autotune.domain.ExperimentApi.ResolveConfig;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One benchmark attempt. Command handlers decide what may happen; event sourcing handlers only apply.
 * Once an experiment has ended (completed, failed, abandoned, validated) its history is closed. Every handler that stamps
 * an event takes the {@link Clock} as a parameter, which Axon resolves from the configuration's components, so
 * a test or benchmark hands in a fixed clock instead of changing a global.
 */
public class Experiment {
    @AggregateIdentifier
    private String experimentId;
    /** What the events so far say; the command handlers decide on it. */
    private ExperimentState state;

    protected Experiment() {
        // required by Axon to rebuild from events
    }

    @CommandHandler
    public Experiment(StartExperiment cmd, Clock clock) {
        applyStarted(cmd, clock.instant());
    }

    @CommandHandler
    public Experiment(IngestReport cmd, Clock clock) {
        applyStarted(cmd.start(), clock.instant());
        applyReport(cmd.experimentId(), cmd.report(), clock.instant());
        apply(new ExperimentCompleted(cmd.experimentId(), clock.instant()));
    }

    @CommandHandler
    public void handle(ResolveConfig cmd, Clock clock) {
        requireRunning("resolve config of");
        apply(new ConfigResolved(experimentId, cmd.config(), cmd.origin(), clock.instant()));
    }

    @CommandHandler
    public void handle(RecordReport cmd, Clock clock) {
        requireRunning("record a report for");
        applyReport(experimentId, cmd.report(), clock.instant());
    }

    @CommandHandler
    public void handle(CompleteExperiment cmd, Clock clock) {
        requireRunning("complete");
        apply(new ExperimentCompleted(experimentId, clock.instant()));
    }

    @CommandHandler
    public void handle(FailExperiment cmd, Clock clock) {
        requireRunning("fail");
        apply(new ExperimentFailed(experimentId, cmd.category().code(), cmd.message(), cmd.exitCode(),
                cmd.logPath(), clock.instant()));
    }

    @CommandHandler
    public void handle(ValidateExperiment cmd, Clock clock) {
        requireRunning("validate");
        apply(new ExperimentValidated(experimentId, clock.instant()));
    }

    @CommandHandler
    public void handle(RecordRunDetails cmd, Clock clock) {
        requireRunning("record run details of");
        apply(new RunDetailsRecorded(experimentId, cmd.details(), clock.instant()));
    }

    @CommandHandler
    public boolean handle(AbandonExperiment cmd, Clock clock) {
        // Two processes may notice the same dead runner; only the first records it.
        if (state.status() != ExperimentStatus.RUNNING) {
            return false;
        }
        apply(new ExperimentAbandoned(experimentId, cmd.reason(), clock.instant()));
        return true;
    }

    @CommandHandler
    public void handle(TagExperiment cmd, Clock clock) {
        if (cmd.tags().isEmpty()) {
            throw new IllegalArgumentException("give at least one tag, e.g. gpu=H100");
        }
        Map<String, String> changed = new TreeMap<>();
        cmd.tags().forEach((k, v) -> {
            if (k == null || k.isBlank() || v == null) {
                throw new IllegalArgumentException("a tag needs a key and a value, e.g. gpu=H100");
            }
            if (!v.equals(state.tags().get(k))) {
                changed.put(k, v);
            }
        });
        // tagging again with the same value is not a new fact
        if (!changed.isEmpty()) {
            apply(new ExperimentTagged(experimentId, changed, clock.instant()));
        }
    }

    @CommandHandler
    public void handle(UntagExperiment cmd, Clock clock) {
        if (cmd.keys().isEmpty()) {
            throw new IllegalArgumentException("name at least one tag to remove");
        }
        for (String key : cmd.keys()) {
            if (!state.tags().containsKey(key)) {
                throw new IllegalArgumentException("experiment has no tag '" + key + "'"
                        + (state.tags().isEmpty() ? " (it has no tags)"
                        : " (tags: " + String.join(", ", state.tags().keySet()) + ")"));
            }
        }
        apply(new ExperimentUntagged(experimentId, cmd.keys().stream().distinct().sorted().toList(), clock.instant()));
    }

    @CommandHandler
    public void handle(AddNote cmd, Clock clock) {
        if (cmd.note() == null || cmd.note().isBlank()) {
            throw new IllegalArgumentException("a note needs some text");
        }
        apply(new NoteAdded(experimentId, cmd.note().strip(), clock.instant()));
    }

    @CommandHandler
    public void handle(ExcludeExperiment cmd, Clock clock) {
        if (cmd.reason() == null || cmd.reason().isBlank()) {
            throw new IllegalArgumentException("say why the experiment is excluded");
        }
        if (state.excluded()) {
            throw new IllegalStateException("experiment is already excluded (" + state.excludedReason() + ")");
        }
        apply(new ExperimentExcluded(experimentId, cmd.reason().strip(), clock.instant()));
    }

    @CommandHandler
    public void handle(IncludeExperiment cmd, Clock clock) {
        if (!state.excluded()) {
            throw new IllegalStateException("experiment is not excluded");
        }
        apply(new ExperimentIncluded(experimentId, clock.instant()));
    }

    @CommandHandler
    public void handle(AmendExperiment cmd, Clock clock) {
        // a running experiment still learns its values from its run; correct it once it has ended
        requireEnded("amend");
        if (cmd.scenario() != null && cmd.scenario().isBlank()) {
            throw new IllegalArgumentException("an experiment needs a scenario name");
        }
        requirePrintable("scenario", cmd.scenario());
        requirePrintable("backend", cmd.backend());
        String newScenario = cmd.scenario() == null || cmd.scenario().equals(state.scenario()) ? null : cmd.scenario();
        String newBackend = cmd.backend() == null || cmd.backend().equals(state.backend()) ? null : cmd.backend();
        Map<String, Object> changed = new TreeMap<>();
        cmd.config().forEach((k, v) -> {
            // a knob is compared under its canonical name: amending concurrency=32 where bench_cmd_args.max_concurrency
            // recorded 32 is no change
            // the state keeps values as recorded, so both sides are put in canonical form
            if (!Objects.equals(CanonicalValues.canonical(v),
                    CanonicalValues.canonical(state.config().get(KnobNames.canonical(k))))) {
                changed.put(k, v);
            }
        });
        if (newScenario == null && newBackend == null && changed.isEmpty()) {
            throw new IllegalArgumentException("nothing to amend: the experiment already records these values");
        }
        apply(new ExperimentAmended(experimentId, newScenario, newBackend, changed, clock.instant()));
    }

    @CommandHandler
    public boolean handle(ReopenExperiment cmd, Clock clock) {
        // only an abandonment can be overturned by results; an experiment that ended on its own stays ended
        if (state.status() != ExperimentStatus.ABANDONED) {
            return false;
        }
        apply(new ExperimentReopened(experimentId, cmd.reason(), clock.instant()));
        return true;
    }

    @EventSourcingHandler
    void on(ExperimentApi.ExperimentEvent event) {
        state = event instanceof ExperimentStarted e ? ExperimentState.started(e) : state.apply(event);
        experimentId = state.experimentId();
    }

    private static void applyStarted(StartExperiment cmd, Instant at) {
        if (cmd.scenario() == null || cmd.scenario().isBlank()) {
            throw new IllegalArgumentException("an experiment needs a scenario name");
        }
        requirePrintable("scenario", cmd.scenario());
        requirePrintable("backend", cmd.backend());
        apply(new ExperimentStarted(cmd.experimentId(), cmd.scenario(), cmd.backend(), cmd.config(),
                cmd.configPath(), cmd.configSha256(), cmd.notes(), cmd.metadata(), cmd.source(), cmd.runId(),
                cmd.runner(), at));
    }

    /**
     * A scenario or backend is a name every table, filter and report prints: a newline or a terminal escape in it
     * would break the list's lines or colour the user's terminal, so it is refused when recorded.
     */
    private static void requirePrintable(String what, String name) {
        if (name != null && name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a " + what + " name cannot hold control characters (a newline, a tab,"
                    + " a terminal escape): " + name.replaceAll("\\p{Cntrl}", "?"));
        }
    }

    private static void applyReport(String experimentId, Report report, Instant at) {
        apply(new ReportParsed(experimentId, report.path(), report.sha256(), report.format(), report.warnings(),
                report.facts(), report.measuredAt(), report.runFingerprint(), at));
        apply(new MetricsRecorded(experimentId, report.metrics(), report.sha256(), at));
    }

    private void requireEnded(String action) {
        if (state.status() == ExperimentStatus.RUNNING) {
            throw new IllegalStateException("cannot " + action + " experiment " + experimentId + ": it is still running");
        }
    }

    private void requireRunning(String action) {
        if (state.status() != ExperimentStatus.RUNNING) {
            throw new IllegalStateException("cannot " + action + " experiment " + experimentId + ": it is "
                    + state.status().code());
        }
    }
}
