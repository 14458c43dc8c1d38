package dev.autotune.api.app.runs;

import dev.autotune.api.app.session.StoreSession;
import dev.autotune.runner.report.ReportFacts;
import java.util.TreeMap;
import java.util.LinkedHashMap;
import dev.autotune.domain.ExperimentApi.AbandonExperiment;
import dev.autotune.domain.ExperimentApi.CompleteExperiment;
import dev.autotune.domain.ExperimentApi.ReopenExperiment;
import dev.autotune.domain.ExperimentApi.FailExperiment;
import dev.autotune.domain.ExperimentApi.RecordReport;
import dev.autotune.domain.ExperimentApi.RecordRunDetails;
import dev.autotune.domain.ExperimentApi.ResolveConfig;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import dev.autotune.domain.ExperimentApi.ValidateExperiment;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.Metric;
import dev.autotune.runner.cloudai.Failure;
import dev.autotune.runner.cloudai.RunOutcome;
import dev.autotune.runner.cloudai.StepResult;
import dev.autotune.runner.config.ScenarioFile;
import dev.autotune.runner.report.ParsedReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Turns what a cloudai run left behind into events. One job (a test run, or one sweep step) is one experiment,
 * whatever ended the run: the experiment recorded at launch holds the first job, every further job becomes an
 * experiment of its own linked by the run id, each with its knob values, its details and its own verdict (a job
 * cloudai was stopped in is failed with the timeout; one that had written its results is completed with a note). Only
 * when cloudai left no job at all (it could not start, rejected its input, was stopped before a test began) does the
 * launch experiment carry the failure of the run as a whole.
 */
public final class RunRecorder {
    public static final String NOTE = "autotune.note";
    /** Which measurement a multi-phase job's accuracy belongs to. */
    public static final String ACCURACY_OF = "autotune.accuracy_of";
    static final String DEFAULT_PREFIX = "cloudai.default.";

    private final StoreSession session;
    private final StartExperiment launch;
    private final ScenarioFile scenario;
    private final Map<String, Object> userKnobs;
    /** Without a scenario file (a sweep recorded after the fact): the knobs the sweep varied; else null. */
    private final Set<String> sweptKnobs;

    public RunRecorder(StoreSession session, StartExperiment launch, ScenarioFile scenario, Map<String, Object> userKnobs) {
        this(session, launch, scenario, userKnobs, null);
    }

    /**
     * For the results of a sweep cloudai ran without autotune ({@code ingest trajectory.csv}): there is no scenario
     * file saying which knobs its TOMLs set, so the knobs tracked are the ones the sweep varied (its trajectory's
     * actions) and the user's; every other value cloudai resolved is kept as a default, as for {@code run}.
     */
    public static RunRecorder forSweep(StoreSession session, StartExperiment launch, Map<String, Object> userKnobs,
                                Set<String> sweptKnobs) {
        return new RunRecorder(session, launch, null, userKnobs, Set.copyOf(sweptKnobs));
    }

    private RunRecorder(StoreSession session, StartExperiment launch, ScenarioFile scenario,
                        Map<String, Object> userKnobs, Set<String> sweptKnobs) {
        this.session = session;
        this.launch = launch;
        this.scenario = scenario;
        this.userKnobs = Map.copyOf(userKnobs);
        this.sweptKnobs = sweptKnobs;
    }

    private ScenarioFile.TestEntry test(String testId) {
        return scenario == null ? null : scenario.test(testId);
    }

    /**
     * The config a job's experiment starts with: what its test's TOMLs set, but not the sweep dimensions (a step
     * records its own value), and the user's {@code --set} values.
     */
    public static Map<String, Object> startConfig(ScenarioFile.TestEntry test, Map<String, Object> userKnobs) {
        Map<String, Object> config = new TreeMap<>();
        test.knobs().forEach((k, v) -> {
            if (!test.sweepKnobs().contains(k)) {
                config.put(k, v);
            }
        });
        config.putAll(userKnobs);
        return config;
    }

