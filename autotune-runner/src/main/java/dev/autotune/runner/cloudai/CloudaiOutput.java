package dev.autotune.runner.cloudai;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What autotune learns from cloudai's console lines (the phrasing is CloudAI's, see the real captures in
 * {@code shared/cloudai/fixtures/real_cli_runs/cli_output}). Fed one line at a time from the reader thread, read
 * from others, so every method is synchronized.
 *
 * <pre>
 * [INFO] Scenario results will be stored at: results/vllm-dse_2026-11-24_22-06-25
 * [INFO] Running step 1 (of 3) with action {'decode.max_num_batched_tokens': 1024}
 * [INFO] Starting test: vllm.dse.1node (results at: results/vllm-dse_.../vllm.dse.1node/0/1)
 * [INFO] Submitted slurm job: 1001
 * [INFO] Job completed: vllm.dse.1node (iteration 1 of 1)
 * [ERROR] Job 1004 for test vllm.agg.a failed: vLLM bench log not found in /.../vllm.agg.a/0.
 * [INFO] Terminating job 1005 for test vllm.agg.b
 * [INFO] Created tarball at /.../vllm-plain_2026-11-24_22-06-43.tgz
 * Error: Missing option '--test-scenario'.          (click usage error, exit 2)
 * </pre>
 */
final class CloudaiOutput {
    private static final Pattern RESULTS_AT = Pattern.compile("Scenario results will be stored at:\\s*(.+?)\\s*$");
    private static final Pattern STARTING = Pattern.compile("Starting test:\\s*(\\S+)(?:\\s+\\(results at:\\s*(.+)\\))?\\s*$");
    private static final Pattern RUNNING_TEST = Pattern.compile("\\] Running test:\\s*(\\S+)\\s*$");
    private static final Pattern STEP = Pattern.compile("Running step (\\d+) \\(of (\\d+)\\)(?: with action (\\{.*\\}))?");
    private static final Pattern COMPLETED = Pattern.compile("Job completed:\\s*(\\S+)\\s+\\(iteration (\\d+) of (\\d+)\\)");
    private static final Pattern JOB_FAILED = Pattern.compile("\\[ERROR\\] Job (\\S+) for test (\\S+) failed:\\s*(.*)$");
    private static final Pattern TERMINATING = Pattern.compile("Terminating job (\\S+) for test (\\S+)");
    private static final Pattern SUBMITTED = Pattern.compile("Submitted slurm job:\\s*(\\d+)");
    private static final Pattern TARBALL = Pattern.compile("Created tarball at\\s*(.+?)\\s*$");
    private static final Pattern ERROR = Pattern.compile("^\\s*\\[(ERROR|CRITICAL)\\]\\s*(.*)$");
    private static final Pattern LEVEL = Pattern.compile("^\\s*\\[(DEBUG|INFO|WARNING|ERROR|CRITICAL)\\]");
    /** Enough for cloudai's validation errors (one line per field); a runaway error stream is cut. */
    static final int MAX_ERROR_LINES = 20;
    private static final Pattern CLICK_ERROR = Pattern.compile("^Error:\\s*(.+)$");
    private static final Pattern TRACEBACK_END = Pattern.compile("^[A-Za-z_][\\w.]*(Error|Exception|Exit|Interrupt)\\b.*$");

    /**
     * A Slurm job cloudai submitted ({@code Submitted slurm job: 1053}).
     *
     * @param jobId     the Slurm job id
     * @param test      the test it was submitted for, null when cloudai had not named one yet
     * @param runDir    the run dir cloudai had started last (canonical), null when none
     * @param afterStop submitted after autotune began stopping cloudai ({@link #markStop()})
     */
    record Submitted(String jobId, String test, Path runDir, boolean afterStop) {
    }

    /** A cloudai {@code [ERROR] Job ... failed} line, or a {@code Terminating job} line. */
    record JobEvent(String jobId, String test, Path runDir, String message, boolean terminated) {
    }

