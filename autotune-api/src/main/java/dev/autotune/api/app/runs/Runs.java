package dev.autotune.api.app.runs;

import dev.autotune.domain.RunnerLiveness;
import dev.autotune.api.app.common.Inputs;
import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.history.History;
import dev.autotune.api.app.session.StoreSession;
import dev.autotune.domain.ExperimentApi.AbandonExperiment;
import dev.autotune.domain.ExperimentApi.FailExperiment;
import dev.autotune.domain.ExperimentApi.ReopenExperiment;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.query.ExperimentDetail;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.domain.query.RunningExperiment;
import dev.autotune.runner.cloudai.CloudaiRun;
import dev.autotune.runner.cloudai.RunDirs;
import dev.autotune.runner.cloudai.RunOutcome;
import dev.autotune.runner.cloudai.RunRequest;
import dev.autotune.runner.cloudai.SmokeCheck;
import dev.autotune.runner.config.ConfigException;
import dev.autotune.runner.config.ScenarioFile;
import dev.autotune.runner.report.ReportParser;
import dev.autotune.store.RunLiveness;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Runs: launching cloudai and recording what it left ({@code run}), recovering what a killed runner left
 * ({@code run --recover}), closing out runs whose runner died, and the cloudai contract check (smoke).
 */
public final class Runs {
    private final StoreSession session;
    private final ReportParser parser;
    private final History history;

    public Runs(StoreSession session, ReportParser parser, History history) {
        this.session = session;
        this.parser = parser;
        this.history = history;
        // every catch-up of the session closes out runs whose runner is gone
        session.onCatchUp(this::recoverAbandoned);
    }

    /** The metadata key under which `run` records its run directory (where stdout.log is written). */
    public static final String RUN_DIR = "autotune.run_dir";

    static final String SCENARIO_FILE = "cloudai.scenario_file";

    static final String TESTS_DIR = "cloudai.tests_dir";

    static final String DRY_RUN = "cloudai.dry_run";

    /**
     * A run as the user gave it.
     *
     * @param timeoutSec seconds before the whole run is stopped; null for no limit
     * @param sets       {@code knob=value} pairs to track that the TOML does not hold, typed like TOML
     * @param metadata   {@code key=value} pairs
     * @param enableCacheWithoutCheck passed to cloudai as {@code --enable-cache-without-check}
     * @param singleSbatch            passed to cloudai as {@code --single-sbatch}
     * @param logLevel                passed to cloudai as {@code --log-level}, or null
     * @param cloudaiArgs             further arguments for cloudai's run/dry-run, passed on unchanged (may be null)
     */
    public record RunInput(Path scenarioToml, Path systemConfig, Path testsDir, Path hookDir, String cloudaiBin,
                           Long timeoutSec, boolean dryRun, List<String> sets, String notes, List<String> metadata,
                           Path runsRoot, boolean enableCacheWithoutCheck, boolean singleSbatch, String logLevel,
                           List<String> cloudaiArgs) {
        /** A run without pass-through options. */
        public RunInput(Path scenarioToml, Path systemConfig, Path testsDir, Path hookDir, String cloudaiBin,
                        Long timeoutSec, boolean dryRun, List<String> sets, String notes, List<String> metadata,
                        Path runsRoot) {
            this(scenarioToml, systemConfig, testsDir, hookDir, cloudaiBin, timeoutSec, dryRun, sets, notes, metadata,
                    runsRoot, false, false, null, null);
        }
    }

    /**
     * What a run recorded.
     *
     * @param experiments     the experiment numbers, the launch experiment first
     * @param succeeded       the exit-code rule: every job completed (or, in a dry run, validated) and cloudai was
     *                        neither stopped nor failed ({@link RunOutcome#succeeded()})
     * @param jobs            how many jobs cloudai started
     * @param failedSteps     how many of them failed
     * @param firstFailedStep the first failed job and why ({@code vllm.dse/0/2 job_failed: ...}); null when none
     * @param failureCategory why the run as a whole failed ({@code timeout}, ...); null when it did not
     * @param dryRun          a dry run: the jobs were validated, not measured
     */
    public record RunResult(List<Integer> experiments, boolean succeeded, int jobs, int failedSteps,
                            String firstFailedStep, String failureCategory, String failureMessage, Path logFile,
                            boolean dryRun) {
    }

