package dev.autotune.api.app;

import dev.autotune.domain.ExperimentApi.CompleteExperiment;
import dev.autotune.domain.ExperimentApi.FailExperiment;
import dev.autotune.domain.ExperimentApi.RecordReport;
import dev.autotune.domain.ExperimentApi.ResolveConfig;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.FailureCategory;
import dev.autotune.runner.cloudai.Failure;
import dev.autotune.runner.cloudai.RunOutcome;
import dev.autotune.runner.cloudai.StepResult;
import dev.autotune.runner.report.ParsedReport;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Turns what a cloudai run left behind into events. The experiment recorded at launch holds the first test run
 * (or sweep step); every further step becomes an experiment of its own linked by the run id. A failure of the
 * process as a whole (it could not start, was killed, timed out) is recorded on the launch experiment, and steps
 * that still produced results are kept as experiments of their own.
 */
final class RunRecorder {
    private static final Set<FailureCategory> PROCESS_FAILURES = EnumSet.of(FailureCategory.LAUNCH_FAILED,
            FailureCategory.USAGE_ERROR, FailureCategory.CONFIG_ERROR, FailureCategory.TIMEOUT,
            FailureCategory.INTERRUPTED);

    private final Autotune autotune;
    private final StartExperiment launch;

    RunRecorder(Autotune autotune, StartExperiment launch) {
        this.autotune = autotune;
        this.launch = launch;
    }

    /** Records the outcome and returns the ids of every experiment it touched, the launch experiment first. */
    List<String> record(RunOutcome outcome) {
        String log = outcome.logFile() == null ? null : outcome.logFile().toString();
        List<String> ids = new ArrayList<>(List.of(launch.experimentId()));
        List<StepResult> steps = outcome.steps();
        Failure overall = outcome.failure();
        if (steps.isEmpty()) {
            Failure f = overall != null ? overall : new Failure(FailureCategory.NO_REPORT,
                    "cloudai finished but left no test run directory to read", outcome.exitCode());
            fail(launch.experimentId(), f, log);
            return ids;
        }
        boolean processFailed = overall != null && PROCESS_FAILURES.contains(overall.category());
        if (processFailed) {
            fail(launch.experimentId(), overall, log);
            for (StepResult step : steps) {
                if (step.succeeded() && !step.reports().isEmpty()) {
                    ids.add(recordStep(newStepExperiment(), step, log));
                }
            }
            return ids;
        }
        recordStep(launch.experimentId(), steps.get(0), log);
        for (StepResult step : steps.subList(1, steps.size())) {
            ids.add(recordStep(newStepExperiment(), step, log));
        }
        return ids;
    }

    private String newStepExperiment() {
        String id = UUID.randomUUID().toString();
        autotune.send(new StartExperiment(id, launch.scenario(), launch.backend(), launch.config(),
                launch.configPath(), launch.configSha256(), launch.notes(), launch.metadata(),
                ExperimentApi.Source.RUN, launch.runId(), Autotune.currentProcess()));
        return id;
    }

    private String recordStep(String id, StepResult step, String log) {
        if (!step.knobs().isEmpty()) {
            autotune.send(new ResolveConfig(id, step.knobs(), step.stepDir().resolve("test-run.toml").toString()));
        }
        for (ParsedReport report : step.reports()) {
            autotune.send(new RecordReport(id, Autotune.toEvent(report)));
        }
        if (step.succeeded()) {
            autotune.send(new CompleteExperiment(id));
        } else {
            fail(id, step.failure(), log);
        }
        return id;
    }

    private void fail(String id, Failure f, String log) {
        autotune.send(new FailExperiment(id, f.category(), f.message(), f.exitCode(), log));
    }
}
