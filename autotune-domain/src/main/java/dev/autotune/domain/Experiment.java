package dev.autotune.domain;

import dev.autotune.domain.ExperimentApi.AbandonExperiment;
import dev.autotune.domain.ExperimentApi.CompleteExperiment;
import dev.autotune.domain.ExperimentApi.ConfigResolved;
import dev.autotune.domain.ExperimentApi.ExperimentAbandoned;
import dev.autotune.domain.ExperimentApi.ExperimentCompleted;
import dev.autotune.domain.ExperimentApi.ExperimentFailed;
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
 * Once an experiment has ended (completed, failed, abandoned, validated) its history is closed.
 */
public class Experiment {
    /** Tests and benchmarks replace it to get reproducible timestamps. */
    public static Clock clock = Clock.systemUTC();

    @AggregateIdentifier
    private String experimentId;
    private ExperimentStatus status;

    protected Experiment() {
        // required by Axon to rebuild from events
    }

    @CommandHandler
    public Experiment(StartExperiment cmd) {
        applyStarted(cmd);
    }

    @CommandHandler
    public Experiment(IngestReport cmd) {
        applyStarted(cmd.start());
        applyReport(cmd.experimentId(), cmd.report());
        apply(new ExperimentCompleted(cmd.experimentId(), now()));
    }

    @CommandHandler
    public void handle(ResolveConfig cmd) {
        requireRunning("resolve config of");
        apply(new ConfigResolved(experimentId, cmd.config(), cmd.origin(), now()));
    }

    @CommandHandler
    public void handle(RecordReport cmd) {
        requireRunning("record a report for");
        applyReport(experimentId, cmd.report());
    }

    @CommandHandler
    public void handle(CompleteExperiment cmd) {
        requireRunning("complete");
        apply(new ExperimentCompleted(experimentId, now()));
    }

    @CommandHandler
    public void handle(FailExperiment cmd) {
        requireRunning("fail");
        apply(new ExperimentFailed(experimentId, cmd.category().code(), cmd.message(), cmd.exitCode(),
                cmd.logPath(), now()));
    }

    @CommandHandler
    public void handle(ValidateExperiment cmd) {
        requireRunning("validate");
        apply(new ExperimentValidated(experimentId, now()));
    }

    @CommandHandler
    public void handle(RecordRunDetails cmd) {
        requireRunning("record run details of");
        apply(new RunDetailsRecorded(experimentId, cmd.details(), now()));
    }

    @CommandHandler
    public boolean handle(AbandonExperiment cmd) {
        // Two processes may notice the same dead runner; only the first records it.
        if (status != ExperimentStatus.RUNNING) {
            return false;
        }
        apply(new ExperimentAbandoned(experimentId, cmd.reason(), now()));
        return true;
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

    private static void applyStarted(StartExperiment cmd) {
        if (cmd.scenario() == null || cmd.scenario().isBlank()) {
            throw new IllegalArgumentException("an experiment needs a scenario name");
        }
        apply(new ExperimentStarted(cmd.experimentId(), cmd.scenario(), cmd.backend(), cmd.config(),
                cmd.configPath(), cmd.configSha256(), cmd.notes(), cmd.metadata(), cmd.source(), cmd.runId(),
                cmd.runner(), now()));
    }

    private static void applyReport(String experimentId, Report report) {
        Instant at = now();
        apply(new ReportParsed(experimentId, report.path(), report.sha256(), report.format(), report.warnings(), at));
        apply(new MetricsRecorded(experimentId, report.metrics(), report.sha256(), at));
    }

    private void requireRunning(String action) {
        if (status != ExperimentStatus.RUNNING) {
            throw new IllegalStateException("cannot " + action + " experiment " + experimentId + ": it is " + status.code());
        }
    }

    private static Instant now() {
        return clock.instant();
    }
}