    private record RunSpec(Path scenarioToml, Path systemConfig, Path testsDir, Path hookDir, String cloudaiBin,
                           Duration timeout, boolean dryRun, Map<String, Object> knobs, String notes,
                           Map<String, String> metadata, Path runsRoot, RunRequest.PassThrough passThrough) {
    }

    /**
     * Records the experiment as running, launches cloudai, and records what it left behind. {@code interrupter}
     * receives, before the run starts, what stops it: a signal handler calls it and the interruption is recorded.
     */
    public RunResult run(RunInput input, PrintStream terminal, Consumer<Runnable> interrupter) {
        return run(input, terminal, interrupter, experimentId -> {
        });
    }

    /**
     * The same, and {@code started} receives the experiment id once it is recorded as running, before cloudai
     * launches: a study links its trial then, so a runner killed mid-trial leaves the trial linked.
     */
    public RunResult run(RunInput input, PrintStream terminal, Consumer<Runnable> interrupter,
                         Consumer<String> started) {
        requireRunInputs(input);
        if (input.timeoutSec() != null && input.timeoutSec() <= 0) {
            throw new UserError("timeout_sec", "must be a positive number of seconds, got " + input.timeoutSec());
        }
        RunRequest.PassThrough passThrough;
        try {
            passThrough = new RunRequest.PassThrough(input.enableCacheWithoutCheck(), input.singleSbatch(),
                    input.logLevel(), input.cloudaiArgs());
        } catch (IllegalArgumentException e) {
            throw new UserError("cloudai_args", e.getMessage(), e);
        }
        RunSpec spec = new RunSpec(input.scenarioToml(), input.systemConfig(), input.testsDir(), input.hookDir(),
                input.cloudaiBin(), input.timeoutSec() == null ? null : Duration.ofSeconds(input.timeoutSec()),
                input.dryRun(), Inputs.knobs("set", input.sets()), input.notes(),
                Inputs.pairs("metadata", input.metadata()), input.runsRoot(), passThrough);
        return run(spec, terminal, interrupter, started);
    }

    /**
     * Every path argument of a run must be there before anything is recorded: cloudai would refuse a missing one
     * anyway (click, exit 2), and a typo is bad input, not a failed experiment.
     */
    private static void requireRunInputs(RunInput input) {
        requireFile("scenario", input.scenarioToml());
        requireCloudaiInputs(input.systemConfig(), input.testsDir(), input.hookDir(), input.cloudaiBin());
    }

    /**
     * The paths cloudai is given, for a run and for every trial of {@code tune}: each must be there before anything
     * is recorded (a tune that refused them after creating its study and proposing a trial left both behind).
     */
    public static void requireCloudaiInputs(Path systemConfig, Path testsDir, Path hookDir, String cloudaiBin) {
        requireFile("system_config", systemConfig);
        requireDir("tests_dir", testsDir);
        requireDir("hook_dir", hookDir);
        // a name (no '/') is looked up on PATH when cloudai is launched; not finding it there is launch_failed
        if (cloudaiBin != null && cloudaiBin.contains("/")) {
            Path bin = Path.of(cloudaiBin);
            requireFile("cloudai_bin", bin);
            if (!Files.isExecutable(bin)) {
                throw new UserError("cloudai_bin", bin + " is not executable (chmod +x it)");
            }
        }
    }

    private static void requireFile(String field, Path file) {
        if (file != null && !Files.isRegularFile(file)) {
            throw new UserError(field, file + (Files.isDirectory(file) ? " is a directory, not a file"
                    : ": no such file"));
        }
    }

    private static void requireDir(String field, Path dir) {
        if (dir != null && !Files.isDirectory(dir)) {
            throw new UserError(field, dir + (Files.exists(dir) ? " is not a directory" : ": no such directory"));
        }
    }

