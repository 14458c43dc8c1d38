package dev.autotune.api.app;

import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.ExperimentApi.AbandonExperiment;
import dev.autotune.domain.ExperimentApi.FailExperiment;
import dev.autotune.domain.ExperimentApi.IngestReport;
import dev.autotune.domain.FailureCategory;
import dev.autotune.runner.cloudai.CloudaiRun;
import dev.autotune.runner.cloudai.RunDirs;
import dev.autotune.runner.cloudai.RunOutcome;
import dev.autotune.runner.cloudai.RunRequest;
import dev.autotune.runner.config.ConfigException;
import dev.autotune.runner.config.ConfigFile;
import dev.autotune.runner.config.ScenarioFile;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import dev.autotune.domain.Budget;
import dev.autotune.domain.KnobPath;
import dev.autotune.domain.Metric;
import dev.autotune.projections.analysis.BudgetCheck;
import dev.autotune.projections.analysis.BudgetReport;
import dev.autotune.projections.analysis.Export;
import dev.autotune.projections.analysis.ExperimentDiff;
import dev.autotune.projections.analysis.Recommendation;
import dev.autotune.projections.analysis.Recommender;
import dev.autotune.projections.ExperimentDetail;
import dev.autotune.projections.ExperimentSummary;
import dev.autotune.projections.ListProjection;
import dev.autotune.projections.Projections;
import dev.autotune.runner.report.ParsedReport;
import dev.autotune.runner.report.ReportException;
import dev.autotune.runner.report.ReportFormat;
import dev.autotune.runner.report.ReportParser;
import dev.autotune.store.AxonStore;
import dev.autotune.store.Database;
import org.axonframework.commandhandling.CommandExecutionException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The application service: every use case of autotune, shared by the CLI and the HTTP API. It opens the
 * database on first use and starts Axon only when a use case writes events or the read models are behind.
 */
public final class Autotune implements AutoCloseable {
    static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
    /** The metadata key under which `run` records its run directory (where stdout.log is written). */
    public static final String RUN_DIR = "autotune.run_dir";

    private final Path dbPath;
    private final ReportParser parser = new ReportParser();
    private Database db;
    private Projections views;
    private AxonStore axon;

    public Autotune(Path dbPath) {
        this.dbPath = dbPath;
    }

    public Path dbPath() {
        return dbPath;
    }

    synchronized Database db() {
        if (db == null) {
            db = Database.open(dbPath);
            views = Projections.of(db);
        }
        return db;
    }

    public synchronized Projections views() {
        db();
        return views;
    }

    synchronized AxonStore axon() {
        if (axon == null) {
            axon = AxonStore.start(db(), views().all());
        }
        return axon;
    }

    /**
     * Starts Axon for the life of this instance, for a long-running server: its processor polls the log every
     * 200 ms, so events appended by other processes reach the read models without anyone asking.
     */
    public void live() {
        axon();
        catchUp();
    }

    /** Brings the read models up to date with the log and closes out runs whose process died. */
    public void catchUp() {
        if (!db().projectionsCurrent()) {
            axon().awaitProjections(CATCH_UP_TIMEOUT);
        }
        recoverAbandoned();
    }

    // ---- ingest ----

    public record IngestRequest(Path report, String format, String scenario, String backend,
                                Map<String, Object> knobs, Path configPath, String configSha256,
                                String notes, Map<String, String> metadata, boolean allowDuplicate) {
    }

    public record IngestResult(int number, String experimentId, ParsedReport report) {
    }

    public IngestResult ingest(IngestRequest request) {
        ParsedReport report = parse(request.report(), request.format());
        String scenario = request.scenario() == null || request.scenario().isBlank() ? "default" : request.scenario();
        String backend = request.backend() != null ? request.backend() : backendOf(report.format());
        catchUp();
        Optional<Integer> duplicate = views().list().duplicateOf(report.sha256(), scenario, request.knobs());
        if (duplicate.isPresent() && !request.allowDuplicate()) {
            throw new DuplicateReport(request.report() + ": already recorded as experiment " + duplicate.get()
                    + " with the same scenario and config (use --allow-duplicate to record it again)", duplicate.get());
        }
        String id = UUID.randomUUID().toString();
        StartExperiment start = new StartExperiment(id, scenario, backend, request.knobs(),
                request.configPath() == null ? null : request.configPath().toAbsolutePath().normalize().toString(),
                request.configSha256(), request.notes(), request.metadata(), ExperimentApi.Source.INGEST, null, null);
        send(new IngestReport(id, start, toEvent(report)));
        axon().awaitProjections(CATCH_UP_TIMEOUT);
        int number = views().list().find(id).orElseThrow().number();
        return new IngestResult(number, id, report);
    }

    /** Top-level keys of a config file that describe it rather than tune anything. */
    private static final Set<String> NOT_KNOBS = Set.of("scenario", "backend", "name",
            "description", "test_template_name");

    /** The knob values a config file holds, for `ingest --config` and the HTTP upload's config part. */
    public static Map<String, Object> knobsOf(ConfigFile config) {
        Map<String, Object> knobs = new LinkedHashMap<>();
        config.values().forEach((k, v) -> {
            if (!NOT_KNOBS.contains(k)) {
                knobs.put(k, v);
            }
        });
        return knobs;
    }

