package dev.autotune.api.app;

import dev.autotune.api.render.export.Export;
import dev.autotune.domain.Budget;
import dev.autotune.domain.budget.BudgetProfile;
import dev.autotune.domain.budget.BudgetProfileApi;
import dev.autotune.domain.budget.BudgetProfileApi.DeleteBudgetProfile;
import dev.autotune.domain.budget.BudgetProfileApi.SaveBudgetProfile;
import dev.autotune.domain.ExperimentApi.AbandonExperiment;
import dev.autotune.domain.ExperimentApi.FailExperiment;
import dev.autotune.domain.ExperimentApi.IngestReport;
import dev.autotune.domain.ExperimentApi.ReopenExperiment;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.KnobNames;
import dev.autotune.domain.PathKnobs;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.BudgetCheck;
import dev.autotune.domain.analysis.BudgetReport;
import dev.autotune.domain.analysis.ExperimentDiff;
import dev.autotune.domain.analysis.InvalidInput;
import dev.autotune.domain.analysis.KnobValues;
import dev.autotune.domain.analysis.Numbers;
import dev.autotune.domain.study.ConfigValues;
import dev.autotune.domain.analysis.Measured;
import dev.autotune.domain.analysis.Recommendation;
import dev.autotune.domain.analysis.Recommender;
import dev.autotune.domain.analysis.Sensitivity;
import dev.autotune.domain.query.ExperimentDetail;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListColumn;
import dev.autotune.domain.query.Where;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.domain.query.ListPage;
import dev.autotune.domain.query.ListQuery;
import dev.autotune.domain.query.ListSort;
import dev.autotune.domain.query.LoggedEvent;
import dev.autotune.domain.query.RunningExperiment;
import dev.autotune.projections.BudgetProfileProjection;
import dev.autotune.projections.ExperimentList;
import dev.autotune.projections.Projections;
import dev.autotune.runner.cloudai.CloudaiRun;
import dev.autotune.runner.cloudai.RunDirs;
import dev.autotune.runner.cloudai.RunOutcome;
import dev.autotune.runner.cloudai.RunRequest;
import dev.autotune.runner.cloudai.SmokeCheck;
import dev.autotune.runner.config.ConfigDeriver;
import dev.autotune.runner.config.ConfigException;
import dev.autotune.runner.config.ConfigFile;
import dev.autotune.runner.config.ScenarioFile;
import dev.autotune.runner.config.TomlValues;
import dev.autotune.runner.report.ParsedReport;
import dev.autotune.runner.report.ReportException;
import dev.autotune.runner.report.ReportFacts;
import dev.autotune.runner.report.ReportFormat;
import dev.autotune.runner.report.ReportParser;
import dev.autotune.store.AxonStore;
import dev.autotune.store.Database;
import dev.autotune.store.EventLog;
import dev.autotune.store.EventTransfer;
import dev.autotune.store.Json;
import dev.autotune.store.RunLiveness;
import org.axonframework.commandhandling.CommandExecutionException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The application service: every use case of autotune, shared by the CLI and the HTTP API. It opens the
 * database on first use and starts Axon only when a use case writes events or the read models are behind.
 */
public final class Autotune implements AutoCloseable {
    static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
    private static final long RECOVERY_INTERVAL_NANOS = 1_000_000_000L;
    /** The metadata key under which `run` records its run directory (where stdout.log is written). */
    public static final String RUN_DIR = "autotune.run_dir";
    static final String SCENARIO_FILE = "cloudai.scenario_file";
    static final String TESTS_DIR = "cloudai.tests_dir";
    static final String DRY_RUN = "cloudai.dry_run";

    private final StoreLocation database;
    private final ReportParser parser;
    private Database db;
    private Projections views;
    private AxonStore axon;
    private volatile boolean live;
    private volatile long lastRecovery = System.nanoTime() - RECOVERY_INTERVAL_NANOS - 1;

    /** The report size cap ingest applies unless told otherwise (ingest --max-report-mb). */
    public static final long DEFAULT_MAX_REPORT_BYTES = ReportParser.DEFAULT_MAX_BYTES;

    public Autotune(Path dbPath) {
        this(StoreLocation.file(dbPath));
    }

    public Autotune(Path dbPath, long maxReportBytes) {
        this(StoreLocation.file(dbPath), maxReportBytes);
    }

    public Autotune(StoreLocation database) {
        this(database, ReportParser.DEFAULT_MAX_BYTES);
    }

    /** @param maxReportBytes the largest report file ingest reads (ingest --max-report-mb) */
    public Autotune(StoreLocation database, long maxReportBytes) {
        this.database = database;
        this.parser = new ReportParser(maxReportBytes);
    }

    /** The database; its {@code toString()} masks a password, so it may go into any message. */
    public StoreLocation database() {
        return database;
    }

    /**
     * For a command that only reads: a database file that does not exist is a typo, not a new empty history, so it
     * is refused instead of created. A server database is opened as given (it says itself when it is not there).
     */
    public static Autotune existing(StoreLocation database) {
        Path dbPath = database.isServer() ? null : database.url().file();
        if (dbPath != null && !Files.isRegularFile(dbPath)) {
            throw new UserError("db", dbPath + " does not exist"
                    + (Files.isDirectory(dbPath) ? " as a file (it is a directory)" : "")
                    + "; reading commands never create a database: record into it first (autotune ingest) or pass "
                    + "the right file");
        }
        return new Autotune(database);
    }

    synchronized Database db() {
        if (db == null) {
            // a mistyped --db would otherwise silently start a new, empty history
            Path file = database.isServer() ? null : database.url().file();
            boolean creating = file != null && !Files.exists(file);
            db = Database.open(database.url());
            if (creating) {
                System.err.println("autotune: created new database " + file);
            }
            views = Projections.of(db);
        }
        return db;
    }