    /** Records the outcome and returns the ids of every experiment it touched, the launch experiment first. */
    public List<String> record(RunOutcome outcome) {
        String log = outcome.logFile() == null ? null : outcome.logFile().toString();
        List<String> ids = new ArrayList<>();
        List<StepResult> steps = outcome.steps();
        if (steps.isEmpty()) {
            Failure overall = outcome.failure();
            Failure f = overall != null ? overall : new Failure(FailureCategory.NO_REPORT,
                    "cloudai finished but left no test run directory to read", outcome.exitCode());
            fail(launch.experimentId(), f, log);
            return List.of(launch.experimentId());
        }
        for (int i = 0; i < steps.size(); i++) {
            StepResult step = steps.get(i);
            String id = i == 0 ? launch.experimentId() : newStepExperiment(step.testId());
            recordJob(id, step, outcome.dryRun(), log, ids);
        }
        return ids;
    }

    /**
     * The keys a job's details add to its experiment's metadata (where it sits in the scenario, what it ran on, notes),
     * as {@code RunAnalysis} and {@code RunDetails} name them.
     */
    private static final List<String> JOB_DETAIL_PREFIXES = List.of("cloudai.test_id", "cloudai.iteration",
            "cloudai.step", "cloudai.container_image", "cloudai.model", "slurm.", "node.", NOTE, ACCURACY_OF,
            DEFAULT_PREFIX);