    public ParsedReport parse(Path file, String format) {
        try {
            return format == null ? parser.parse(file) : parser.parse(file, ReportFormat.parse(format));
        } catch (ReportException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError("--format: " + e.getMessage(), e);
        }
    }

    public static ExperimentApi.Report toEvent(ParsedReport report) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        report.metrics().forEach((m, v) -> metrics.put(m.key(), v));
        return new ExperimentApi.Report(report.path().toAbsolutePath().normalize().toString(), report.sha256(),
                report.format().code(), report.warnings(), new TreeMap<>(metrics));
    }

    /** The serving engine a report format implies, when the user did not say. */
    static String backendOf(ReportFormat format) {
        return switch (format) {
            case VLLM_JSON -> "vllm";
            case SGLANG_JSONL -> "sglang";
            default -> null;
        };
    }

    // ---- run ----

    public record RunSpec(Path scenarioToml, Path systemConfig, Path testsDir, Path hookDir, String cloudaiBin,
                          Duration timeout, boolean dryRun, Map<String, Object> knobs, String notes,
                          Map<String, String> metadata, Path runsRoot) {
    }

    public record RunResult(List<Integer> experiments, RunOutcome outcome) {
    }

    /**
     * Records the experiment as running, launches cloudai, and records what it left behind. {@code launched}
     * receives the run before it starts, so a signal handler can interrupt it.
     */
    public RunResult run(RunSpec spec, PrintStream terminal, Consumer<CloudaiRun> launched) {
        return run(spec, terminal, launched, experimentId -> {
        });
    }

    /**
     * The same, and {@code started} receives the experiment id once it is recorded as running, before cloudai
     * launches: a study links its trial then, so a runner killed mid-trial leaves the trial linked.
     */
    public RunResult run(RunSpec spec, PrintStream terminal, Consumer<CloudaiRun> launched, Consumer<String> started) {
        ScenarioFile scenario;
        try {
            scenario = ScenarioFile.read(spec.scenarioToml(), spec.testsDir());
        } catch (ConfigException e) {
            throw new UserError(e.getMessage(), e);
        }
        scenario.warnings().forEach(w -> terminal.println("[autotune] warning: " + w));
        Map<String, Object> knobs = new TreeMap<>();
        String backend = null;
        for (ScenarioFile.TestEntry test : scenario.tests()) {
            test.knobs().forEach((k, v) -> {
                // a sweep dimension has one value per step; the step records its own
                if (!test.sweepKnobs().contains(k)) {
                    knobs.put(k, v);
                }
            });
            backend = backend != null ? backend : test.backend();
        }
        knobs.putAll(spec.knobs());
        Map<String, String> metadata = new TreeMap<>(spec.metadata());
        metadata.put("cloudai.scenario_file", spec.scenarioToml().toAbsolutePath().normalize().toString());
        metadata.put("cloudai.system_config", spec.systemConfig().toAbsolutePath().normalize().toString());
        if (spec.dryRun()) {
            metadata.put("cloudai.dry_run", "true");
        }
        catchUp();
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
        send(launch);
        if (noRunDir != null) {
            send(new FailExperiment(id, FailureCategory.LAUNCH_FAILED, "cannot create a run directory under "
                    + spec.runsRoot() + ": " + noRunDir.getMessage(), null, null));
            throw new UserError("cannot create a run directory under " + spec.runsRoot() + ": "
                    + noRunDir.getMessage(), noRunDir);
        }
        started.accept(id);
        axon().awaitProjections(CATCH_UP_TIMEOUT);
        terminal.println("[autotune] experiment " + views().list().find(id).orElseThrow().number() + " running; "
                + "artifacts in " + runDir);
        CloudaiRun run = new CloudaiRun(new RunRequest(spec.scenarioToml(), spec.systemConfig(), spec.testsDir(),
                spec.hookDir(), spec.cloudaiBin(), spec.timeout(), spec.dryRun(), runDir), parser, terminal);
        launched.accept(run);
        RunOutcome outcome = run.execute();
        List<String> ids = new RunRecorder(this, launch).record(outcome);
        axon().awaitProjections(CATCH_UP_TIMEOUT);
        List<Integer> numbers = ids.stream().map(x -> views().list().find(x).orElseThrow().number()).toList();
        return new RunResult(numbers, outcome);
    }

    // ---- queries ----

    public List<ExperimentSummary> list(ListProjection.Filter filter) {
        return list(filter, 0);
    }

    /** The matching experiments; with {@code last > 0} only the newest {@code last} of them. */
    public List<ExperimentSummary> list(ListProjection.Filter filter, int last) {
        catchUp();
        return views().list().list(filter, last);
    }

    /** The list trimmed to a terminal table's columns, with these metrics; see {@link ListProjection#lines}. */
    public List<ListProjection.Line> lines(ListProjection.Filter filter, List<String> metrics, int last) {
        catchUp();
        return views().list().lines(filter, metrics, last);
    }

    public ExperimentDetail show(String idOrNumber) {
        catchUp();
        return views().detail().find(idOrNumber.trim())
                .orElseThrow(() -> new NotFound("no experiment " + idOrNumber + " in " + dbPath));
    }

    /** One page of the list, sorted and cut by the database. */
    public ListProjection.Page page(ListProjection.Filter filter, ListProjection.Sort sort, int limit, int offset) {
        catchUp();
        return views().list().page(filter, sort, limit, offset);
    }

    /** The scenarios, backends and statuses recorded so far. */
    public Map<String, List<String>> facets() {
        catchUp();
        return views().list().facets();
    }

    /** Events after {@code index} that the read models already include, oldest first, at most {@code limit}. */
    public List<ListProjection.LoggedEvent> eventsAfter(long index, int limit) {
        return views().list().eventsAfter(index, db().projectionPosition(), limit);
    }

    /** How far the read models have read the event log. */
    public long projectedPosition() {
        return db().projectionPosition();
    }

    public BudgetReport check(List<Budget> budgets, String scenario) {
        if (budgets.isEmpty()) {
            throw new UserError("no budgets given: pass --latency-budget-ms, --ttft-budget-ms, "
                    + "--min-throughput-tokens-per-sec, --max-failure-rate or --metric name<=value");
        }
        catchUp();
        return BudgetCheck.check(views().budget().completed(scenario), budgets);
    }

    public List<Recommendation> recommend(List<String> knobs, List<Budget> budgets, Metric objective, String scenario) {
        if (knobs.isEmpty()) {
            throw new UserError("name at least one --knob, e.g. --knob serving.batch_size");
        }
        for (String k : knobs) {
            try {
                new KnobPath(k);
            } catch (IllegalArgumentException e) {
                throw new UserError("--knob: " + e.getMessage(), e);
            }
        }
        catchUp();
        try {
            return Recommender.recommend(views().recommendation().completed(scenario), knobs, budgets, objective);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    public ExperimentDiff diff(String a, String b) {
        return ExperimentDiff.of(show(a), show(b));
    }

    public enum ExportFormat { CSV, JSON, MARKDOWN }

    public enum ExportTemplate { ISSUE, PR, BENCHMARK_REPORT }

    public String export(ExportFormat format, ExportTemplate template, String scenario, List<Budget> budgets,
                         List<String> knobs) {
        List<ExperimentSummary> rows = list(new ListProjection.Filter(scenario, null, null));
        if (template == null) {
            return switch (format) {
                case CSV -> Export.csv(rows);
                case JSON -> Export.json(rows);
                case MARKDOWN -> Export.markdown(rows);
            };
        }
        BudgetReport budgetReport = budgets.isEmpty() ? null : check(budgets, scenario);
        List<Recommendation> recommendations = knobs.isEmpty() || rows.isEmpty() ? null
                : recommend(knobs, budgets, Recommender.DEFAULT_OBJECTIVE, scenario);
        return switch (template) {
            case ISSUE -> Export.issue(rows, budgetReport, recommendations);
            case PR -> Export.pullRequest(rows, budgetReport, recommendations);
            case BENCHMARK_REPORT -> Export.benchmarkReport(rows, budgetReport, recommendations, knobs);
        };
    }

    /** Replays the whole log into empty read models. */
    public long rebuild(LongConsumer progress) {
        axon().rebuild(Duration.ofHours(2), progress);
        return db().head();
    }

    public long eventCount() {
        return db().head();
    }

    // ---- runs whose process died ----

    /** Records as abandoned every running experiment on this host whose runner process no longer exists. */
    public int recoverAbandoned() {
        List<ListProjection.RunningExperiment> running = views().list().running();
        if (running.isEmpty()) {
            return 0;
        }
        String host = hostName();
        int abandoned = 0;
        for (ListProjection.RunningExperiment r : running) {
            if (r.pid() == null || !host.equals(r.host()) || alive(r.pid(), r.processStartedAt())) {
                continue;
            }
            Object result = send(new AbandonExperiment(r.experimentId(),
                    "runner process " + r.pid() + " on " + r.host() + " is gone (killed or crashed)"));
            if (Boolean.TRUE.equals(result)) {
                abandoned++;
            }
        }
        if (abandoned > 0) {
            axon().awaitProjections(CATCH_UP_TIMEOUT);
        }
        return abandoned;
    }

    static boolean alive(long pid, String startedAt) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        if (startedAt == null) {
            return true;
        }
        // a recycled pid belongs to a different process started at a different time
        Optional<Instant> start = handle.get().info().startInstant();
        return start.isEmpty() || Math.abs(Duration.between(start.get(), Instant.parse(startedAt)).toMillis()) < 2000;
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

    public Object send(Object command) {
        try {
            return axon().commands().sendAndWait(command);
        } catch (CommandExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new UserError(cause.getMessage(), e);
        }
    }


    @Override
    public synchronized void close() {
        if (axon != null) {
            axon.close();
            axon = null;
        }
        if (db != null) {
            db.close();
            db = null;
        }
    }
}