    private RunResult run(RunSpec spec, PrintStream terminal, Consumer<Runnable> interrupter,
                          Consumer<String> started) {
        ScenarioFile scenario;
        try {
            scenario = ScenarioFile.read(spec.scenarioToml(), spec.testsDir());
        } catch (ConfigException e) {
            throw new UserError("scenario", e.getMessage(), e);
        }
        scenario.warnings().forEach(w -> terminal.println("[autotune] warning: " + w));
        // the launch experiment is the first job, so it starts with the first test's knobs
        Map<String, Object> knobs = RunRecorder.startConfig(scenario.tests().get(0), spec.knobs());
        String backend = null;
        for (ScenarioFile.TestEntry test : scenario.tests()) {
            backend = backend != null ? backend : test.backend();
        }
        Map<String, String> metadata = new TreeMap<>(spec.metadata());
        metadata.put(SCENARIO_FILE, spec.scenarioToml().toAbsolutePath().normalize().toString());
        metadata.put("cloudai.system_config", spec.systemConfig().toAbsolutePath().normalize().toString());
        if (spec.dryRun()) {
            metadata.put(DRY_RUN, "true");
        }
        if (spec.testsDir() != null) {
            // what `run --recover` needs to read the scenario's tests as this run did
            metadata.put(TESTS_DIR, spec.testsDir().toAbsolutePath().normalize().toString());
        }
        session.catchUp();
        String id = UUID.randomUUID().toString();
        Path runDir = null;
        IOException noRunDir = null;
        try {
            runDir = RunDirs.allocate(spec.runsRoot(), scenario.name(), LocalDateTime.now());
            // recorded at the start so a viewer can follow stdout.log while the run is going; the HTTP API
            // serves only files inside this directory
            metadata.put(RUN_DIR, runDir.toAbsolutePath().normalize().toString());
        } catch (IOException e) {
            noRunDir = e;
        }
        StartExperiment launch = new StartExperiment(id, scenario.name(), backend, knobs,
                spec.scenarioToml().toAbsolutePath().normalize().toString(), scenario.sha256(), spec.notes(),
                metadata, ExperimentApi.Source.RUN, id, currentProcess());
        // held from before the run is recorded until after its last event: while it is held, no other command
        // declares the run abandoned; the OS lets go of it when this process dies, however it dies
        try (RunLiveness.Lease lease = session.db().runLiveness().tryHold(id).orElseThrow(
                () -> new IllegalStateException("the lease of new run " + id + " is held already"))) {
            return run(spec, terminal, interrupter, started, scenario, launch, runDir, noRunDir);
        }
    }

    private RunResult run(RunSpec spec, PrintStream terminal, Consumer<Runnable> interrupter, Consumer<String> started,
                          ScenarioFile scenario, StartExperiment launch, Path runDir, IOException noRunDir) {
        String id = launch.experimentId();
        session.send(launch);
        if (noRunDir != null) {
            session.send(new FailExperiment(id, FailureCategory.LAUNCH_FAILED, "cannot create a run directory under "
                    + spec.runsRoot() + ": " + noRunDir.getMessage(), null, null));
            throw new UserError("runs_dir", "cannot create a run directory under " + spec.runsRoot() + ": "
                    + noRunDir.getMessage(), noRunDir);
        }
        started.accept(id);
        session.axon().awaitProjections(StoreSession.CATCH_UP_TIMEOUT);
        terminal.println("[autotune] experiment " + session.views().list().find(id).orElseThrow().number() + " running; "
                + "artifacts in " + runDir);
        CloudaiRun run = new CloudaiRun(new RunRequest(spec.scenarioToml(), spec.systemConfig(), spec.testsDir(),
                spec.hookDir(), spec.cloudaiBin(), spec.timeout(), spec.dryRun(), runDir, spec.passThrough()), parser,
                terminal);
        interrupter.accept(run::interrupt);
        RunOutcome outcome = run.execute();
        // another command (an autotune that judged liveness by pid) may have declared this run abandoned while it
        // ran: its results are recorded all the same, after an event that says so
        if (Boolean.TRUE.equals(session.send(new ReopenExperiment(id, "its runner was alive and finished after the "
                + "experiment was declared abandoned: the results that follow arrived late")))) {
            terminal.println("[autotune] experiment " + session.views().list().find(id).map(r -> r.number()).orElse(null)
                    + " had been declared abandoned while it ran; its results are recorded now (see the timeline)");
        }
        List<String> ids = new RunRecorder(session, launch, scenario, spec.knobs()).record(outcome);
        session.axon().awaitProjections(StoreSession.CATCH_UP_TIMEOUT);
        Map<String, Integer> numbers = session.views().numbers().of(ids);
        var failed = outcome.failedSteps();
        return new RunResult(ids.stream().map(numbers::get).toList(), outcome.succeeded(), outcome.steps().size(),
                failed.size(), failed.isEmpty() ? null : failed.get(0).label() + " " + failed.get(0).failure(),
                outcome.failure() == null ? null : outcome.failure().category().code(),
                outcome.failure() == null ? null : outcome.failure().message(), outcome.logFile(), outcome.dryRun());
    }