    private final Path cwd;
    private String resultsAt;
    private String currentTest;
    private Path currentRunDir;
    private Integer step;
    private Integer stepsTotal;
    private int completedJobs;
    private long changes;
    private final List<String> testOrder = new ArrayList<>();
    private final Map<String, Path> lastRunDirOfTest = new HashMap<>();
    private final Map<Path, JobEvent> jobEvents = new LinkedHashMap<>();
    private final Map<Path, Map<String, Object>> actions = new HashMap<>();
    private final Map<Path, String> startedRunDirs = new LinkedHashMap<>();
    private Map<String, Object> pendingAction;
    private final List<Submitted> submitted = new ArrayList<>();
    /** Run dirs whose job cloudai reported ended (completed or failed), while it ran. */
    private final Set<Path> endedRunDirs = new HashSet<>();
    /** Set by {@link #markStop()}: the run dirs that had ended by then; null while cloudai was not being stopped. */
    private Set<Path> endedAtStop;
    private final Map<Path, String> startedAfterStop = new LinkedHashMap<>();
    private final List<JobEvent> unplacedJobEvents = new ArrayList<>();
    private final List<String> errorLines = new ArrayList<>();
    private String clickError;
    private String tracebackLast;
    private String lastLine;
    private String tarball;
    private boolean sawTraceback;
    private boolean inError;

    CloudaiOutput(Path cwd) {
        this.cwd = cwd;
    }

    synchronized void accept(String rawLine) {
        String line = rawLine.strip();
        if (line.isEmpty()) {
            return;
        }
        lastLine = line;
        Matcher m;
        if ((m = RESULTS_AT.matcher(line)).find()) {
            resultsAt = m.group(1);
        }
        if ((m = STEP.matcher(line)).find()) {
            step = Integer.parseInt(m.group(1));
            stepsTotal = Integer.parseInt(m.group(2));
            pendingAction = m.group(3) == null ? null : action(m.group(3));
            changes++;
        }
        if ((m = STARTING.matcher(line)).find()) {
            currentTest = m.group(1);
            if (!testOrder.contains(currentTest)) {
                testOrder.add(currentTest);
            }
            if (m.group(2) != null) {
                currentRunDir = resolve(m.group(2));
                lastRunDirOfTest.put(currentTest, currentRunDir);
                startedRunDirs.putIfAbsent(currentRunDir, currentTest);
                if (endedAtStop != null) {
                    startedAfterStop.putIfAbsent(currentRunDir, currentTest);
                }
                if (pendingAction != null) {
                    actions.put(currentRunDir, pendingAction);
                    pendingAction = null;
                }
            }
            changes++;
        } else if ((m = RUNNING_TEST.matcher(line)).find() && !m.group(1).equals(currentTest)) {
            currentTest = m.group(1);
            if (!testOrder.contains(currentTest)) {
                testOrder.add(currentTest);
            }
            changes++;
        }
        if ((m = SUBMITTED.matcher(line)).find()) {
            submitted.add(new Submitted(m.group(1), currentTest, currentRunDir, endedAtStop != null));
        }
        if ((m = COMPLETED.matcher(line)).find()) {
            completedJobs++;
            ended(m.group(1));
        }
        if ((m = JOB_FAILED.matcher(line)).find()) {
            String test = m.group(2);
            Path dir = lastRunDirOfTest.get(test);
            JobEvent ev = new JobEvent(m.group(1), test, dir, "Job " + m.group(1) + " for test " + test + " failed: "
                    + m.group(3), false);
            place(ev);
            ended(test);
        } else if ((m = TERMINATING.matcher(line)).find()) {
            String test = m.group(2);
            Path dir = lastRunDirOfTest.get(test);
            place(new JobEvent(m.group(1), test, dir, "cloudai terminated job " + m.group(1) + " for test " + test
                    + " (after another job failed or on shutdown)", true));
        }
        if ((m = TARBALL.matcher(line)).find()) {
            tarball = m.group(1);
        }
        // an error message may span lines: Python's logging prints the lines after the first without the prefix
        if ((m = ERROR.matcher(line)).find()) {
            addError(m.group(2));
            inError = true;
        } else if (LEVEL.matcher(line).find() || line.startsWith("Traceback (most recent call last)")) {
            inError = false; // a traceback has its own summary line (tracebackLast)
        } else if (inError) {
            addError(line);
        }
        if ((m = CLICK_ERROR.matcher(line)).find()) {
            clickError = m.group(1);
        }
        if (line.startsWith("Traceback (most recent call last)")) {
            sawTraceback = true;
        }
        if (sawTraceback && TRACEBACK_END.matcher(line).matches()) {
            tracebackLast = line;
        }
    }

