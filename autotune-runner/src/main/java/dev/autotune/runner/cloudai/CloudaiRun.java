package dev.autotune.runner.cloudai;

import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.OneLine;
import dev.autotune.runner.report.ReportParser;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Supervises one cloudai process: launches it, streams what it prints, enforces the timeout, handles signals and
 * kills its whole tree; then hands the exit code, the output and the results dir to {@link RunAnalysis}, which decides
 * the outcome.
 *
 * <p>Command (an argument array, never a shell): {@code <bin> --log-file <runDir>/cloudai-debug.log run|dry-run
 * --system-config S --test-scenario T [--tests-dir D] [--hook-dir H] --output-dir <runDir>/results}. Group options
 * ({@code --log-file}) go before the subcommand, as click requires; {@code --log-file} keeps cloudai from writing
 * {@code debug.log} into the current directory. The working directory is inherited (cloudai resolves relative paths
 * in the system TOML, e.g. {@code install_path}, against it). {@code PYTHONUNBUFFERED=1} is set so lines arrive as
 * they are printed.
 *
 * <p>stdout and stderr are merged and copied line by line (flushed per line) to the terminal and to
 * {@code runDir/stdout.log}. Progress lines ({@code [autotune 00:42] running test vllm.dse.1node step 3/3}) go to the
 * terminal when the test or step changes, and every {@link Options#progressInterval} otherwise. Every failure ends
 * with a {@code [autotune] FAILED <category>: <message>} line in the log and on the terminal.
 *
 * <p>Success is judged per run dir from the files (CloudAI exits 0 when jobs fail): see {@link Workloads}.
 */
public final class CloudaiRun {
    static final int MAX_LINE = 16 * 1024;

    /**
     * Tuning knobs, mostly for tests.
     *
     * @param progressInterval heartbeat period for progress lines when nothing changes
     * @param killGrace        how long cloudai gets after SIGTERM to cancel its jobs before the tree is killed
     * @param drainTimeout     how long to wait for the output to end after cloudai exited (orphans may hold it)
     * @param scancel          Slurm's {@code scancel}, for the jobs cloudai submitted after it was told to stop
     *                         (see {@link LateJobs})
     */
    public record Options(Duration progressInterval, Duration killGrace, Duration drainTimeout, String scancel) {
        public Options {
            Objects.requireNonNull(progressInterval);
            Objects.requireNonNull(killGrace);
            Objects.requireNonNull(drainTimeout);
            Objects.requireNonNull(scancel);
        }

        public Options(Duration progressInterval, Duration killGrace, Duration drainTimeout) {
            this(progressInterval, killGrace, drainTimeout, "scancel");
        }

        public static Options defaults() {
            return new Options(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(5));
        }
    }

    private final RunRequest req;
    private final ReportParser parser;
    private final PrintStream terminal;
    private final Options options;

    private final Object outLock = new Object();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean killStarted = new AtomicBoolean();
    private final CountDownLatch killDone = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<FailureCategory> stopReason = new AtomicReference<>();
    private volatile boolean interruptRequested;
    private volatile Process process;
    private volatile int forcedKills;
    private volatile long startNanos;
    private volatile long lastProgressNanos;
    private volatile long lastChanges = -1;
    private Writer log;
    private boolean logClosed;
    private CloudaiOutput output;

    public CloudaiRun(RunRequest req, ReportParser parser, PrintStream terminal) {
        this(req, parser, terminal, Options.defaults());
    }

    public CloudaiRun(RunRequest req, ReportParser parser, PrintStream terminal, Options options) {
        this.req = Objects.requireNonNull(req, "req");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.terminal = terminal == null ? new PrintStream(OutputStream.nullOutputStream()) : terminal;
        this.options = options == null ? Options.defaults() : options;
    }

    /**
     * Stops the run: cloudai gets SIGTERM (so it can cancel its jobs), then its whole process tree is killed. Safe to
     * call from any thread, more than once, and from a JVM shutdown hook: it returns once the processes are gone and
     * (bounded) {@link #execute()} has written its diagnostics. {@link #execute()} then returns
     * {@link FailureCategory#INTERRUPTED}. Called before {@code execute()}, the run never starts.
     */
    public void interrupt() {
        interruptRequested = true;
        stopReason.compareAndSet(null, FailureCategory.INTERRUPTED);
        Process p = process;
        if (p != null) {
            stopTree(p);
        }
        if (started.get()) {
            try {
                finished.await(options.killGrace().toMillis() + options.drainTimeout().toMillis() + 10_000,
                        TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Blocks until cloudai has finished (or was stopped). Never throws for a problem with the run. */
    public RunOutcome execute() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a CloudaiRun executes once; create a new one");
        }
        startNanos = System.nanoTime();
        try {
            return run();
        } catch (RuntimeException | StackOverflowError e) {
            Process p = process;
            if (p != null && p.isAlive()) {
                stopTree(p);
            }
            Failure f = new Failure(p == null ? FailureCategory.LAUNCH_FAILED : FailureCategory.JOB_FAILED,
                    "internal error in autotune while running cloudai: " + e, exitCodeOrNull(p));
            diag("FAILED " + f);
            return new RunOutcome(exitCodeOrNull(p), req.runDir(), req.logFile(), null, List.of(), f, req.dryRun());
        } finally {
            closeLog();
            finished.countDown();
        }
    }

    private RunOutcome run() {
        Path runDir = req.runDir();
        try {
            Files.createDirectories(runDir);
            log = Files.newBufferedWriter(req.logFile(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            return launchFailed("cannot create run dir / log " + req.logFile() + ": " + e.getMessage());
        }
        if (interruptRequested) {
            return finish(null, null, List.of(), new Failure(FailureCategory.INTERRUPTED,
                    "interrupted before cloudai started", null));
        }
        Executables.Resolved bin = Executables.resolve(req.cloudaiBin());
        if (!bin.ok()) {
            return launchFailed(bin.problem());
        }
        List<String> cmd = command(bin.path().toString());
        String scenarioName = scenarioName(req.scenarioToml());
        diag("run dir " + runDir.toAbsolutePath());
        diag("$ " + cmd.stream().map(CloudaiRun::shellQuote).collect(Collectors.joining(" ")));

        Path cwd = Path.of("").toAbsolutePath();
        output = new CloudaiOutput(cwd);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PYTHONUNBUFFERED", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException | RuntimeException e) {
            return launchFailed("cannot start " + bin.path() + ": " + e.getMessage());
        }
        process = p;
        if (interruptRequested) {
            stopTree(p);
        }
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // cloudai does not read stdin
        }
        Thread reader = new Thread(() -> pump(p.getInputStream()), "cloudai-output-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        progress("started cloudai " + (req.dryRun() ? "dry-run" : "run") + " (pid " + p.pid() + "), log: "
                + req.logFile());

        Long deadline = req.timeout() == null ? null : startNanos + req.timeout().toNanos();
        boolean threadInterrupted = false;
        while (true) {
            try {
                if (p.waitFor(200, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                threadInterrupted = true;
                interruptRequested = true;
                stopReason.compareAndSet(null, FailureCategory.INTERRUPTED);
                stopTree(p);
                continue;
            }
            if (interruptRequested) {
                stopTree(p);
                continue;
            }
            if (deadline != null && System.nanoTime() - deadline >= 0 && stopReason.compareAndSet(null,
                    FailureCategory.TIMEOUT)) {
                progress("timeout of " + human(req.timeout()) + " reached: stopping cloudai and its processes");
                stopTree(p);
                continue;
            }
            if (System.nanoTime() - lastProgressNanos >= options.progressInterval().toNanos()) {
                progress("still " + describeNow());
            }
        }
        if (killStarted.get()) {
            try {
                killDone.await(options.killGrace().toMillis() + 15_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                threadInterrupted = true;
            }
        }
        int exit = p.exitValue();
        try {
            reader.join(options.drainTimeout().toMillis());
        } catch (InterruptedException e) {
            threadInterrupted = true;
        }
        synchronized (outLock) {
            readerDetached = true; // late lines from orphans holding the pipe are dropped from here on
        }
        diag("cloudai exited with code " + exit + " after " + elapsed());
        RunOutcome outcome = analyze(exit, scenarioName);
        if (threadInterrupted) {
            Thread.currentThread().interrupt();
        }
        return outcome;
    }

    private boolean readerDetached;
    /** What cloudai was doing when autotune began stopping it. */
    private volatile String whereAtStop;

    List<String> command(String bin) {
        RunRequest.PassThrough pass = req.passThrough();
        List<String> cmd = new ArrayList<>();
        cmd.add(bin);
        cmd.add("--log-file");
        cmd.add(req.debugLogFile().toAbsolutePath().toString());
        if (pass.logLevel() != null) {
            cmd.add("--log-level");
            cmd.add(pass.logLevel());
        }
        cmd.add(req.dryRun() ? "dry-run" : "run");
        cmd.add("--system-config");
        cmd.add(req.systemConfig().toString());
        cmd.add("--test-scenario");
        cmd.add(req.scenarioToml().toString());
        if (req.testsDir() != null) {
            cmd.add("--tests-dir");
            cmd.add(req.testsDir().toString());
        }
        if (req.hookDir() != null) {
            cmd.add("--hook-dir");
            cmd.add(req.hookDir().toString());
        }
        cmd.add("--output-dir");
        cmd.add(req.outputDir().toAbsolutePath().toString());
        if (pass.enableCacheWithoutCheck()) {
            cmd.add("--enable-cache-without-check");
        }
        if (pass.singleSbatch()) {
            cmd.add("--single-sbatch");
        }
        cmd.addAll(pass.extraArgs());
        return cmd;
    }

    // ---------------------------------------------------------------- a run whose supervisor died

    /**
     * What a run left in {@code runDir} when the autotune process supervising it was killed hard (kill -9) before it
     * recorded the run: the console as {@code stdout.log} kept it and the results dir, analysed as a finished run's
     * are. cloudai's exit code is unknown, so every job is judged by its files alone, and a job without results fails
     * as {@link FailureCategory#ABANDONED} (its experiment stays abandoned: cloudai may still be finishing it).
     *
     * @param scenarioToml the scenario the run was given, for the name of its results dir
     */
    public static RunOutcome recover(Path runDir, Path scenarioToml, boolean dryRun, ReportParser parser) {
        Path log = runDir.resolve("stdout.log");
        CloudaiOutput output = new CloudaiOutput(Path.of("").toAbsolutePath());
        if (Files.isRegularFile(log)) {
            // decoding replaces malformed bytes, as the live reader did
            try (var lines = new java.io.BufferedReader(new InputStreamReader(Files.newInputStream(log),
                    StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::accept);
            } catch (IOException | java.io.UncheckedIOException e) {
                // a console that cannot be read leaves the results dir, which is found by the scenario's name
            }
        }
        RunAnalysis.Stop stop = new RunAnalysis.Stop(FailureCategory.ABANDONED,
                "the autotune runner was killed before it recorded this run; recovered from " + runDir);
        // 0 stands for the unknown exit code: with a stop, the analysis judges every job by its files alone
        RunAnalysis.Result r = RunAnalysis.analyze(new RunAnalysis.Input(runDir.resolve("results"),
                scenarioName(scenarioToml), dryRun, 0, output, stop), parser);
        return new RunOutcome(null, runDir, log, r.resultsDir(), r.steps(), r.failure(), dryRun);
    }

    // ---------------------------------------------------------------- hand over to the analysis

    private RunOutcome analyze(int exit, String scenarioName) {
        Map<Path, String> late = LateJobs.cancel(output.stopPoint(), output.submitted(), options.scancel(),
                this::diag);
        RunAnalysis.Stop stop = stopOf(stopReason.get(), exit, late);
        RunAnalysis.Result r = RunAnalysis.analyze(new RunAnalysis.Input(req.outputDir(), scenarioName, req.dryRun(),
                exit, output, stop), parser);
        r.diagnostics().forEach(this::diag);
        return finish(exit, r.resultsDir(), r.steps(), r.failure());
    }

    /** What autotune did to cloudai, in words, while the supervisor still knows when and where it was. */
    private RunAnalysis.Stop stopOf(FailureCategory reason, int exit, Map<Path, String> late) {
        if (reason == null) {
            return null;
        }
        CloudaiOutput.StopPoint point = output.stopPoint();
        String where = whereAtStop != null ? whereAtStop : describeNow();
        String message = reason == FailureCategory.TIMEOUT
                ? "timed out: cloudai still ran after " + human(req.timeout()) + " while " + where
                : "interrupted after " + elapsed() + " while " + where;
        String after = late.isEmpty() ? "" : "; " + late.size() + " job" + (late.size() == 1 ? "" : "s")
                + " it started after that not run";
        return new RunAnalysis.Stop(reason, message + "; stopped cloudai" + killedNote() + " (exit " + exit + ")"
                + after, point == null ? Set.of() : point.ended(), late);
    }

    private String killedNote() {
        int n = forcedKills;
        return n > 0 ? " and killed " + n + " process" + (n == 1 ? "" : "es") + " of its tree" : "";
    }

    private RunOutcome finish(Integer exit, Path root, List<StepResult> steps, Failure failure) {
        if (failure != null) {
            diag("FAILED " + failure);
        } else {
            long ok = steps.stream().filter(StepResult::succeeded).count();
            diag((ok == steps.size() ? "OK: " : "FAILED: ") + ok + " of " + steps.size() + " run"
                    + (steps.size() == 1 ? "" : "s") + " succeeded"
                    + (req.dryRun() ? " (dry-run)" : "") + " in " + elapsed()
                    + (root == null ? "" : "; results in " + root));
        }
        return new RunOutcome(exit, req.runDir(), req.logFile(), root, steps, failure, req.dryRun());
    }

    private RunOutcome launchFailed(String why) {
        return finish(null, null, List.of(), new Failure(FailureCategory.LAUNCH_FAILED, why, null));
    }

    // ---------------------------------------------------------------- process control

    private void stopTree(Process p) {
        if (!killStarted.compareAndSet(false, true)) {
            return;
        }
        CloudaiOutput o = output;
        if (o != null) {
            whereAtStop = describeNow();
            o.markStop(); // before the signal: what cloudai starts from here on, it started after the stop
        }
        try {
            forcedKills = ProcessTree.kill(p.toHandle(), options.killGrace());
        } finally {
            killDone.countDown();
        }
    }

    private static Integer exitCodeOrNull(Process p) {
        if (p == null || p.isAlive()) {
            return null;
        }
        return p.exitValue();
    }

    // ---------------------------------------------------------------- output

    private void pump(InputStream in) {
        StringBuilder sb = new StringBuilder();
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            char[] buf = new char[8192];
            boolean lastCr = false;
            int n;
            while ((n = r.read(buf)) > 0) {
                for (int k = 0; k < n; k++) {
                    char c = buf[k];
                    if (c == '\n') {
                        if (!lastCr) {
                            line(sb);
                        }
                        lastCr = false;
                    } else if (c == '\r') {
                        line(sb);
                        lastCr = true;
                    } else {
                        lastCr = false;
                        sb.append(c);
                        if (sb.length() >= MAX_LINE) {
                            line(sb);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the pipe closed: cloudai is gone
        }
        if (!sb.isEmpty()) {
            line(sb);
        }
    }

    private void line(StringBuilder sb) {
        String line = sb.toString();
        sb.setLength(0);
        synchronized (outLock) {
            if (readerDetached) {
                return;
            }
            output.accept(line);
            writeLog(line);
            terminal.println(line);
            terminal.flush();
        }
        long changes = output.changes();
        if (changes != lastChanges) {
            lastChanges = changes;
            if (changes > 0) {
                progress(describeNow());
            }
        }
    }

    private String describeNow() {
        CloudaiOutput o = output;
        String test = o == null ? null : o.currentTest();
        if (test == null) {
            return "waiting for cloudai to start a test";
        }
        StringBuilder sb = new StringBuilder("running test ").append(test);
        Integer step = o.step();
        if (step != null) {
            sb.append(" step ").append(step);
            if (o.stepsTotal() != null) {
                sb.append('/').append(o.stepsTotal());
            }
        }
        Path dir = o.currentRunDir();
        if (dir != null) {
            String l = RunAnalysis.labelOf(test, dir);
            if (l != null) {
                String[] parts = l.substring(test.length() + 1).split("/");
                int iteration = Integer.parseInt(parts[0]);
                if (iteration > 0) {
                    sb.append(" iteration ").append(iteration + 1);
                }
            }
        }
        return sb.toString();
    }

    private void progress(String what) {
        lastProgressNanos = System.nanoTime();
        synchronized (outLock) {
            terminal.println("[autotune " + elapsed() + "] " + what);
            terminal.flush();
        }
    }

    /** A diagnostic line: to stdout.log and to the terminal. */
    private void diag(String text) {
        String line = "[autotune] " + OneLine.of(text);
        synchronized (outLock) {
            writeLog(line);
            terminal.println(line);
            terminal.flush();
        }
    }

    private void writeLog(String line) {
        synchronized (outLock) {
            if (log == null || logClosed) {
                return;
            }
            try {
                log.write(line);
                log.write('\n');
                log.flush();
            } catch (IOException e) {
                logClosed = true;
                terminal.println("[autotune] cannot write " + req.logFile() + ": " + e.getMessage());
            }
        }
    }

    private void closeLog() {
        synchronized (outLock) {
            readerDetached = true;
            if (log != null && !logClosed) {
                try {
                    log.close();
                } catch (IOException ignored) {
                    // nothing left to do
                }
            }
            logClosed = true;
        }
    }

    private String elapsed() {
        return clock(Duration.ofNanos(System.nanoTime() - startNanos));
    }

    static String clock(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format("%02d:%02d", s / 60, s % 60);
    }

    static String human(Duration d) {
        if (d == null) {
            return "-";
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms % 1000 != 0 && ms < 60_000) {
            return String.format("%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + " s";
        }
        return s % 60 == 0 ? (s / 60) + " min" : clock(d);
    }

    static String scenarioName(Path scenario) {
        try {
            TomlParseResult t = Toml.parse(scenario);
            return t.get("name") instanceof String s ? s : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String shellQuote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./=:,+@%-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * A DSE sweep read after the fact.
     *
     * @param steps    the steps of the trajectory's iteration, in step order
     * @param boundary the directory every file a step read lies in
     * @param outside  the files steps named outside it, none of them read
     * @param warnings a line for each of those
     */
    public record Sweep(List<StepResult> steps, Path boundary, List<ReadBoundary.Outside> outside,
                        List<String> warnings) {
        public Sweep {
            steps = List.copyOf(steps);
            outside = List.copyOf(outside);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * The steps of a DSE sweep cloudai finished earlier, read from what it left: {@code trajectory.csv} in its
     * iteration dir ({@code <root>/<test id>/<iteration>/} as cloudai writes it, or any dir) and the step dirs beside
     * it. Each step is judged, and its knobs, reports and details read, exactly as {@code run} reads the results of a
     * sweep it launched (the same analysis); only the steps of this iteration are read, in step order. A trajectory
     * row whose step dir is missing has no results to read and is not among them.
     *
     * @param within the directory every file a step reads must lie in (an upload's unpacked dir); null for the
     *               results root of cloudai's layout, else the iteration dir
     */
    public static Sweep readSweep(Path trajectoryCsv, ReportParser parser, Path within) {
        Path iterationDir = FsUtil.canon(trajectoryCsv.toAbsolutePath().getParent());
        Path testDir = iterationDir.getParent();
        Path root = testDir == null || !iterationDir.getFileName().toString().matches("\\d{1,9}") ? null
                : testDir.getParent();
        Path boundary = within != null ? FsUtil.canon(within) : root != null ? root : iterationDir;
        if (root != null && !root.startsWith(boundary)) {
            root = null; // the results around an upload are not the upload's: no job or node files from there
        }
        RunAnalysis.Result result = RunAnalysis.analyze(new RunAnalysis.Input(null, null, false, 0,
                new CloudaiOutput(iterationDir), null, root == null ? iterationDir : root, iterationDir, boundary),
                parser);
        List<String> warnings = result.outside().stream().map(o -> ReadBoundary.warning(o, boundary)).toList();
        return new Sweep(result.steps(), boundary, result.outside(), warnings);
    }
}
