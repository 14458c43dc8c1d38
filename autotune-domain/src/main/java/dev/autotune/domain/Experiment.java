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
    private ExperimentStatus status;

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
        if (status != ExperimentStatus.RUNNING) {
            return false;
        }
        apply(new ExperimentAbandoned(experimentId, cmd.reason(), clock.instant()));
        return true;
    }

    @CommandHandler
    public boolean handle(ReopenExperiment cmd, Clock clock) {
        // only an abandonment can be overturned by results; an experiment that ended on its own stays ended
        if (status != ExperimentStatus.ABANDONED) {
            return false;
        }
        apply(new ExperimentReopened(experimentId, cmd.reason(), clock.instant()));
        return true;
    }

    @EventSourcingHandler
    void on(ExperimentReopened event) {
        status = ExperimentStatus.RUNNING;
    }

    @EventSourcingHandler
    void on(ExperimentStarted event) {
        experimentId = event.experimentId();
        status = ExperimentStatus.RUNNING;
    }

    @EventSourcingHandler
    void on(ExperimentCompleted event) {
        status = ExperimentStatus.COMPLETED;
    }

    @EventSourcingHandler
    void on(ExperimentFailed event) {
        status = ExperimentStatus.FAILED;
    }

    @EventSourcingHandler
    void on(ExperimentValidated event) {
        status = ExperimentStatus.VALIDATED;
    }

    @EventSourcingHandler
    void on(ExperimentAbandoned event) {
        status = ExperimentStatus.ABANDONED;
    }

    private static void applyStarted(StartExperiment cmd, Instant at) {
        if (cmd.scenario() == null || cmd.scenario().isBlank()) {
            throw new IllegalArgumentException("an experiment needs a scenario name");
        }
        apply(new ExperimentStarted(cmd.experimentId(), cmd.scenario(), cmd.backend(), cmd.config(),
                cmd.configPath(), cmd.configSha256(), cmd.notes(), cmd.metadata(), cmd.source(), cmd.runId(),
                cmd.runner(), at));
    }

    private static void applyReport(String experimentId, Report report, Instant at) {
        apply(new ReportParsed(experimentId, report.path(), report.sha256(), report.format(), report.warnings(),
                report.facts(), report.measuredAt(), report.runFingerprint(), at));
        apply(new MetricsRecorded(experimentId, report.metrics(), report.sha256(), at));
    }

    private void requireRunning(String action) {
        if (status != ExperimentStatus.RUNNING) {
            throw new IllegalStateException("cannot " + action + " experiment " + experimentId + ": it is " + status.code());
        }
    }
}