    synchronized Projections views() {
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
     * Starts Axon for the life of this instance, for a long-running server. Its event feed asks for new events
     * every 200 ms ({@link #eventsAfter}), which projects what other processes appended, so they reach the read
     * models without anyone else asking; every query does the same before it reads.
     */
    public void live() {
        axon();
        live = true;
        catchUp();
    }

    /**
     * Brings the read models up to date with the log, closes out runs whose process died, and returns the
     * position in the log the read models now stand at (what a cache of rendered answers keys on). Every query
     * below does this once per call. A live server looks for dead runners at most once a second, as often as
     * it looks for other processes' events: a page served from cache then costs one read.
     */
    public long catchUp() {
        long position = db().currentPosition();
        if (position < 0) {
            axon().awaitProjections(CATCH_UP_TIMEOUT);
            position = db().projectionVersion();
        }
        long now = System.nanoTime();
        if (!live || now - lastRecovery > RECOVERY_INTERVAL_NANOS) {
            lastRecovery = now;
            if (recoverAbandoned() > 0) {
                position = db().projectionVersion();
            }
        }
        return position;
    }

    // ---- ingest ----

    /**
     * An ingest as the user gave it: paths and strings, from `autotune ingest` or the upload form. The knobs
     * come from the config file (without the keys that describe it), then the {@code set} pairs on top; the
     * scenario and backend from the request, else the config.
     *
     * @param sets     {@code knob=value} pairs, values typed like TOML
     * @param metadata {@code key=value} pairs, kept as strings
     * @param within   for an upload, the directory it was unpacked into: a file the report names outside it refuses
     *                 the upload; null for files on the user's own disk, where such a file is only not read, with a
     *                 warning
     */
    public record IngestInput(Path report, String format, Path config, String scenario, String backend,
                              List<String> sets, String notes, List<String> metadata, boolean allowDuplicate,
                              Path within) {
        public IngestInput(Path report, String format, Path config, String scenario, String backend,
                           List<String> sets, String notes, List<String> metadata, boolean allowDuplicate) {
            this(report, format, config, scenario, backend, sets, notes, metadata, allowDuplicate, null);
        }
    }

    /** An ingest with every value typed, for callers that hold them already (tests, the demo). */
    public record IngestRequest(Path report, String format, String scenario, String backend,
                                Map<String, Object> knobs, Path configPath, String configSha256,
                                String notes, Map<String, String> metadata, boolean allowDuplicate, Path within) {
        public IngestRequest(Path report, String format, String scenario, String backend,
                             Map<String, Object> knobs, Path configPath, String configSha256,
                             String notes, Map<String, String> metadata, boolean allowDuplicate) {
            this(report, format, scenario, backend, knobs, configPath, configSha256, notes, metadata, allowDuplicate,
                    null);
        }
    }

    /**
     * What an ingest recorded: the experiment and what was read from the report.
     *
     * @param format  the report format's code, e.g. {@code vllm-json}
     * @param metrics the normalized metrics, in {@link Metric} order
     */
    /**
     * What an ingest recorded.
     *
     * @param rows for a sweep's trajectory, what became of each row ("step 5: skipped, a reuse of step 2 ..."), in
     *             order; empty otherwise
     */
    public record IngestResult(int number, String experimentId, Path reportPath, String format,
                               Map<Metric, Double> metrics, List<String> warnings, List<Integer> numbers,
                               List<String> rows) {
        public IngestResult {
            numbers = numbers == null ? List.of(number) : List.copyOf(numbers);
            rows = rows == null ? List.of() : List.copyOf(rows);
        }

        /** One report, one experiment. */
        public IngestResult(int number, String experimentId, Path reportPath, String format,
                            Map<Metric, Double> metrics, List<String> warnings) {
            this(number, experimentId, reportPath, format, metrics, warnings, null, null);
        }

        /** Whether some trajectory row could not be recorded (its results are missing). */
        public boolean refusedRows() {
            return rows.stream().anyMatch(r -> r.contains(": refused"));
        }

        public Double metric(Metric m) {
            return metrics.get(m);
        }
    }

    /** The file name of CloudAI's DSE trajectory, which is ingested with the step dirs beside it. */
    public static final String TRAJECTORY = "trajectory.csv";
    /** The format code an ingested trajectory is reported under. */
    public static final String TRAJECTORY_FORMAT = "cloudai-trajectory";

    /**
     * The ingest with the knob values {@code pattern} reads from the report's file or directory names added as
     * {@code --set} pairs (after the ones given, which win). A name the pattern uses is recorded as the knob of the
     * scenario it resolves to ({@code tensor_parallel_size} as {@code cmd_args.serve.tensor_parallel_size} when the
     * scenario has that knob; see {@link KnobNames#resolve}), else as written.
     *
     * @throws UserError naming {@code knobs_from_path} when no name of the file matches
     */
    public IngestInput withKnobsFromPath(IngestInput input, PathKnobs pattern) {
        Path file = input.report().toAbsolutePath().normalize();
        List<String> names = new ArrayList<>();
        String stem = file.getFileName().toString();
        names.add(stem.contains(".") ? stem.substring(0, stem.lastIndexOf('.')) : stem);
        for (Path p = file.getParent(); p != null && p.getFileName() != null; p = p.getParent()) {
            names.add(p.getFileName().toString());
        }
        Map<String, Object> found = pattern.match(names).orElseThrow(() -> new UserError("knobs_from_path",
                input.report() + ": its name does not match '" + pattern + "'"));
        String scenario = input.scenario() == null ? "default" : input.scenario();
        java.util.Set<String> known = new java.util.TreeSet<>();
        views().list().list(new ListFilter(scenario, null, null, true), 0).forEach(e -> known.addAll(e.knobs().keySet()));
        List<String> sets = new ArrayList<>(input.sets() == null ? List.of() : input.sets());
        java.util.Set<String> given = new java.util.HashSet<>();
        sets.forEach(kv -> given.add(KnobNames.canonical(kv.substring(0, Math.max(0, kv.indexOf('='))).strip())));
        found.forEach((name, value) -> {
            String knob = KnobNames.resolve(name, known).knob();
            String key = knob == null ? name : knob;
            if (!given.contains(KnobNames.canonical(key))) {
                sets.add(key + "=" + (value instanceof String v ? "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : value));
            }
        });
        return new IngestInput(input.report(), input.format(), input.config(), input.scenario(), input.backend(), sets,
                input.notes(), input.metadata(), input.allowDuplicate());
    }

    public IngestResult ingest(IngestInput input) {
        ConfigFile config = input.config() == null ? null : readConfig(input.config());
        Map<String, Object> knobs = config == null ? new LinkedHashMap<>() : knobsOf(config);
        knobs.putAll(Inputs.knobs("set", input.sets()));
        String scenario = input.scenario() != null ? input.scenario() : config == null ? null : config.scenario();
        String backend = input.backend() != null ? input.backend() : config == null ? null : config.backend();
        return ingest(new IngestRequest(input.report(), input.format(), scenario, backend, knobs,
                config == null ? null : config.path(), config == null ? null : config.sha256(), input.notes(),
                Inputs.pairs("metadata", input.metadata()), input.allowDuplicate(), input.within()));
    }

    public IngestResult ingest(IngestRequest request) {
        if (isTrajectory(request)) {
            return ingestTrajectory(request);
        }
        ParsedReport report = parse(request.report(), request.format());
        String scenario = request.scenario() == null || request.scenario().isBlank() ? "default" : request.scenario();
        String backend = request.backend() != null ? request.backend() : backendOf(report.format());
        List<String> warnings = new ArrayList<>(report.warnings());
        Map<String, Object> knobs = withStatedLoad(request.knobs(), report.facts(), warnings);
        String id = UUID.randomUUID().toString();
        StartExperiment start = new StartExperiment(id, scenario, backend, knobs,
                request.configPath() == null ? null : request.configPath().toAbsolutePath().normalize().toString(),
                request.configSha256(), request.notes(), request.metadata(), ExperimentApi.Source.INGEST, null, null);
        IngestReport ingest = new IngestReport(id, start, toEvent(report));
        // The duplicate checks and the append are one step across processes: both happen under the write lock (on
        // PostgreSQL: locks on the report's hash and run fingerprint, what the checks look up), on read models
        // brought up to the end of the log first, and the appended events are projected in the append's own
        // transaction, so the read models include them as soon as this returns.
        axon().appendAndProject(duplicateKeys(report.sha256(), report.facts().runFingerprint()), () -> {
            if (request.allowDuplicate()) {
                return;
            }
            ExperimentList.Earlier earlier = views().list().recordedBefore(report.sha256(),
                    report.facts().runFingerprint(), scenario, knobs);
            Optional<Integer> duplicate = earlier.sameReport();
            if (duplicate.isPresent()) {
                throw new DuplicateReport(request.report() + ": already recorded as experiment " + duplicate.get()
                        + " with the same scenario and config", duplicate.get());
            }
            Optional<Integer> sameRun = sameRun(earlier.sameRun(), knobs);
            if (sameRun.isPresent()) {
                throw new DuplicateReport(request.report() + ": the same benchmark run is already recorded as"
                        + " experiment " + sameRun.get() + " (this is the run saved in another format) with the same"
                        + " scenario and config", sameRun.get());
            }
        }, () -> send(ingest));
        // the number alone: the list row's JSON columns are not needed here
        int number = views().numbers().of(List.of(id)).get(id);
        return new IngestResult(number, id, report.path(), report.format().code(), report.metrics(), warnings);
    }

    /**
     * What the duplicate checks of a report look up, as the keys of the write's locks on PostgreSQL: a second
     * write of the same report, or of the same run in another format, waits for the first to commit and then
     * finds it (see {@code AxonStore.appendAndProject}).
     */
    public static List<String> duplicateKeys(String reportSha256, String runFingerprint) {
        List<String> keys = new ArrayList<>();
        keys.add("report:" + reportSha256);
        if (runFingerprint != null) {
            keys.add("run:" + runFingerprint);
        }
        return keys;
    }

    /**
     * The knobs with the load settings the report states (concurrency, request rate) added, unless the user set
     * that knob under any of its names (--set or --config wins, e.g. {@code bench_cmd_args.max_concurrency}): what a
     * report says it ran with is what users otherwise retype. A report fact and a config value of the same knob
     * are one knob ({@link KnobNames}); when they disagree, {@code disagreements} gets one line, the event keeps
     * both (the config in ExperimentStarted, the fact in ReportParsed) and the views use the config value.
     */
    static Map<String, Object> withStatedLoad(Map<String, Object> knobs, ReportFacts facts, List<String> disagreements) {
        Map<String, Object> all = new LinkedHashMap<>(knobs);
        for (String key : ReportFacts.KNOB_LIKE) {
            Object stated = facts.workload().get(key);
            if (stated == null) {
                continue;
            }
            String knob = KnobNames.canonical(key);
            Optional<Map.Entry<String, Object>> set = knobs.entrySet().stream()
                    .filter(e -> KnobNames.canonical(e.getKey()).equals(knob)).reduce((a, b) -> b);
            if (set.isEmpty()) {
                all.put(key, stated);
            } else if (!KnobValues.same(ConfigValues.canonical(set.get().getValue()),
                    ConfigValues.canonical(stated))) {
                disagreements.add("the report states " + key + " " + Numbers.format(stated) + " but the config sets "
                        + set.get().getKey() + "=" + Numbers.format(set.get().getValue()) + "; views use the config value "
                        + "(show has both)");
            }
        }
        return all;
    }

    /**
     * An earlier experiment of this scenario that recorded the same benchmark run (maybe from another of the
     * tool's formats) with the same config. The load settings are left out of the comparison: they are the run's
     * own, and one format states them (AIPerf's JSON) where another does not (its CSV).
     */
    private static Optional<Integer> sameRun(List<ExperimentSummary> sameRun, Map<String, Object> knobs) {
        if (sameRun.isEmpty()) {
            return Optional.empty();
        }
        String config = configWithoutLoad(knobs);
        return sameRun.stream()
                .filter(earlier -> configWithoutLoad(earlier.knobs()).equals(config))
                .map(ExperimentSummary::number).findFirst();
    }

    private static String configWithoutLoad(Map<String, Object> knobs) {
        TreeMap<String, Object> config = new TreeMap<>(KnobNames.config(knobs));
        config.remove(KnobNames.CONCURRENCY);
        config.remove(KnobNames.REQUEST_RATE);
        return Json.write(config);
    }

    private static boolean isTrajectory(IngestRequest request) {
        Path name = request.report().getFileName();
        return TRAJECTORY_FORMAT.equals(request.format())
                || request.format() == null && name != null && name.toString().equals(TRAJECTORY);
    }

    /**
     * A CloudAI DSE sweep recorded after the fact from its {@code trajectory.csv} and the step dirs beside it: one
     * experiment per step, read and recorded by the same code as the steps of a sweep {@code run} launched (knobs
     * from the step's test-run.toml and its trajectory action, reports per workload, its verdict, its details),
     * linked by one run id. All steps are recorded in one atomic append; a sweep whose first step's report is
     * already recorded in this scenario is refused as a duplicate unless allowed.
     */
    private IngestResult ingestTrajectory(IngestRequest request) {
        return ingestTrajectory(request, readSweep(request.report(), request.within()), List.of(), ids -> {
        });
    }

    /** A DSE sweep as read from its trajectory.csv and step dirs, before anything is recorded. */
    record Sweep(Path csv, dev.autotune.runner.cloudai.Trajectory trajectory, Set<String> swept,
                 List<dev.autotune.runner.cloudai.StepResult> steps, List<String> warnings) {
    }

    /**
     * What a file in a results dir cloudai wrote is when it is one of CloudAI's own files (its test-run.toml, the
     * sweep's best config, ...) rather than a report; null for a report. A bulk ingest of a directory skips them.
     */
    public static String cloudaiOwnFile(Path file) {
        return dev.autotune.runner.cloudai.CloudaiFiles.ownFile(file);
    }

    /**
     * Reads a sweep's trajectory and its step dirs; refuses (as the {@code report}'s fault) one with neither.
     * {@code within}, for an upload, is the directory every file a step reads must lie in (null: a user's own files).
     */
    Sweep readSweep(Path csv, Path within) {
        if (!Files.isRegularFile(csv)) {
            throw new UserError("report", csv + ": file not found");
        }
        Set<String> swept = new java.util.TreeSet<>();
        dev.autotune.runner.cloudai.Trajectory trajectory;
        try {
            trajectory = dev.autotune.runner.cloudai.Trajectory.read(csv);
            if (trajectory.rows().isEmpty()) {
                throw new UserError("report", csv + ": no step rows under the step,action,reward,observation header"
                        + (trajectory.problems().isEmpty() ? "" : " (" + trajectory.problems().get(0) + ")"));
            }
            trajectory.rows().forEach(r -> swept.addAll(r.action().keySet()));
        } catch (IOException e) {
            throw new UserError("report", csv + ": " + e.getMessage(), e);
        }
        CloudaiRun.Sweep sweep = CloudaiRun.readSweep(csv, parser, within);
        if (within != null && !sweep.outside().isEmpty()) {
            // an upload names a server file: refused, so nothing of it is read, recorded or served
            var o = sweep.outside().get(0);
            Path boundary = sweep.boundary();
            throw new UserError("report", "the zip entry '" + entryName(boundary, o.source()) + "' "
                    + (o.key() == null ? "links to" : "names (" + o.key() + ")") + " '"
                    + (o.file().startsWith(boundary) ? entryName(boundary, o.file()) : o.file()) + "', outside the"
                    + " upload; every file a step reads must be inside the zip");
        }
        List<dev.autotune.runner.cloudai.StepResult> steps = sweep.steps();
        if (steps.isEmpty()) {
            throw new UserError("report", csv + ": no step directories (<iteration>/<step>/) beside the trajectory;"
                    + " ingest the trajectory inside the results dir cloudai wrote");
        }
        return new Sweep(csv, trajectory, swept, steps, sweep.warnings());
    }

    /**
     * Records a sweep read by {@link #readSweep}; {@code alsoAppend} gets the ids of the experiments recorded and
     * sends whatever else belongs to the same atomic append (a DSE agent's step is linked to its study's trial in it),
     * under the store's locks on {@code moreKeys} too (the study's key for such a step).
     */
    IngestResult ingestTrajectory(IngestRequest request, Sweep sweep, List<String> moreKeys,
                                  java.util.function.Consumer<List<String>> alsoAppend) {
        Path csv = sweep.csv();
        List<dev.autotune.runner.cloudai.StepResult> steps = sweep.steps();
        String scenario = request.scenario() == null || request.scenario().isBlank() ? "default" : request.scenario();
        String runId = UUID.randomUUID().toString();
        String id = UUID.randomUUID().toString();
        StartExperiment launch = new StartExperiment(id, scenario, request.backend(), request.knobs(),
                request.configPath() == null ? null : request.configPath().toAbsolutePath().normalize().toString(),
                request.configSha256(), request.notes(), request.metadata(), ExperimentApi.Source.INGEST, runId, null);
        RunRecorder recorder = RunRecorder.forSweep(this, launch, request.knobs(), sweep.swept());
        String firstReport = steps.stream().flatMap(s -> s.reports().stream()).map(ParsedReport::sha256)
                .findFirst().orElse(null);
        List<String> keys = new ArrayList<>(firstReport == null ? List.of() : duplicateKeys(firstReport, null));
        keys.addAll(moreKeys);
        List<String> ids = axon().appendAndProject(keys.isEmpty() ? null : keys, () -> {
            Optional<Integer> earlier = firstReport == null ? Optional.empty()
                    : views().list().withReport(firstReport, scenario);
            if (earlier.isPresent() && !request.allowDuplicate()) {
                throw new DuplicateReport(csv + ": this sweep is already recorded (its first step's report is"
                        + " experiment " + earlier.get() + ")", earlier.get());
            }
        }, () -> {
            send(launch);
            List<String> recorded = recorder.record(new RunOutcome(0, null, null, csv.getParent(), steps, null, false));
            alsoAppend.accept(recorded);
            return recorded;
        });
        Map<String, Integer> byId = views().numbers().of(ids);
        List<Integer> numbers = ids.stream().map(byId::get).toList();
        List<String> warnings = new ArrayList<>(sweep.warnings());
        steps.stream().filter(s -> !s.succeeded())
                .forEach(s -> warnings.add("step " + s.label() + " failed: " + s.failure()));
        return new IngestResult(numbers.get(0), id, csv, TRAJECTORY_FORMAT, Map.of(), warnings, numbers,
                rowAccount(sweep.trajectory(), steps, numbers));
    }

    /** What became of each trajectory row: recorded (as which experiment), skipped as a reuse, or refused. */
    private static List<String> rowAccount(dev.autotune.runner.cloudai.Trajectory trajectory,
                                           List<dev.autotune.runner.cloudai.StepResult> steps, List<Integer> numbers) {
        Map<Integer, Integer> experimentOfStep = new HashMap<>();
        int k = 0;
        for (var s : steps) {
            experimentOfStep.put(s.step(), numbers.get(k));
            k += Math.max(1, s.phases().size()); // a multi-phase step records one experiment per phase
        }
        Map<Integer, String> without = trajectory.rowsWithoutStepDir(experimentOfStep.keySet());
        List<String> out = new ArrayList<>();
        for (var row : trajectory.rows()) {
            Integer n = experimentOfStep.get(row.step());
            out.add("step " + row.step() + ": " + (n != null ? "recorded as experiment " + n
                    : without.get(row.step())));
        }
        return out;
    }

    /** A path inside an upload as the zip named it. */
    private static String entryName(Path within, Path file) {
        return file.startsWith(within) ? within.relativize(file).toString().replace('\\', '/') : file.toString();
    }

    /** Top-level keys of a config file that describe it rather than tune anything. */
    private static final Set<String> NOT_KNOBS = Set.of("scenario", "backend", "name",
            "description", "test_template_name");

    /** The knob values a config file holds: every value but the keys that describe the file. */
    static Map<String, Object> knobsOf(ConfigFile config) {
        Map<String, Object> knobs = new LinkedHashMap<>();
        config.values().forEach((k, v) -> {
            if (!NOT_KNOBS.contains(k)) {
                knobs.put(k, v);
            }
        });
        return knobs;
    }

    /** The scenario a config file names, or null: what an ingest with this config records under by default. */
    public static String scenarioOf(Path config) {
        return readConfig(config).scenario();
    }

    private static ConfigFile readConfig(Path file) {
        try {
            return ConfigFile.read(file);
        } catch (ConfigException e) {
            throw new UserError("config", e.getMessage(), e);
        }
    }

    ParsedReport parse(Path file, String format) {
        try {
            return format == null ? parser.parse(file) : parser.parse(file, ReportFormat.parse(format));
        } catch (ReportException e) {
            throw new UserError("report", e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError("format", e.getMessage(), e);
        }
    }

    static ExperimentApi.Report toEvent(ParsedReport report) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        report.metrics().forEach((m, v) -> metrics.put(m.key(), v));
        ReportFacts facts = report.facts();
        return new ExperimentApi.Report(report.path().toAbsolutePath().normalize().toString(), report.sha256(),
                report.format().code(), report.warnings(), new TreeMap<>(metrics), facts.workload(),
                facts.measuredAt(), facts.runFingerprint());
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
        requireFile("system_config", input.systemConfig());
        requireDir("tests_dir", input.testsDir());
        requireDir("hook_dir", input.hookDir());
        // a name (no '/') is looked up on PATH when cloudai is launched; not finding it there is launch_failed
        if (input.cloudaiBin() != null && input.cloudaiBin().contains("/")) {
            Path bin = Path.of(input.cloudaiBin());
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
        // held from before the run is recorded until after its last event: while it is held, no other command
        // declares the run abandoned; the OS lets go of it when this process dies, however it dies
        try (RunLiveness.Lease lease = db().runLiveness().tryHold(id).orElseThrow(
                () -> new IllegalStateException("the lease of new run " + id + " is held already"))) {
            return run(spec, terminal, interrupter, started, scenario, launch, runDir, noRunDir);
        }
    }

    private RunResult run(RunSpec spec, PrintStream terminal, Consumer<Runnable> interrupter, Consumer<String> started,
                          ScenarioFile scenario, StartExperiment launch, Path runDir, IOException noRunDir) {
        String id = launch.experimentId();
        send(launch);
        if (noRunDir != null) {
            send(new FailExperiment(id, FailureCategory.LAUNCH_FAILED, "cannot create a run directory under "
                    + spec.runsRoot() + ": " + noRunDir.getMessage(), null, null));
            throw new UserError("runs_dir", "cannot create a run directory under " + spec.runsRoot() + ": "
                    + noRunDir.getMessage(), noRunDir);
        }
        started.accept(id);
        axon().awaitProjections(CATCH_UP_TIMEOUT);
        terminal.println("[autotune] experiment " + views().list().find(id).orElseThrow().number() + " running; "
                + "artifacts in " + runDir);
        CloudaiRun run = new CloudaiRun(new RunRequest(spec.scenarioToml(), spec.systemConfig(), spec.testsDir(),
                spec.hookDir(), spec.cloudaiBin(), spec.timeout(), spec.dryRun(), runDir, spec.passThrough()), parser,
                terminal);
        interrupter.accept(run::interrupt);
        RunOutcome outcome = run.execute();
        // another command (an autotune that judged liveness by pid) may have declared this run abandoned while it
        // ran: its results are recorded all the same, after an event that says so
        if (Boolean.TRUE.equals(send(new ReopenExperiment(id, "its runner was alive and finished after the "
                + "experiment was declared abandoned: the results that follow arrived late")))) {
            terminal.println("[autotune] experiment " + views().list().find(id).map(r -> r.number()).orElse(null)
                    + " had been declared abandoned while it ran; its results are recorded now (see the timeline)");
        }
        List<String> ids = new RunRecorder(this, launch, scenario, spec.knobs()).record(outcome);
        axon().awaitProjections(CATCH_UP_TIMEOUT);
        Map<String, Integer> numbers = views().numbers().of(ids);
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
        catchUp();
        ExperimentDetail picked = find(idOrNumber);
        if (!ExperimentApi.Source.RUN.code().equals(picked.source()) || picked.runId() == null) {
            throw new UserError("recover", "experiment " + picked.number() + " was not recorded by `autotune run`: "
                    + "it has no run directory to recover");
        }
        ExperimentDetail launch = find(picked.runId());
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
        Optional<RunLiveness.Lease> lease = db().runLiveness().tryHold(launch.experimentId());
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
        List<ExperimentSummary> ofRun = views().list().list(ListFilter.ALL, 0).stream()
                .filter(r -> launch.experimentId().equals(r.runId())).toList();
        Map<String, RunRecorder.Recorded> recorded = new LinkedHashMap<>();
        boolean launchHoldsAJob = false;
        for (ExperimentSummary r : ofRun) {
            if (r.status() == ExperimentStatus.RUNNING) {
                throw new UserError("recover", "experiment " + r.number() + " of this run is still running");
            }
            String label = jobLabel(find(r.experimentId()).metadata());
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
        List<String> ids = new RunRecorder(this, start, scenario, userKnobs).recover(outcome, recorded,
                !launchHoldsAJob && launch.status() == ExperimentStatus.ABANDONED,
                "recovered from " + runDir + " by `autotune run --recover` after its runner was killed: the "
                        + "results that follow were found there");
        axon().awaitProjections(CATCH_UP_TIMEOUT);
        Map<String, Integer> numbers = views().numbers().of(ids);
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

    // ---- queries: each catches up once, then reads ----

    /**
     * The list filter from the user's words; a status that is not one is a {@link UserError} on {@code status}.
     */
    public ListFilter filter(String scenario, String status, String backend) {
        return filter(scenario, status, backend, false);
    }

    /** The list filter; excluded experiments are in it only with {@code includeExcluded}. */
    public ListFilter filter(String scenario, String status, String backend, boolean includeExcluded) {
        return new ListFilter(blankToNull(scenario), Inputs.status(status), blankToNull(backend), includeExcluded);
    }

    /** The matching experiments, oldest first; with {@code last} only the newest {@code last} of them. */
    public List<ExperimentSummary> list(ListFilter filter, Integer last) {
        int newest = newest(last);
        catchUp();
        return views().list().list(filter, newest);
    }

    /**
     * The list trimmed to a terminal table's columns, with these metrics; see {@code ExperimentList#lines}.
     * With {@code last} only the newest {@code last}.
     */
    public List<ExperimentSummary> lines(ListFilter filter, List<String> metrics, Integer last) {
        int newest = newest(last);
        catchUp();
        return views().list().lines(filter, metrics, newest);
    }

    /**
     * The list as asked for on the command line: the rows of {@code filter} that match {@code where} (the language
     * of {@link Where}) ordered by {@code sort} ({@code COLUMN[:asc|desc]}, any column of {@link ListColumn}) and
     * then cut to the first {@code last} of that order; without a sort the newest {@code last} in history order
     * (the rule of {@link ListQuery}, the engine's, which the API follows too), with the {@code columns} chosen
     * (comma-separated names; null for the table's default, {@code wide} for every varying knob, metric and tag).
     *
     * @param columns null when the caller shows its default columns
     */
    public record ListTable(List<ExperimentSummary> rows, List<ListColumn> columns, List<String> gpuNotes) {
        public ListTable(List<ExperimentSummary> rows, List<ListColumn> columns) {
            this(rows, columns, List.of());
        }
    }

    public ListTable table(ListFilter filter, String where, String sort, String columns, boolean wide, Integer last) {
        return table(filter, where, sort, columns, wide, last, null);
    }

    /**
     * The list, each row with the per-GPU metrics of {@code gpus} (an expression over knobs; null for none), so
     * columns, {@code where} and {@code sort} can name them like any metric.
     */
    public ListTable table(ListFilter filter, String where, String sort, String columns, boolean wide, Integer last,
                           String gpus) {
        GpuCounts.require(gpus, where, sort, columns);
        int newest = newest(last);
        catchUp();
        dev.autotune.projections.ListEngine engine = views().list().query();
        ListSort order = ListQueries.sort(sort, engine);
        // per-GPU metrics are derived from each row's knobs, so the engine filters and sorts them in memory
        GpuCounts perGpu = gpus == null ? null : GpuCounts.of(gpus, engine.knobPaths());
        List<ExperimentSummary> rows = ListQueries.rows(engine, ListQuery.of(filter, where, order, newest),
                perGpu == null ? null : perGpu::apply);
        List<ListColumn> chosen = null;
        if (columns != null && !columns.isBlank()) {
            chosen = ListQueries.columns(columns, engine::knobPaths);
        } else if (wide) {
            chosen = wideColumns(rows);
        }
        return new ListTable(rows, chosen, perGpu == null ? List.of()
                : perGpu.notes(rows.stream().map(ExperimentSummary::number).collect(java.util.stream.Collectors.toSet())));
    }

    /**
     * One experiment of a correction over a filter: what it is after the correction, or why it was refused (already
     * excluded, nothing to amend, ...).
     */
    public record Corrected(int number, ExperimentSummary after, String refused) {
    }

    /**
     * A correction applied to every experiment that matches {@code where} (the list filter language), each with its
     * own event, oldest first; an experiment the correction refuses is reported, the others are still corrected.
     *
     * @throws UserError naming {@code where} when it cannot be read or matches no experiment
     */
    public List<Corrected> correctWhere(String where, boolean includeExcluded,
                                        java.util.function.Function<String, ExperimentSummary> correction) {
        List<ExperimentSummary> rows = table(filter(null, null, null, includeExcluded), where, null, null, false, null)
                .rows();
        if (rows.isEmpty()) {
            throw new UserError("where", "no experiment matches '" + where + "'"
                    + (includeExcluded ? "" : " (excluded ones only with --include-excluded)"));
        }
        List<Corrected> out = new ArrayList<>();
        for (ExperimentSummary row : rows) {
            try {
                out.add(new Corrected(row.number(), correction.apply(row.experimentId()), null));
            } catch (UserError | IllegalArgumentException | IllegalStateException e) {
                out.add(new Corrected(row.number(), null, dev.autotune.domain.OneLine.first(e.getMessage(), "refused")));
            }
        }
        return out;
    }

    /** Every field, every knob that varies (full paths), every metric and tag any row has. */
    private static List<ListColumn> wideColumns(List<ExperimentSummary> rows) {
        List<ListColumn> out = new ArrayList<>();
        for (String f : List.of("id", "status", "scenario", "backend")) {
            out.add(ListColumn.field(f));
        }
        java.util.Set<Map<String, Object>> knobs = new java.util.HashSet<>();
        rows.forEach(r -> knobs.add(r.knobs()));
        dev.autotune.domain.analysis.KnobValues.varying(knobs).forEach(k -> out.add(ListColumn.knob(k)));
        java.util.Set<String> metrics = new java.util.HashSet<>();
        java.util.Set<String> tags = new java.util.TreeSet<>();
        rows.forEach(r -> {
            metrics.addAll(r.metrics().keySet());
            tags.addAll(r.tags().keySet());
        });
        for (Metric m : Metric.values()) {
            if (metrics.contains(m.key())) {
                out.add(ListColumn.metric(m.key()));
            }
        }
        tags.forEach(t -> out.add(ListColumn.tag(t)));
        out.add(ListColumn.field("happened")); // headed "when", as in the default table
        out.add(ListColumn.field("recorded"));
        return out;
    }

    /** Checks {@code --last} before anything is opened: 0 when not given, else a positive count. */
    public static int newest(Integer last) {
        if (last != null && last < 1) {
            throw new UserError("last", "expected a positive number of experiments, got " + last);
        }
        return last == null ? 0 : last;
    }

    public ExperimentDetail show(String idOrNumber) {
        catchUp();
        return find(idOrNumber);
    }

    private ExperimentDetail find(String idOrNumber) {
        return views().detail().find(experiment(idOrNumber).experimentId()).orElseThrow();
    }

    /**
     * The experiment a reference means: its short number, its full id, or a prefix of the id that only one
     * experiment's id starts with. Every command that takes an experiment reads it through here.
     */
    ExperimentSummary experiment(String ref) {
        String key = ref == null ? "" : ref.trim();
        if (key.isEmpty()) {
            throw new UserError("experiment", "name an experiment by its number (as in `list`) or its id");
        }
        List<ExperimentSummary> matches = views().list().resolve(key, 6);
        if (matches.isEmpty()) {
            throw new NotFound("no experiment " + key + " in " + database);
        }
        if (matches.size() > 1) {
            throw new UserError("experiment", "'" + key + "' is the start of several experiment ids: "
                    + String.join(", ", matches.stream().limit(5).map(m -> m.number() + " (" + m.experimentId() + ")")
                    .toList()) + (matches.size() > 5 ? ", ..." : "") + "; give more of the id or the number");
        }
        return matches.get(0);
    }

    // ---- corrections: each a new event on the experiment, projected before the call returns ----

    /** Sets tags ({@code key=value}); a tag that already holds the value is left as it is. */
    public ExperimentSummary tag(String ref, List<String> pairs) {
        Map<String, String> tags = Inputs.pairs("tag", pairs);
        if (tags.isEmpty()) {
            throw new UserError("tag", "give at least one tag as key=value, e.g. gpu=H100");
        }
        return correct(ref, id -> new ExperimentApi.TagExperiment(id, tags));
    }

    public ExperimentSummary untag(String ref, List<String> keys) {
        List<String> names = keys == null ? List.of() : keys.stream().filter(k -> k != null && !k.isBlank())
                .map(String::trim).toList();
        if (names.isEmpty()) {
            throw new UserError("tag", "name at least one tag to remove");
        }
        return correct(ref, id -> new ExperimentApi.UntagExperiment(id, names));
    }

    public ExperimentSummary note(String ref, String text) {
        if (text == null || text.isBlank()) {
            throw new UserError("note", "the note is empty");
        }
        return correct(ref, id -> new ExperimentApi.AddNote(id, text));
    }

    /** Leaves the experiment out of every view, check, recommendation, search and export unless asked. */
    public ExperimentSummary exclude(String ref, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new UserError("reason", "say why the experiment is excluded, e.g. \"wrong model loaded\"");
        }
        return correct(ref, id -> new ExperimentApi.ExcludeExperiment(id, reason.strip()));
    }

    public ExperimentSummary include(String ref) {
        return correct(ref, ExperimentApi.IncludeExperiment::new);
    }

    /**
     * Corrects values recorded wrong: the scenario, the backend and knob values ({@code knob=value}, typed like
     * TOML). The original events stay; every view shows the amended values and {@code show} both.
     */
    public ExperimentSummary amend(String ref, String scenario, String backend, List<String> sets) {
        Map<String, Object> knobs = Inputs.knobs("set", sets);
        String scen = blankToNull(scenario);
        String back = blankToNull(backend);
        if (scen == null && back == null && knobs.isEmpty()) {
            throw new UserError("set", "give what to correct: a scenario, a backend or knob=value");
        }
        return correct(ref, id -> new ExperimentApi.AmendExperiment(id, scen, back, knobs));
    }

    private ExperimentSummary correct(String ref, java.util.function.Function<String, Object> command) {
        catchUp();
        ExperimentSummary e = experiment(ref);
        try {
            axon().appendAndProject(() -> {
            }, () -> send(command.apply(e.experimentId())));
        } catch (UserError | IllegalArgumentException | IllegalStateException refused) {
            // the aggregate refused the correction (Axon hands its exception back as it was thrown): say which
            // experiment by the number the user knows, not by its full id
            throw new UserError("experiment", "experiment " + e.number() + ": "
                    + refused.getMessage().replace("experiment " + e.experimentId(), "it"), refused);
        }
        return views().list().find(e.experimentId()).orElseThrow();
    }

    /**
     * Refuses a scenario nothing was recorded under, naming those that were: a typo would otherwise look like
     * an empty history.
     */
    public void requireScenario(String scenario) {
        String name = blankToNull(scenario);
        if (name == null) {
            return;
        }
        catchUp();
        List<String> known = views().list().facets().get("scenario");
        if (!known.contains(name)) {
            throw new UserError("scenario", "no experiments of scenario '" + name + "' in " + database
                    + (known.isEmpty() ? " (nothing is recorded yet)" : "; scenarios: " + String.join(", ", known)));
        }
    }

    /**
     * One page of the list, sorted and cut by the database, with the scenarios, backends and statuses recorded
     * so far when {@code facets} is asked for.
     */
    public ListPage page(ListFilter filter, ListSort sort, int limit, int offset, boolean facets) {
        return page(new ListQuery(filter, null, sort, limit, offset, null), facets);
    }

    /**
     * One page of the list as the API asks for it: {@code sort} a column name (null: newest first), {@code order}
     * asc, desc or null for the column's own, {@code after} the {@code next} cursor of the previous page.
     */
    public ListPage page(ListFilter filter, String where, String sort, String order, int limit, int offset,
                         String after, boolean facets) {
        catchUp();
        ListSort by = ListQueries.sort(sort, order, views().list().query());
        return page(new ListQuery(filter, where, by, limit, offset, ListQueries.after(after, by)), facets);
    }

    /** One page of the rows of a list query (see {@link ListQuery} for how sort, limit and cursor combine). */
    public ListPage page(ListQuery query, boolean facets) {
        catchUp();
        ListPage page = ListQueries.page(views().list().query(), query);
        return facets ? page.withFacets(views().list().facets()) : page;
    }

    /**
     * Events after {@code index} that the read models already include, oldest first, at most {@code limit}, each
     * with its experiment's number, so a live feed can say "experiment 7 completed" once the list shows it.
     */
    public List<LoggedEvent> eventsAfter(long index, int limit) {
        if (live) {
            // the feed polls this: it is what brings other processes' events into the read models between queries
            catchUp();
        }
        List<EventLog.Entry> entries = new EventLog(db()).after(index, db().projectionPosition(), limit);
        Map<String, Integer> numbers = views().numbers().of(entries.stream().map(EventLog.Entry::aggregateId).toList());
        return entries.stream().map(e -> new LoggedEvent(e.index(), e.type(), e.aggregateId(),
                numbers.get(e.aggregateId()), e.at())).toList();
    }

    /**
     * How far the read models have read the event log. On PostgreSQL writers project their own events without
     * moving the settled position (see {@code AxonStore.advance}); it is settled here first, as every query does.
     */
    public long projectedPosition() {
        if (db().isPostgres()) {
            catchUp();
        }
        return db().projectionPosition();
    }

    /** The budgets held against every completed experiment (of {@code scenario}, when given). */
    public BudgetReport check(BudgetInput budgets, String scenario) {
        return check(budgets, scenario, null).report();
    }

    /**
     * A check as {@code check} shows it: the verdicts, the knobs that vary between the checked experiments with each
     * one's values, the objective, and the best experiment that passes every budget by that objective.
     *
     * @param objective the metric "best" is judged by; null or blank means the recommender's default
     */
    public record Checked(BudgetReport report, Metric objective, List<String> knobs,
                          Map<Integer, ? extends Map<String, Object>> knobValues, BudgetReport.Row best,
                          List<String> gpuNotes) {
        public Checked(BudgetReport report, Metric objective, List<String> knobs,
                       Map<Integer, ? extends Map<String, Object>> knobValues, BudgetReport.Row best) {
            this(report, objective, knobs, knobValues, best, List.of());
        }
    }

    public Checked check(BudgetInput budgets, String scenario, String objective) {
        return check(budgets, scenario, objective, false);
    }

    /** The check; the experiments excluded with {@code exclude} are in it only with {@code includeExcluded}. */
    public Checked check(BudgetInput budgets, String scenario, String objective, boolean includeExcluded) {
        return check(budgets, scenario, objective, includeExcluded, null);
    }

    /** The check, with the per-GPU metrics of {@code gpus} (an expression over knobs; null for none). */
    public Checked check(BudgetInput budgets, String scenario, String objective, boolean includeExcluded,
                         String gpus) {
        Metric goal = Inputs.objective(objective);
        catchUp();
        List<Budget> limits = budgets(budgets);
        if (limits.isEmpty()) {
            throw new UserError("metric", "no budgets given: give a latency, TTFT, throughput or failure-rate "
                    + "budget, a metric budget such as latency_p95_ms<=200, or a saved budget profile");
        }
        GpuCounts.require(gpus, limits, goal);
        String scen = blankToNull(scenario);
        Map<Integer, SortedMap<String, Object>> knobValues = new TreeMap<>();
        views().recommendation().completed(scen, includeExcluded).forEach(p -> knobValues.put(p.number(), p.knobs()));
        GpuCounts perGpu = GpuCounts.of(gpus, knobPaths(knobValues.values()));
        BudgetReport report = perGpu == null ? checked(limits, scen, includeExcluded)
                : BudgetCheck.check(views().budget().completed(scen, includeExcluded).stream()
                .map(m -> perGpu.apply(m, knobValues)).toList(), limits);
        List<String> knobs = KnobValues.varying(report.rows().stream()
                .map(r -> knobValues.getOrDefault(r.number(), new TreeMap<>())).toList());
        return new Checked(report, goal, knobs, knobValues, BudgetCheck.best(report, goal).orElse(null),
                perGpu == null ? List.of() : perGpu.notes());
    }

    /** Every knob path of these experiments' knobs, which a {@code --gpus} expression's names resolve among. */
    private static java.util.Set<String> knobPaths(java.util.Collection<? extends Map<String, ?>> knobs) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        knobs.forEach(k -> out.addAll(k.keySet()));
        return out;
    }

    private BudgetReport checked(List<Budget> budgets, String scenario, boolean includeExcluded) {
        return BudgetCheck.check(views().budget().completed(scenario, includeExcluded), budgets);
    }

    /**
     * The budgets in force: those of the saved profile named, each replaced by a budget given beside it on the same
     * metric in the same direction ({@link Budget#overriding}), then the rest of those given. Call after catching up.
     */
    private List<Budget> budgets(BudgetInput input) {
        List<Budget> given = Inputs.budgets(input);
        String name = input == null ? null : blankToNull(input.profile());
        if (name == null) {
            return given;
        }
        List<Budget> saved = budgetProfile(name).budgets().stream().map(Budget::parse).toList();
        return Budget.overriding(saved, given);
    }

    // ---- budget profiles ----

    /** A saved budget profile: its budgets in their normal form ({@code latency_ms<=200}) and when it was saved. */
    public record Profile(String name, List<String> budgets, Instant savedAt) {
    }

    /** Every saved budget profile, by name. */
    public List<Profile> budgetProfiles() {
        catchUp();
        return views().budgetProfiles().list().stream().map(p -> new Profile(p.name(), p.budgets(), p.savedAt()))
                .toList();
    }

    /** One saved profile; an unknown name is bad input on {@code budget} that lists the saved ones. */
    public Profile budgetProfile(String name) {
        catchUp();
        String wanted = name == null ? "" : name.trim();
        return views().budgetProfiles().find(wanted).map(p -> new Profile(p.name(), p.budgets(), p.savedAt()))
                .orElseThrow(() -> {
                    List<String> names = views().budgetProfiles().list().stream()
                            .map(BudgetProfileProjection.ProfileRow::name).toList();
                    return new UserError("budget", "no budget profile '" + wanted + "' in " + database + (names.isEmpty()
                            ? "; none is saved yet (save one with autotune budget save NAME and its budgets)"
                            : "; saved: " + String.join(", ", names)));
                });
    }

    /**
     * What saving a profile did: {@code previous} holds the budgets it replaced (null for a new profile), and
     * {@code changed} is false when the profile already held exactly these budgets (nothing was recorded).
     */
    public record SavedProfile(Profile profile, List<String> previous, boolean changed) {
    }

    /**
     * Saves the budgets given (with those of a profile named beside them, so a profile can build on another) under
     * {@code name}. Replacing a saved profile's other budgets needs {@code replace}: a typo in a name must not
     * silently change the budgets a team's links and scripts use.
     */
    public SavedProfile saveBudgetProfile(String name, BudgetInput budgets, boolean replace) {
        String profileName = name == null ? "" : name.trim();
        try {
            BudgetProfile.checkName(profileName);
        } catch (IllegalArgumentException e) {
            throw new UserError("name", e.getMessage(), e);
        }
        catchUp();
        List<String> texts = budgets(budgets).stream().map(Budget::toString).toList();
        if (texts.isEmpty()) {
            throw new UserError("metric", "give the profile's budgets, e.g. a latency budget of 200 ms and a "
                    + "maximum of 10 ms on tpot_ms");
        }
        AtomicReference<List<String>> previous = new AtomicReference<>();
        Object changed = axon().appendAndProject(List.of("budget-profile:" + profileName), () -> {
            // under the write lock: another process saving the same name in between is seen here
            previous.set(views().budgetProfiles().find(profileName).map(BudgetProfileProjection.ProfileRow::budgets)
                    .orElse(null));
            if (previous.get() != null && !replace && !previous.get().equals(texts)) {
                throw new ProfileExists("budget profile " + profileName + " is saved with "
                        + String.join(", ", previous.get()));
            }
        }, () -> send(new SaveBudgetProfile(BudgetProfileApi.idOf(profileName), profileName, texts)));
        return new SavedProfile(budgetProfile(profileName), previous.get(), Boolean.TRUE.equals(changed));
    }

    /** Deletes a saved profile (the events that saved it stay in the log); an unknown name lists the saved ones. */
    public Profile deleteBudgetProfile(String name) {
        Profile profile = budgetProfile(name);
        axon().appendAndProject(() -> {
        }, () -> send(new DeleteBudgetProfile(BudgetProfileApi.idOf(profile.name()), profile.name())));
        return profile;
    }

    /**
     * The recommendations, with the objective and budgets they were made for.
     *
     * @param objective the metric to optimise; null or blank means the recommender's default
     */
    public record Recommended(Metric objective, List<Budget> budgets, List<Recommendation> recommendations,
                              List<String> gpuNotes) {
        public Recommended(Metric objective, List<Budget> budgets, List<Recommendation> recommendations) {
            this(objective, budgets, recommendations, List.of());
        }
    }

    public Recommended recommend(List<String> knobs, BudgetInput budgets, String objective, String scenario) {
        return recommend(knobs, budgets, objective, scenario, false);
    }

    /** The recommendations; the history they reason over holds the excluded experiments only with {@code includeExcluded}. */
    public Recommended recommend(List<String> knobs, BudgetInput budgets, String objective, String scenario,
                                 boolean includeExcluded) {
        return recommend(knobs, budgets, objective, scenario, includeExcluded, null);
    }

    /** The recommendations, with the per-GPU metrics of {@code gpus} (an expression over knobs; null for none). */
    public Recommended recommend(List<String> knobs, BudgetInput budgets, String objective, String scenario,
                                 boolean includeExcluded, String gpus) {
        List<String> names = Inputs.knobNames(knobs);
        if (names.isEmpty()) {
            throw new UserError("knob", "name at least one knob, e.g. serving.batch_size");
        }
        Metric goal = Inputs.objective(objective);
        catchUp();
        List<Budget> limits = budgets(budgets);
        GpuCounts.require(gpus, limits, goal);
        List<String> notes = new ArrayList<>();
        return new Recommended(goal, limits, recommended(names, limits, goal, blankToNull(scenario), includeExcluded,
                gpus, notes), notes);
    }

    private List<Recommendation> recommended(List<String> knobs, List<Budget> budgets, Metric objective,
                                             String scenario, boolean includeExcluded) {
        return recommended(knobs, budgets, objective, scenario, includeExcluded, null, new ArrayList<>());
    }

    /** @param gpuNotes receives why some experiments have no per-GPU metrics */
    private List<Recommendation> recommended(List<String> knobs, List<Budget> budgets, Metric objective,
                                             String scenario, boolean includeExcluded, String gpus,
                                             List<String> gpuNotes) {
        try {
            List<dev.autotune.domain.analysis.TuningPoint> history = views().recommendation().completed(scenario,
                    includeExcluded);
            GpuCounts perGpu = GpuCounts.of(gpus, knobPaths(history.stream()
                    .map(dev.autotune.domain.analysis.TuningPoint::knobs).toList()));
            if (perGpu != null) {
                history = history.stream().map(perGpu::apply).toList();
                gpuNotes.addAll(perGpu.notes());
            }
            Set<String> scenarios = history.stream().map(dev.autotune.domain.analysis.TuningPoint::scenario)
                    .collect(java.util.stream.Collectors.toSet());
            if (scenarios.size() == 1 && scenarios.iterator().next() != null) {
                // one scenario: the values its search spaces declare are each knob's lattice
                String only = scenarios.iterator().next();
                return Recommender.recommend(history, only, knobs, budgets, objective, declaredDomains(only));
            }
            return Recommender.recommend(history, knobs, budgets, objective);
        } catch (InvalidInput e) {
            throw new UserError(e.input(), e.getMessage(), e);
        }
    }

    /**
     * Per knob, a metric at each value the knob took, the other knobs held as {@code recommend --knob} holds them
     * ({@link Sensitivity}): for one scenario's history, with or without a study. {@code metric} defaults to the
     * objective.
     */
    public Sensitivity.View sensitivity(String metric, BudgetInput budgets, String objective, String scenario,
                                        boolean includeExcluded) {
        Metric goal = Inputs.objective(objective);
        catchUp();
        List<Budget> limits = budgets(budgets);
        List<dev.autotune.domain.analysis.TuningPoint> history = views().recommendation()
                .completed(blankToNull(scenario), includeExcluded);
        Set<String> scenarios = new java.util.TreeSet<>();
        history.forEach(p -> scenarios.add(String.valueOf(p.scenario())));
        if (scenarios.size() > 1) {
            // curves of different workloads on one line would blame a knob for what the workload did
            throw new UserError("scenario", "the history mixes scenarios " + String.join(", ", scenarios)
                    + ": choose one");
        }
        String chosen = metric == null || metric.isBlank() ? goal.key() : metric.trim();
        return Sensitivity.of(history, scenarios.isEmpty() ? blankToNull(scenario) : scenarios.iterator().next(),
                chosen, goal, limits);
    }

    /** The values the studies of a scenario declare per knob (a later study's domain wins), by space knob path. */
    private Map<String, List<Object>> declaredDomains(String scenario) {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        views().studies().list().stream().filter(st -> scenario.equals(st.scenario()))
                .forEach(st -> st.space().knobs().forEach(k -> out.put(k.path(), k.values())));
        return out;
    }

    public ExperimentDiff diff(String a, String b) {
        return diff(a, b, BudgetInput.NONE).diff();
    }

    /** A diff and, when budgets are given, each side's verdict against them ({@code verdicts} is null without). */
    public record Compared(ExperimentDiff diff, BudgetReport verdicts, List<String> gpuNotes) {
        public Compared(ExperimentDiff diff, BudgetReport verdicts) {
            this(diff, verdicts, List.of());
        }
    }

    public Compared diff(String a, String b, BudgetInput budgets) {
        return diff(a, b, budgets, null);
    }

    /** The diff, with the per-GPU metrics of {@code gpus} (an expression over knobs; null for none). */
    public Compared diff(String a, String b, BudgetInput budgets, String gpus) {
        catchUp();
        List<Budget> limits = budgets(budgets);
        GpuCounts.require(gpus, limits);
        ExperimentDetail left = find(a);
        ExperimentDetail right = find(b);
        GpuCounts perGpu = GpuCounts.of(gpus, knobPaths(List.of(left.config(), right.config())));
        if (perGpu != null) {
            left = perGpu.apply(left);
            right = perGpu.apply(right);
        }
        BudgetReport verdicts = limits.isEmpty() ? null : BudgetCheck.check(List.of(
                new Measured(left.number(), left.experimentId(), left.scenario(), left.metrics()),
                new Measured(right.number(), right.experimentId(), right.scenario(), right.metrics())), limits);
        return new Compared(ExperimentDiff.of(left, right), verdicts, perGpu == null ? List.of() : perGpu.notes());
    }

    public enum ExportFormat { CSV, JSON, MARKDOWN }

    /** The report formats ingest --format accepts, by code ({@code vllm-json}, ...). */
    public static List<String> reportFormats() {
        return java.util.Arrays.stream(ReportFormat.values()).map(ReportFormat::code).toList();
    }

    public enum ExportTemplate { ISSUE, PR, BENCHMARK_REPORT }

    /**
     * An export as text, the format it is in (Markdown when only a template was asked for), and the scenarios its
     * experiments belong to: a report over several mixes results that are not comparable, which callers warn about.
     */
    public record Exported(ExportFormat format, String text, List<String> scenarios, List<String> gpuNotes) {
        public Exported(ExportFormat format, String text, List<String> scenarios) {
            this(format, text, scenarios, List.of());
        }

        /**
         * What to warn about when a ready-to-paste report (a template) spans several scenarios, whose results are
         * not comparable; null when it does not.
         */
        public String mixedScenarios(boolean template) {
            return template && scenarios.size() > 1 ? "this report mixes " + scenarios.size() + " scenarios ("
                    + String.join(", ", scenarios) + ")" : null;
        }
    }

    public Exported export(String format, String template, String scenario, BudgetInput budgets, List<String> knobs) {
        return export(format, template, scenario, budgets, knobs, null);
    }

    /**
     * The experiments as CSV, JSON or Markdown, or a Markdown template with budgets and recommendations.
     *
     * @param format   csv, json or markdown; null means csv, or markdown with a template
     * @param template issue, pr or benchmark-report; null for a plain export
     * @param baseline the pr template's baseline, an experiment number or id among those exported; null means the
     *                 first completed one
     */
    public Exported export(String format, String template, String scenario, BudgetInput budgets, List<String> knobs,
                           String baseline) {
        return export(format, template, scenario, budgets, knobs, baseline, false);
    }

    /** The export; the excluded experiments are in it only with {@code includeExcluded}. */
    public Exported export(String format, String template, String scenario, BudgetInput budgets, List<String> knobs,
                           String baseline, boolean includeExcluded) {
        return export(format, template, scenario, budgets, knobs, baseline, includeExcluded, null);
    }

    /** The export, with the per-GPU metrics of {@code gpus} (an expression over knobs; null for none). */
    public Exported export(String format, String template, String scenario, BudgetInput budgets, List<String> knobs,
                           String baseline, boolean includeExcluded, String gpus) {
        ExportTemplate tpl = Inputs.choice(ExportTemplate.class, "template", template);
        ExportFormat fmt = Inputs.choice(ExportFormat.class, "format", format);
        if (fmt == null) {
            fmt = tpl == null ? ExportFormat.CSV : ExportFormat.MARKDOWN;
        }
        if (tpl != null && fmt != ExportFormat.MARKDOWN) {
            throw new UserError("format", "template " + template.trim() + " produces Markdown: leave the format out "
                    + "or ask for markdown");
        }
        List<String> names = Inputs.knobNames(knobs);
        String scen = blankToNull(scenario);
        catchUp();
        List<Budget> limits = budgets(budgets);
        // a dry run validated a config and measured nothing: it is not a row of a results export
        List<ExperimentSummary> rows = views().list().list(new ListFilter(scen, null, null, includeExcluded), 0).stream()
                .filter(r -> r.status() != ExperimentStatus.VALIDATED).toList();
        GpuCounts.require(gpus, limits);
        GpuCounts perGpu = GpuCounts.of(gpus, knobPaths(rows.stream().map(ExperimentSummary::knobs).toList()));
        if (perGpu != null) {
            rows = rows.stream().map(perGpu::apply).toList();
        }
        List<String> gpuNotes = perGpu == null ? List.of() : perGpu.notes();
        List<String> scenarios = rows.stream().map(ExperimentSummary::scenario).filter(java.util.Objects::nonNull)
                .distinct().sorted().toList();
        ExperimentSummary base = baselineOf(rows, blankToNull(baseline), tpl, scen);
        if (tpl == null) {
            return new Exported(fmt, switch (fmt) {
                case CSV -> Export.csv(rows);
                case JSON -> Export.json(rows);
                case MARKDOWN -> Export.markdown(rows);
            }, scenarios, gpuNotes);
        }
        // with --gpus the rows carry their per-GPU metrics, so a per-GPU budget is checked on them
        BudgetReport budgetReport = limits.isEmpty() ? null : perGpu == null ? checked(limits, scen, includeExcluded)
                : BudgetCheck.check(rows.stream().filter(r -> r.status() == ExperimentStatus.COMPLETED)
                .map(r -> new Measured(r.number(), r.experimentId(), r.scenario(), r.metrics())).toList(), limits);
        List<Recommendation> recommendations = names.isEmpty() || rows.isEmpty() ? null
                : recommended(names, limits, Recommender.DEFAULT_OBJECTIVE, scen, includeExcluded, gpus,
                new ArrayList<>());
        return new Exported(fmt, switch (tpl) {
            case ISSUE -> Export.issue(rows, budgetReport, recommendations);
            case PR -> Export.pullRequest(rows, budgetReport, recommendations, base);
            case BENCHMARK_REPORT -> Export.benchmarkReport(rows, budgetReport, recommendations, names);
        }, scenarios, gpuNotes);
    }

    /**
     * The experiment the pr template compares the best run with: the one named, which must be a completed
     * experiment among those exported (a failed run has no metrics to compare), or null for the template's default.
     */
    private static ExperimentSummary baselineOf(List<ExperimentSummary> rows, String baseline, ExportTemplate tpl,
                                                String scenario) {
        if (baseline == null) {
            return null;
        }
        if (tpl != ExportTemplate.PR) {
            throw new UserError("baseline", "only the pr template compares with a baseline");
        }
        ExperimentSummary found = rows.stream()
                .filter(r -> baseline.equals(Integer.toString(r.number())) || baseline.equals(r.experimentId()))
                .findFirst()
                .orElseThrow(() -> new UserError("baseline", "experiment " + baseline + " is not among the exported "
                        + "experiments" + (scenario == null ? "" : " of scenario " + scenario)));
        if (found.status() != ExperimentStatus.COMPLETED) {
            throw new UserError("baseline", "experiment " + baseline + " is " + found.status().code()
                    + ": the baseline must be a completed experiment");
        }
        return found;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    // ---- configs and the cloudai contract: no database needed ----

    /** A config written with overrides: where, its hash, and each override with its TOML-typed value. */
    public record Derived(Path out, String sha256, Map<String, Object> applied) {
    }

    /**
     * Writes {@code out}: {@code base} with the {@code set} overrides applied (dotted keys, values typed like
     * TOML); every other key, table and comment survives.
     */
    public static Derived derive(Path base, Path out, List<String> sets, boolean create, boolean force) {
        Map<String, String> overrides = Inputs.pairs("set", sets);
        if (overrides.isEmpty()) {
            throw new UserError("set", "give at least one override, e.g. serving.batch_size=8");
        }
        return derive(base, out, overrides, create, force);
    }

    private static Derived derive(Path base, Path out, Map<String, String> overrides, boolean create,
                                  boolean force) {
        try {
            ConfigDeriver.Derived d = new ConfigDeriver().derive(base, out, overrides, create, force);
            return new Derived(d.out(), d.sha256(), d.applied());
        } catch (ConfigException e) {
            throw new UserError("config", e.getMessage(), e);
        }
    }

    /**
     * Writes the recommendations' suggested values into a copy of {@code base} and returns them as written
     * (knob to TOML text); empty when none suggests a value, and then nothing is written.
     */
    public static Map<String, String> deriveSuggestions(List<Recommendation> recommendations, Path base, Path out,
                                                        boolean force) {
        Map<String, String> overrides = firstSuggestion(recommendations)
                .map(r -> Map.of(r.knob(), TomlValues.render(r.suggested()))).orElse(Map.of());
        if (!overrides.isEmpty()) {
            derive(base, out, overrides, false, force);
        }
        return overrides;
    }

    /**
     * The recommendation a derived config carries: one knob changed per config, since each suggestion was worked
     * out with the other knobs held where they are, so two of them together is a config nothing has analysed (a
     * joint proposal is recommend --space).
     */
    private static Optional<Recommendation> firstSuggestion(List<Recommendation> recommendations) {
        return recommendations.stream().filter(r -> r.suggested() != null).findFirst();
    }

    /**
     * The recommended next config as TOML, for a download.
     *
     * @param fileName   a name for the file: the base's name (or the scenario) with the knob and value
     * @param toml       the config
     * @param base       the file it was derived from (the best run's recorded config), or null when none is known;
     *                   then {@code toml} holds only knob values: the best run's, with the suggestion applied
     * @param experiment the best run whose config was the starting point, or null when nothing is measured yet
     * @param applied    the suggestion, knob to TOML value text
     */
    public record DerivedConfig(String fileName, String toml, Path base, Integer experiment,
                                Map<String, String> applied) {
    }

    /**
     * What `recommend --derive-from` writes, without a base file to name: the suggestion applied to the config of
     * the best run so far when its file is still there, else the best run's knob values with the suggestion.
     */
    public DerivedConfig derivedConfig(List<String> knobs, BudgetInput budgets, String objective, String scenario) {
        Recommended recommended = recommend(knobs, budgets, objective, scenario);
        Recommendation r = firstSuggestion(recommended.recommendations()).orElseThrow(() -> new UserError("knob",
                "nothing new to try for " + String.join(", ", Inputs.knobNames(knobs)) + ", so there is no config "
                        + "to derive"));
        Map<String, String> overrides = Map.of(r.knob(), TomlValues.render(r.suggested()));
        ExperimentDetail best = r.bestExperiment() == null ? null : find(Integer.toString(r.bestExperiment()));
        Path base = best == null || best.configPath() == null ? null : Path.of(best.configPath());
        String stem = (base != null ? base.getFileName().toString().replaceFirst("\\.toml$", "")
                : best != null ? best.scenario() : "autotune") + "-" + r.knob().substring(r.knob().lastIndexOf('.') + 1)
                + "-" + overrides.get(r.knob());
        String fileName = stem.replaceAll("[^A-Za-z0-9._-]+", "_") + ".toml";
        try {
            if (base != null && Files.isRegularFile(base)) {
                return new DerivedConfig(fileName, new ConfigDeriver().text(base, overrides, false).toml(), base,
                        best.number(), overrides);
            }
            List<String> header = new java.util.ArrayList<>();
            header.add(best == null ? "No experiment measured yet, so no config file to start from:"
                    : base == null ? "No config file is recorded for experiment " + best.number() + " (the best so far):"
                    : "The config file of experiment " + best.number() + " (the best so far) is gone (" + base + "):");
            header.add(best == null ? "only the recommended knob value." : "only its knob values, with "
                    + r.knob() + " = " + overrides.get(r.knob()) + " as recommended.");
            Map<String, Object> values = best == null ? Map.of() : best.config();
            return new DerivedConfig(fileName, ConfigDeriver.knobValues(values, overrides, header).toml(), null,
                    best == null ? null : best.number(), overrides);
        } catch (ConfigException e) {
            throw new UserError("config", e.getMessage(), e);
        }
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

    /** Replays the whole log into empty read models. */
    public long rebuild(LongConsumer progress) {
        axon().rebuild(Duration.ofHours(2), progress);
        return db().head();
    }

    public long eventCount() {
        return db().head();
    }

    // ---- the whole log as a file ----

    /** Writes the whole event log as JSON Lines (see {@link EventTransfer}); returns how many events. */
    public long exportEvents(Writer out) {
        return new EventTransfer(db()).export(out);
    }

    /**
     * Fills this empty store with the events an export wrote, all or nothing: each event is checked and the read
     * models take all of them in the import's own transaction (see {@code AxonStore.importAndProject}); returns how
     * many. A line that is not an exported autotune event is one line naming the file and the line, and nothing is
     * stored.
     */
    public long importEvents(Path file, LongConsumer progress) {
        long imported;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            imported = axon().importAndProject(in);
        } catch (EventTransfer.BadLine e) {
            throw new UserError(null, file + ": " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new UserError(null, file + ": no such file", e);
        } catch (IOException | UncheckedIOException e) {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            throw new UserError(null, file + ": cannot read (" + cause + ")", e);
        }
        progress.accept(imported);
        return imported;
    }

    // ---- runs whose process died ----

    /**
     * Records as abandoned every running experiment whose runner is gone: nobody holds its run's lease any more.
     * Runs recorded before runners took leases (there is no lease to ask) are judged as they were then, by their
     * runner's pid on this host.
     */
    public int recoverAbandoned() {
        List<RunningExperiment> running = views().list().running();
        if (running.isEmpty()) {
            return 0;
        }
        RunLiveness liveness = db().runLiveness();
        int abandoned = 0;
        for (RunningExperiment r : running) {
            String gone = gone(r, liveness);
            if (gone == null) {
                continue;
            }
            Object result = send(new AbandonExperiment(r.experimentId(), gone + "; `autotune run --recover "
                    + r.number() + "` records the jobs it left in its run directory"));
            if (Boolean.TRUE.equals(result)) {
                abandoned++;
            }
        }
        if (abandoned > 0) {
            axon().awaitProjections(CATCH_UP_TIMEOUT);
        }
        return abandoned;
    }

    /** Why the runner of {@code r} is known to be gone, or null while it may be alive. */
    private static String gone(RunningExperiment r, RunLiveness liveness) {
        if (r.runId() != null) {
            switch (liveness.probe(r.runId())) {
                case HELD:
                    return null;
                case FREE:
                    return (r.pid() == null ? "its runner" : "runner process " + r.pid() + " on " + r.host())
                            + " is gone: nothing holds the run's lease any more (killed or crashed)";
                case UNKNOWN:
                    break; // recorded by an autotune that took no lease: judged as it was then
            }
        }
        if (r.pid() == null || !hostName().equals(r.host()) || alive(r.pid(), r.processStartedAt())) {
            return null;
        }
        return "runner process " + r.pid() + " on " + r.host() + " is gone (killed or crashed)";
    }

    /** The pre-lease check, kept for runs recorded without a lease: the pid is alive and started when recorded. */
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
            throw new UserError(null, cause.getMessage(), e);
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