    /**
     * What {@code run --recover} recorded.
     *
     * @param experiments the numbers of the experiments it recorded results or jobs on, in run order (empty when
     *                    everything in the run directory was recorded already)
     * @param jobs        how many jobs the run directory holds
     */
    public record Recovered(List<Integer> experiments, int jobs, Path runDir) {
    }

    /**
     * Records what the run of experiment {@code idOrNumber} left in its run directory and nobody recorded, because its
     * runner was killed hard: every job not recorded yet, and the results of jobs recorded as abandoned that have them
     * now. It holds the run's lease while it records, so a run still going (or being recovered by another command) is
     * refused, and recovering twice records nothing the second time.
     */
    public Recovered recover(String idOrNumber) {
        session.catchUp();
        ExperimentDetail picked = history.find(idOrNumber);
        if (!ExperimentApi.Source.RUN.code().equals(picked.source()) || picked.runId() == null) {
            throw new UserError("recover", "experiment " + picked.number() + " was not recorded by `autotune run`: "
                    + "it has no run directory to recover");
        }
        ExperimentDetail launch = history.find(picked.runId());
        String runDirText = launch.metadata().get(RUN_DIR);
        String scenarioText = launch.metadata().get(SCENARIO_FILE);
        if (runDirText == null || scenarioText == null) {
            throw new UserError("recover", "experiment " + launch.number() + " has no run directory recorded");
        }
        Path runDir = Path.of(runDirText);
        if (!Files.isDirectory(runDir)) {
            throw new UserError("recover", "the run directory of experiment " + launch.number() + ", " + runDir
                    + ", is gone");
        }
        Optional<RunLiveness.Lease> lease = session.db().runLiveness().tryHold(launch.experimentId());
        if (lease.isEmpty()) {
            throw new UserError("recover", "the run of experiment " + launch.number() + " is still going (or being "
                    + "recovered): its runner holds the run's lease; recover it once it has ended");
        }
        try (RunLiveness.Lease held = lease.get()) {
            return recover(launch, runDir, Path.of(scenarioText));
        }
    }

    private Recovered recover(ExperimentDetail launch, Path runDir, Path scenarioToml) {
        String testsDir = launch.metadata().get(TESTS_DIR);
        ScenarioFile scenario;
        try {
            scenario = ScenarioFile.read(scenarioToml, testsDir == null ? null : Path.of(testsDir));
        } catch (ConfigException e) {
            throw new UserError("scenario", e.getMessage(), e);
        }
        List<ExperimentSummary> ofRun = session.views().list().list(ListFilter.ALL, 0).stream()
                .filter(r -> launch.experimentId().equals(r.runId())).toList();
        Map<String, RunRecorder.Recorded> recorded = new LinkedHashMap<>();
        boolean launchHoldsAJob = false;
        for (ExperimentSummary r : ofRun) {
            if (r.status() == ExperimentStatus.RUNNING) {
                throw new UserError("recover", "experiment " + r.number() + " of this run is still running");
            }
            String label = jobLabel(history.find(r.experimentId()).metadata());
            if (label != null) {
                recorded.putIfAbsent(label, new RunRecorder.Recorded(r.experimentId(),
                        r.status() == ExperimentStatus.ABANDONED));
                launchHoldsAJob |= r.experimentId().equals(launch.experimentId());
            }
        }
        boolean dryRun = "true".equals(launch.metadata().get(DRY_RUN));
        RunOutcome outcome = CloudaiRun.recover(runDir, scenarioToml, dryRun, parser);
        // the knobs `run --set` added are those of the launch config that no test of its scenario sets
        Set<String> scenarioKnobs = new java.util.HashSet<>();
        scenario.tests().forEach(t -> scenarioKnobs.addAll(t.knobs().keySet()));
        Map<String, Object> userKnobs = new TreeMap<>();
        launch.config().forEach((k, v) -> {
            if (!scenarioKnobs.contains(k) && v != null) {
                userKnobs.put(k, v);
            }
        });
        StartExperiment start = new StartExperiment(launch.experimentId(), launch.scenario(), launch.backend(),
                launch.config(), launch.configPath(), launch.configSha256(), launch.notes(),
                RunRecorder.startMetadata(launch.metadata()), ExperimentApi.Source.RUN, launch.experimentId(), currentProcess());
        List<String> ids = new RunRecorder(session, start, scenario, userKnobs).recover(outcome, recorded,
                !launchHoldsAJob && launch.status() == ExperimentStatus.ABANDONED,
                "recovered from " + runDir + " by `autotune run --recover` after its runner was killed: the "
                        + "results that follow were found there");
        session.axon().awaitProjections(StoreSession.CATCH_UP_TIMEOUT);
        Map<String, Integer> numbers = session.views().numbers().of(ids);
        return new Recovered(ids.stream().map(numbers::get).distinct().toList(), outcome.steps().size(), runDir);
    }