    /** The metadata a run started with, from an experiment's metadata that may hold its job's details too. */
    public static Map<String, String> startMetadata(Map<String, String> metadata) {
        Map<String, String> out = new TreeMap<>();
        metadata.forEach((k, v) -> {
            if (JOB_DETAIL_PREFIXES.stream().noneMatch(k::startsWith)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * A job of the run recorded so far, as {@code run --recover} finds it: the experiment that holds it, and whether
     * that experiment is abandoned (so results may still reopen it).
     */
    public record Recorded(String experimentId, boolean abandoned) {
    }

    /**
     * Records the jobs of a run whose runner was killed that are not recorded yet, and returns the ids of the
     * experiments it touched. A job already recorded is left as it is, unless its experiment is abandoned and the job
     * has its results now: then the experiment is reopened and they are recorded. A job without results gets an
     * abandoned experiment (cloudai may still be finishing it; a later recovery records its results then). The launch
     * experiment holds the first job unless it holds one already. Running it twice records nothing the second time.
     *
     * @param recorded   the run's jobs recorded so far, by label ({@code vllm.dse/0/2})
     * @param launchFree the launch experiment holds no job yet (it was abandoned before the runner recorded any)
     */
    public List<String> recover(RunOutcome outcome, Map<String, Recorded> recorded, boolean launchFree, String reason) {
        String log = outcome.logFile() == null ? null : outcome.logFile().toString();
        List<String> ids = new ArrayList<>();
        boolean launchTaken = !launchFree;
        for (StepResult step : outcome.steps()) {
            Recorded known = recorded.get(step.label());
            if (known == null && !launchTaken) {
                launchTaken = true;
                known = new Recorded(launch.experimentId(), true);
            }
            if (known != null) {
                // only results overturn an abandonment; a job still without them stays as it was
                if (known.abandoned() && step.succeeded()) {
                    session.send(new ReopenExperiment(known.experimentId(), reason));
                    recordJob(known.experimentId(), step, outcome.dryRun(), log, ids);
                }
                continue;
            }
            recordJob(newStepExperiment(step.testId()), step, outcome.dryRun(), log, ids);
        }
        return ids;
    }

    /** Records one job on experiment {@code id}; a multi-phase job adds an experiment per further phase. */
    private void recordJob(String id, StepResult step, boolean dryRun, String log, List<String> ids) {
        ids.add(id);
        if (step.phases().isEmpty()) {
            record(id, step, Map.of(), Map.of(), step.reports(), dryRun, log);
            return;
        }
        // a multi-phase AIPerf run: one measurement per phase; the job's experiment holds the first phase (and
        // the job's other reports), each further phase is an experiment of its own linked by the run id.
        // The accuracy (accuracy_results.csv, from cmd_args.aiperf_accuracy) is the run's, measured once on the
        // config every phase served, so every phase's experiment carries it, and says so
        List<ParsedReport> first = new ArrayList<>();
        first.add(step.phases().get(0).report());
        first.addAll(step.jobReports());
        List<ParsedReport> accuracy = step.jobReports().stream()
                .filter(r -> r.metrics().containsKey(Metric.ACCURACY)).toList();
        Map<String, String> scope = accuracy.isEmpty() ? Map.of() : Map.of(ACCURACY_OF, "the run ("
                + accuracy.get(0).path().getFileName() + "), the same for each of its " + step.phases().size()
                + " AIPerf phases");
        record(id, step, step.phases().get(0).knobs(), scope, first, dryRun, log);
        for (StepResult.Phase phase : step.phases().subList(1, step.phases().size())) {
            String phaseId = newStepExperiment(step.testId());
            ids.add(phaseId);
            List<ParsedReport> reports = new ArrayList<>();
            reports.add(phase.report());
            reports.addAll(accuracy);
            record(phaseId, step, phase.knobs(), scope, reports, dryRun, log);
        }
    }

    private String newStepExperiment(String testId) {
        String id = UUID.randomUUID().toString();
        ScenarioFile.TestEntry test = test(testId);
        Map<String, Object> config = test == null ? launch.config() : startConfig(test, userKnobs);
        String backend = test == null || test.backend() == null ? launch.backend() : test.backend();
        session.send(new StartExperiment(id, launch.scenario(), backend, config,
                launch.configPath(), launch.configSha256(), launch.notes(), launch.metadata(),
                launch.source(), launch.runId(), launch.runner()));
        return id;
    }

    /** Records one measurement of a job; {@code phaseKnobs} name its AIPerf phase and that phase's own args. */
    private void record(String id, StepResult step, Map<String, Object> phaseKnobs, Map<String, String> phaseDetails,
                        List<ParsedReport> reports, boolean dryRun, String log) {
        Map<String, Object> knobs = trackedKnobs(step.testId(), step.knobs());
        knobs.putAll(phaseKnobs);
        if (!knobs.isEmpty()) {
            session.send(new ResolveConfig(id, knobs, step.stepDir().resolve("test-run.toml").toString()));
        }
        Map<String, String> details = new LinkedHashMap<>(step.details());
        // what cloudai filled in that no TOML set (e.g. bench_cmd_args.max_concurrency): part of the record, not knobs
        step.knobs().forEach((k, v) -> {
            if (!knobs.containsKey(k)) {
                details.put(DEFAULT_PREFIX + k, String.valueOf(v));
            }
        });
        if (step.note() != null) {
            details.put(NOTE, step.note());
        }
        details.putAll(phaseDetails);
        if (!details.isEmpty()) {
            session.send(new RecordRunDetails(id, details));
        }
        for (ParsedReport report : reports) {
            session.send(new RecordReport(id, toEvent(report)));
        }
        if (!step.succeeded() && step.failure().category() == FailureCategory.ABANDONED) {
            // recovered without results: nobody knows yet how the job ends
            session.send(new AbandonExperiment(id, step.failure().message()));
        } else if (!step.succeeded()) {
            fail(id, step.failure(), log);
        } else if (dryRun) {
            session.send(new ValidateExperiment(id));
        } else {
            session.send(new CompleteExperiment(id));
        }
    }

    /**
     * The step's knob values, limited to the knobs its test's TOMLs set (sweep dimensions included) and
     * {@code --set}. cloudai's {@code test-run.toml} also holds every default it filled in; recording those only
     * for jobs that got that far would make a column of them "vary" against jobs whose launch failed. The values are
     * what cloudai resolved.
     */
    private Map<String, Object> trackedKnobs(String testId, Map<String, Object> resolved) {
        ScenarioFile.TestEntry test = test(testId);
        if (test == null && sweptKnobs == null) {
            return new LinkedHashMap<>(resolved);
        }
        Set<String> tracked = new TreeSet<>(test == null ? sweptKnobs : test.knobs().keySet());
        tracked.addAll(userKnobs.keySet());
        Map<String, Object> out = new LinkedHashMap<>();
        resolved.forEach((k, v) -> {
            if (tracked.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private void fail(String id, Failure f, String log) {
        session.send(new FailExperiment(id, f.category(), f.message(), f.exitCode(), log));
    }

    /** A parsed report as the event records it. */
    public static ExperimentApi.Report toEvent(ParsedReport report) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        report.metrics().forEach((m, v) -> metrics.put(m.key(), v));
        ReportFacts facts = report.facts();
        return new ExperimentApi.Report(report.path().toAbsolutePath().normalize().toString(), report.sha256(),
                report.format().code(), report.warnings(), new TreeMap<>(metrics), facts.workload(),
                facts.measuredAt(), facts.runFingerprint());
    }
}