    /** A DSE action as cloudai printed it (a Python dict repr); null when it does not parse. */
    private static Map<String, Object> action(String repr) {
        try {
            return PyLiteral.parseDict(repr);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void ended(String test) {
        Path dir = lastRunDirOfTest.get(test);
        if (dir != null) {
            endedRunDirs.add(dir);
        }
    }

    /**
     * Autotune begins stopping cloudai (the time limit, an interrupt): from here on every run dir cloudai starts and
     * every job it submits is one it started after the stop, and the run dirs whose job had ended are kept as they
     * are now. Only the first call counts.
     */
    synchronized void markStop() {
        if (endedAtStop == null) {
            endedAtStop = Set.copyOf(endedRunDirs);
        }
    }

    /**
     * When autotune stopped cloudai: which run dirs had ended, and which cloudai started after the stop (dir to test
     * id); null when cloudai was not stopped.
     */
    synchronized StopPoint stopPoint() {
        return endedAtStop == null ? null : new StopPoint(endedAtStop, new LinkedHashMap<>(startedAfterStop));
    }

    record StopPoint(Set<Path> ended, Map<Path, String> startedAfter) {
        StopPoint {
            ended = Set.copyOf(ended);
            startedAfter = Map.copyOf(startedAfter);
        }
    }

    /** Every Slurm job cloudai said it submitted, in order. */
    synchronized List<Submitted> submitted() {
        return List.copyOf(submitted);
    }

    private void addError(String text) {
        if (errorLines.size() < MAX_ERROR_LINES && !text.isBlank()) {
            errorLines.add(text.strip());
        }
    }

    private void place(JobEvent ev) {
        if (ev.runDir() == null) {
            unplacedJobEvents.add(ev);
            return;
        }
        JobEvent prev = jobEvents.get(ev.runDir());
        if (prev == null || (prev.terminated() && !ev.terminated())) {
            jobEvents.put(ev.runDir(), ev);
        }
    }

    private Path resolve(String p) {
        Path path = Path.of(p.strip());
        if (!path.isAbsolute() && cwd != null) {
            path = cwd.resolve(path);
        }
        return FsUtil.canon(path);
    }

    /** The results root cloudai announced, resolved against the working dir; null if not (yet) printed. */
    synchronized Path resultsAt() {
        return resultsAt == null ? null : resolve(resultsAt);
    }

    synchronized String currentTest() {
        return currentTest;
    }

    synchronized Path currentRunDir() {
        return currentRunDir;
    }

    synchronized Integer step() {
        return step;
    }

    synchronized Integer stepsTotal() {
        return stepsTotal;
    }

    synchronized int completedJobs() {
        return completedJobs;
    }

    /** Increases whenever the test or step now running changes. */
    synchronized long changes() {
        return changes;
    }

    synchronized List<String> testOrder() {
        return List.copyOf(testOrder);
    }

    /** Job failure / termination lines by the run dir they belong to (canonical path). */
    synchronized Map<Path, JobEvent> jobEvents() {
        return Map.copyOf(jobEvents);
    }

    /**
     * The DSE action cloudai announced ({@code Running step N (of M) with action {...}}) for the run dir it then
     * started, by canonical path. It is printed before the step runs, so it is known even for a step that never
     * finished and has no trajectory row.
     */
    synchronized Map<String, Object> actionOf(Path runDir) {
        return actions.get(runDir);
    }

    /** Every run dir cloudai said it started a test in ({@code Starting test: X (results at: D)}): dir to test id. */
    synchronized Map<Path, String> startedRunDirs() {
        return new LinkedHashMap<>(startedRunDirs);
    }

    synchronized List<JobEvent> unplacedJobEvents() {
        return List.copyOf(unplacedJobEvents);
    }

    /** Every error line cloudai printed, continuation lines included, up to {@link #MAX_ERROR_LINES}. */
    synchronized List<String> errorLines() {
        return List.copyOf(errorLines);
    }

    synchronized String clickError() {
        return clickError;
    }

    synchronized String tracebackLast() {
        return tracebackLast;
    }

    synchronized String lastLine() {
        return lastLine;
    }

    synchronized Path tarball() {
        return tarball == null ? null : resolve(tarball);
    }
}