    /** {@code test/iteration[/step]}, as {@code StepResult.label()} names a job, from the details a run recorded. */
    private static String jobLabel(Map<String, String> metadata) {
        String test = metadata.get("cloudai.test_id");
        String iteration = metadata.get("cloudai.iteration");
        if (test == null || iteration == null) {
            return null;
        }
        String step = metadata.get("cloudai.step");
        return test + "/" + iteration + (step == null ? "" : "/" + step);
    }

    /** One check of the cloudai CLI contract. */
    public record ContractCheck(String name, boolean ok, String detail) {
    }

    /** Checks the cloudai binary, its --help and a dry-run of these files; nothing is recorded. */
    public static List<ContractCheck> smokeCloudai(String cloudaiBin, Duration timeout, Path scenarioToml,
                                                   Path systemConfig, Path testsDir, Path hookDir) {
        return new SmokeCheck(cloudaiBin, timeout).run(scenarioToml, systemConfig, testsDir, hookDir).stream()
                .map(c -> new ContractCheck(c.name(), c.ok(), c.detail())).toList();
    }

    /**
     * Records as abandoned every running experiment whose runner is gone: nobody holds its run's lease any more.
     * Runs recorded before runners took leases (there is no lease to ask) are judged as they were then, by their
     * runner's pid on this host.
     */
    public int recoverAbandoned() {
        List<RunningExperiment> running = session.views().list().running();
        if (running.isEmpty()) {
            return 0;
        }
        RunLiveness liveness = session.db().runLiveness();
        int abandoned = 0;
        for (RunningExperiment r : running) {
            String gone = gone(r, liveness);
            if (gone == null) {
                continue;
            }
            Object result = session.send(new AbandonExperiment(r.experimentId(), gone + "; `autotune run --recover "
                    + r.number() + "` records the jobs it left in its run directory"));
            if (Boolean.TRUE.equals(result)) {
                abandoned++;
            }
        }
        if (abandoned > 0) {
            session.axon().awaitProjections(StoreSession.CATCH_UP_TIMEOUT);
        }
        return abandoned;
    }

    /**
     * Why the runner of {@code r} is known to be gone, or null while it may be alive: the store's lease and this
     * host's process table are looked at here, the judgement is the domain's ({@link RunnerLiveness#gone}).
     */
    private static String gone(RunningExperiment r, RunLiveness liveness) {
        RunnerLiveness.Lease lease = r.runId() == null ? RunnerLiveness.Lease.UNKNOWN
                : RunnerLiveness.Lease.valueOf(liveness.probe(r.runId()).name());
        String here = hostName();
        RunnerLiveness.Process process = r.pid() != null && here.equals(r.host()) ? process(r.pid())
                : RunnerLiveness.Process.ABSENT;
        return RunnerLiveness.gone(r.runId(), r.pid(), r.host(), r.processStartedAt(), lease, here, process);
    }

    /** The process with this pid on this host: whether it runs, and when it started (null when the OS does not say). */
    private static RunnerLiveness.Process process(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return RunnerLiveness.Process.ABSENT;
        }
        return new RunnerLiveness.Process(true, handle.get().info().startInstant().orElse(null));
    }

    public static ExperimentApi.RunnerProcess currentProcess() {
        ProcessHandle self = ProcessHandle.current();
        return new ExperimentApi.RunnerProcess(self.pid(), hostName(), self.info().startInstant().orElse(null));
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
