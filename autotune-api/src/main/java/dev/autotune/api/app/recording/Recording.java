package dev.autotune.api.app.recording;

import dev.autotune.domain.SameRun;
import dev.autotune.api.app.common.DuplicateReport;
import dev.autotune.api.app.common.Inputs;
import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.runs.RunRecorder;
import dev.autotune.api.app.session.StoreSession;
import dev.autotune.domain.ExperimentApi.IngestReport;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.KnobNames;
import dev.autotune.domain.Metric;
import dev.autotune.domain.PathKnobs;
import dev.autotune.domain.analysis.KnobValues;
import dev.autotune.domain.analysis.Numbers;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.domain.study.ConfigValues;
import dev.autotune.projections.ExperimentList;
import dev.autotune.runner.cloudai.CloudaiRun;
import dev.autotune.runner.cloudai.RunOutcome;
import dev.autotune.runner.config.ConfigException;
import dev.autotune.runner.config.ConfigFile;
import dev.autotune.runner.report.ParsedReport;
import dev.autotune.runner.report.ReportException;
import dev.autotune.runner.report.ReportFacts;
import dev.autotune.runner.report.ReportFormat;
import dev.autotune.runner.report.ReportParser;
import dev.autotune.store.AxonStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Recording results: one report (ingest), with the knobs from its config, its {@code --set} pairs and the load it
 * states, and the duplicate policy; a CloudAI DSE sweep from its trajectory and step dirs. Bulk ingest (many files)
 * goes through here one file at a time.
 */
public final class Recording {
    private final StoreSession session;
    private final ReportParser parser;

    public Recording(StoreSession session, ReportParser parser) {
        this.session = session;
        this.parser = parser;
    }

    /** The report size cap ingest applies unless told otherwise (ingest --max-report-mb). */
    public static final long DEFAULT_MAX_REPORT_BYTES = ReportParser.DEFAULT_MAX_BYTES;

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
        session.views().list().list(new ListFilter(scenario, null, null, true), 0).forEach(e -> known.addAll(e.knobs().keySet()));
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
        IngestReport ingest = new IngestReport(id, start, RunRecorder.toEvent(report));
        // The duplicate checks and the append are one step across processes: both happen under the write lock (on
        // PostgreSQL: locks on the report's hash and run fingerprint, what the checks look up), on read models
        // brought up to the end of the log first, and the appended events are projected in the append's own
        // transaction, so the read models include them as soon as this returns.
        session.axon().appendAndProject(duplicateKeys(report.sha256(), report.facts().runFingerprint()), () -> {
            if (request.allowDuplicate()) {
                return;
            }
            ExperimentList.Earlier earlier = session.views().list().recordedBefore(report.sha256(),
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
        }, () -> session.send(ingest));
        // the number alone: the list row's JSON columns are not needed here
        int number = session.views().numbers().of(List.of(id)).get(id);
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
    public static Map<String, Object> withStatedLoad(Map<String, Object> knobs, ReportFacts facts, List<String> disagreements) {
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

    /** An earlier experiment of this scenario that recorded the same benchmark run with the same config ({@link SameRun}). */
    private static Optional<Integer> sameRun(List<ExperimentSummary> sameRun, Map<String, Object> knobs) {
        Map<Integer, Map<String, Object>> earlier = new LinkedHashMap<>();
        sameRun.forEach(e -> earlier.putIfAbsent(e.number(), e.knobs()));
        return SameRun.earlier(earlier, knobs);
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
    public record Sweep(Path csv, dev.autotune.runner.cloudai.Trajectory trajectory, Set<String> swept,
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
    public Sweep readSweep(Path csv, Path within) {
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
    public IngestResult ingestTrajectory(IngestRequest request, Sweep sweep, List<String> moreKeys,
                                  java.util.function.Consumer<List<String>> alsoAppend) {
        Path csv = sweep.csv();
        List<dev.autotune.runner.cloudai.StepResult> steps = sweep.steps();
        String scenario = request.scenario() == null || request.scenario().isBlank() ? "default" : request.scenario();
        String runId = UUID.randomUUID().toString();
        String id = UUID.randomUUID().toString();
        StartExperiment launch = new StartExperiment(id, scenario, request.backend(), request.knobs(),
                request.configPath() == null ? null : request.configPath().toAbsolutePath().normalize().toString(),
                request.configSha256(), request.notes(), request.metadata(), ExperimentApi.Source.INGEST, runId, null);
        RunRecorder recorder = RunRecorder.forSweep(session, launch, request.knobs(), sweep.swept());
        String firstReport = steps.stream().flatMap(s -> s.reports().stream()).map(ParsedReport::sha256)
                .findFirst().orElse(null);
        List<String> keys = new ArrayList<>(firstReport == null ? List.of() : duplicateKeys(firstReport, null));
        keys.addAll(moreKeys);
        List<String> ids = session.axon().appendAndProject(keys.isEmpty() ? null : keys, () -> {
            Optional<Integer> earlier = firstReport == null ? Optional.empty()
                    : session.views().list().withReport(firstReport, scenario);
            if (earlier.isPresent() && !request.allowDuplicate()) {
                throw new DuplicateReport(csv + ": this sweep is already recorded (its first step's report is"
                        + " experiment " + earlier.get() + ")", earlier.get());
            }
        }, () -> {
            session.send(launch);
            List<String> recorded = recorder.record(new RunOutcome(0, null, null, csv.getParent(), steps, null, false));
            alsoAppend.accept(recorded);
            return recorded;
        });
        Map<String, Integer> byId = session.views().numbers().of(ids);
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

    public ParsedReport parse(Path file, String format) {
        try {
            return format == null ? parser.parse(file) : parser.parse(file, ReportFormat.parse(format));
        } catch (ReportException e) {
            throw new UserError("report", e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError("format", e.getMessage(), e);
        }
    }

    /** The serving engine a report format implies, when the user did not say. */
    static String backendOf(ReportFormat format) {
        return switch (format) {
            case VLLM_JSON -> "vllm";
            case SGLANG_JSONL -> "sglang";
            default -> null;
        };
    }

    /** The report formats ingest --format accepts, by code ({@code vllm-json}, ...). */
    public static List<String> reportFormats() {
        return java.util.Arrays.stream(ReportFormat.values()).map(ReportFormat::code).toList();
    }
}
