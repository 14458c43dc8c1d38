package dev.autotune.api.app.studies;

import dev.autotune.api.app.recording.Recording;
import dev.autotune.api.app.common.Conflict;
import dev.autotune.api.app.common.Inputs;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.SearchSpace;
import dev.autotune.domain.study.ConfigValues;
import dev.autotune.domain.study.StudyApi.LinkTrial;
import dev.autotune.runner.cloudai.StepResult;
import dev.autotune.runner.config.Knobs;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The steps of a CloudAI DSE run that autotune's study drives from inside {@code cloudai run} (the {@code autotune}
 * agent of {@code integrations/cloudai-agent}). One step's results dir, with its {@code trajectory.csv} row, is
 * recorded exactly as {@code autotune ingest trajectory.csv} records a sweep step (the same reading of test-run.toml
 * and the action, the same report parsers, verdict, failure categories and details), under the study's scenario, and
 * linked to the trial the agent asked for in the same atomic append: the step is recorded and told, or neither.
 */
public final class DseSteps {
    private final Studies studies;

    public DseSteps(Studies studies) {
        this.studies = studies;
    }

    /**
     * @param status          the experiment's status code ({@code completed}, {@code failed})
     * @param failureCategory why it failed, when it did
     */
    public record Recorded(Studies.StudySummary study, int trial, int experiment, String experimentId, String status,
                           String failureCategory, Map<String, Double> metrics, List<String> warnings) {
    }

    /** A trial that already has its experiment: the step was recorded before (a retry), nothing is recorded again. */
    public static final class AlreadyMeasured extends Conflict {
        private final int experiment;

        AlreadyMeasured(String message, int experiment) {
            super("trial", message);
            this.experiment = experiment;
        }

        public int experiment() {
            return experiment;
        }
    }

    /**
     * Records the one step under {@code trajectoryCsv}'s iteration dir as the measurement of {@code trial}.
     * Refused before anything is written when the study is finished, the trial unknown or measured already, the
     * upload holds other than one step, or the step ran values other than the trial's (naming the knob).
     *
     * @param metadata {@code key=value} pairs kept on the experiment (the agent sends CloudAI's reward and observation)
     */
    public Recorded record(String study, int trial, Path trajectoryCsv, Path within, List<String> metadata) {
        State s = studies.state(study);
        Studies.requireOpen(s.study);
        Studies.TrialView proposed = s.trials.stream().filter(t -> t.trial() == trial).findFirst()
                .orElseThrow(() -> Studies.badInput("trial", "study " + s.study.number() + " has no trial " + trial
                        + " (ask for one first)", null));
        if (proposed.experimentId() != null) {
            throw new AlreadyMeasured("trial " + trial + " of study " + s.study.number()
                    + " is already measured by experiment " + proposed.experiment(),
                    proposed.experiment() == null ? 0 : proposed.experiment());
        }
        Recording recording = studies.recording();
        Map<String, String> pairs = Inputs.pairs("metadata", metadata);
        Recording.Sweep sweep = recording.readSweep(trajectoryCsv, within);
        if (sweep.steps().size() != 1) {
            throw Studies.badInput("step", "the upload holds " + sweep.steps().size() + " steps ("
                    + String.join(", ", sweep.steps().stream().map(StepResult::label).toList())
                    + "); send one step's dir with its trajectory row", null);
        }
        SearchSpace space = s.space;
        requireSameConfig(space, sweep.steps().get(0), proposed);
        Recording.IngestResult result = recording.ingestTrajectory(new Recording.IngestRequest(trajectoryCsv,
                Recording.TRAJECTORY_FORMAT, space.scenario(), null, Map.of(), null, null, null, pairs, false, within), sweep,
                List.of("study:" + s.study.studyId()), ids -> {
                    // under the study's lock: a second upload of the same trial, from anywhere, waited and is refused
                    Studies.TrialView now = studies.read(s.study.studyId()).trials.stream()
                            .filter(t -> t.trial() == trial).findFirst().orElseThrow();
                    if (now.experimentId() != null) {
                        throw new AlreadyMeasured("trial " + trial + " of study " + s.study.number()
                                + " is already measured by experiment " + now.experiment(),
                                now.experiment() == null ? 0 : now.experiment());
                    }
                    studies.session().send(new LinkTrial(s.study.studyId(), trial, ids.get(0)));
                });
        ExperimentSummary e = studies.history().experiment(result.experimentId());
        return new Recorded(Studies.summary(studies.state(s.study.studyId()).study), trial, e.number(),
                e.experimentId(), e.status().code(), e.failureCategory(), e.metrics(), result.warnings());
    }

    /** The step must have run the trial's config: a value CloudAI did not apply is an error on the trial, named. */
    private static void requireSameConfig(SearchSpace space, StepResult step, Studies.TrialView trial) {
        if (State.configIn(space, step.knobs()).filter(trial.config()::equals).isPresent()) {
            return;
        }
        for (Knob k : space.knobs()) {
            Map<String, Object> ran = step.knobs();
            Object v = ran.containsKey(k.path()) ? ran.get(k.path()) : ran.get(Knobs.recordedName(k.path()));
            if (v == null) {
                throw Studies.badInput("step", "knobs.\"" + k.path() + "\": step " + step.label()
                        + " records no value for it (test-run.toml and the trajectory action lack it)", null);
            }
            Object wanted = trial.config().get(k.path());
            if (!Objects.equals(ConfigValues.canonical(v), ConfigValues.canonical(wanted))) {
                throw Studies.badInput("step", "knobs.\"" + k.path() + "\": step " + step.label() + " ran " + v
                        + " but trial " + trial.trial() + " proposed " + wanted, null);
            }
        }
        throw Studies.badInput("step", "step " + step.label() + " did not run the config of trial " + trial.trial()
                + " " + trial.config(), null);
    }
}
