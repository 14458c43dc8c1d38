package dev.autotune.runner.cloudai;

import dev.autotune.domain.FailureCategory;
import dev.autotune.runner.config.Knobs;
import dev.autotune.runner.report.ParsedReport;
import dev.autotune.runner.report.ReportException;
import dev.autotune.runner.report.ReportParser;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * From what a finished cloudai left behind (its exit code, its console output, its results dir) to the outcome. Pure:
 * it starts no process and writes nothing, so every rule here is tested on directories and lines alone
 * ({@code RunAnalysisTest}); {@link CloudaiRun} supervises the process and hands the facts over.
 */
final class RunAnalysis {
    /**
     * How autotune stopped cloudai; absent when cloudai ended on its own.
     *
     * @param reason       {@link FailureCategory#TIMEOUT} or {@link FailureCategory#INTERRUPTED}
     * @param message      what happened, for a person ("timed out: cloudai still ran after 6 s while running ...")
     * @param endedBefore  run dirs (canonical) whose job had ended before autotune began stopping cloudai: they are
     *                     judged as if nothing had stopped it
     * @param startedAfter run dirs (canonical) cloudai started after that, each with what became of its job ("Slurm
     *                     job 1053 cancelled with scancel"): such a job is not run, whatever it left
     */
    record Stop(FailureCategory reason, String message, Set<Path> endedBefore, Map<Path, String> startedAfter) {
        Stop {
            Objects.requireNonNull(reason, "reason");
            endedBefore = Set.copyOf(endedBefore);
            startedAfter = Map.copyOf(startedAfter);
        }

        /** A stop whose moment is unknown (a recovered run): every job is judged as one running then. */
        Stop(FailureCategory reason, String message) {
            this(reason, message, Set.of(), Map.of());
        }

        /** The note a job gets that had written its results before cloudai was stopped. */
        String lateNote() {
            return switch (reason) {
                case TIMEOUT -> "cloudai was stopped at the time limit after this job had written its results";
                case ABANDONED -> "recorded from the run directory by `autotune run --recover` after the autotune "
                        + "runner was killed";
                default -> "cloudai was interrupted after this job had written its results";
            };
        }

        /** Why a job cloudai started after the stop counts as not run. */
        String startedAfterStop(String whatBecameOfIt) {
            return "not run: cloudai started this job after " + (reason == FailureCategory.TIMEOUT
                    ? "the time limit" : "it was interrupted") + "; " + whatBecameOfIt;
        }

        String beforeFinished() {
            return switch (reason) {
                case TIMEOUT -> "timed out";
                case ABANDONED -> "the autotune runner was killed";
                default -> "interrupted";
            };
        }
    }

    /**
     * The facts the analysis works from.
     *
     * @param outputDir    the {@code --output-dir} cloudai was given
     * @param scenarioName the scenario's {@code name}, to find the results root when cloudai did not announce it
     * @param dryRun       {@code cloudai dry-run}
     * @param exitCode     cloudai's exit code
     * @param output       what cloudai printed
     * @param stop         how autotune stopped cloudai, or null
     * @param root         the scenario results dir when it is known already (results read after the fact); null
     *                     to find it from the output dir and what cloudai announced
     * @param sweep        the iteration dir of one DSE sweep read after the fact: only its step dirs are read (the
     *                     results around it may be anything, another upload's among them); null to read every run
     *                     dir under the root
     * @param boundary     the directory every file a step reads must lie in ({@link ReadBoundary}); null for the root
     */
    record Input(Path outputDir, String scenarioName, boolean dryRun, int exitCode, CloudaiOutput output, Stop stop,
                 Path root, Path sweep, Path boundary) {
        Input {
            Objects.requireNonNull(output, "output");
        }

        Input(Path outputDir, String scenarioName, boolean dryRun, int exitCode, CloudaiOutput output, Stop stop) {
            this(outputDir, scenarioName, dryRun, exitCode, output, stop, null, null, null);
        }
    }

    /**
     * The verdict.
     *
     * @param resultsDir  cloudai's scenario results dir, null when none was found
     * @param steps       one entry per run dir, in run order
     * @param failure     the failure of the run as a whole, null when it did not fail as a whole
     * @param diagnostics lines for the log, in order (a warning for each file in {@code outside})
     * @param boundary    the directory files were read from
     * @param outside     the files steps named outside the boundary, none of them read
     */
    record Result(Path resultsDir, List<StepResult> steps, Failure failure, List<String> diagnostics, Path boundary,
                  List<ReadBoundary.Outside> outside) {
        Result {
            steps = List.copyOf(steps);
            diagnostics = List.copyOf(diagnostics);
            outside = List.copyOf(outside);
        }
    }

    private final Input in;
    private final ReportParser parser;
    private final List<String> diagnostics = new ArrayList<>();
    private ReadBoundary boundary;

    private RunAnalysis(Input in, ReportParser parser) {
        this.in = in;
        this.parser = parser;
    }

    static Result analyze(Input in, ReportParser parser) {
        return new RunAnalysis(in, parser).run();
    }

    private Result run() {
        CloudaiOutput output = in.output();
        Path root = in.root() != null ? FsUtil.canon(in.root())
                : ResultsScanner.findRoot(in.outputDir(), output.resultsAt(), in.scenarioName());
        boundary = new ReadBoundary(in.boundary() != null ? in.boundary() : root);
        List<ResultsScanner.RunDir> dirs;
        if (in.sweep() != null) {
            dirs = ResultsScanner.sweepDirs(in.sweep());
        } else {
            dirs = ResultsScanner.runDirs(root, output.testOrder());
            dirs.addAll(announcedOnly(dirs));
        }
        Map<String, CloudaiOutput.JobEvent> events = eventsByLabel(dirs);
        // per iteration dir; empty when it has no readable trajectory.csv, so that is looked for (and noted) once
        Map<Path, Optional<Trajectory>> trajectories = new HashMap<>();
        List<StepResult> steps = new ArrayList<>();
        for (ResultsScanner.RunDir rd : dirs) {
            steps.add(step(rd, events.get(label(rd)), trajectories, root));
        }
        for (Optional<Trajectory> t : trajectories.values()) {
            t.ifPresent(traj -> traj.problems().forEach(pr -> diag("note: " + pr)));
        }
        Failure overall = overall(root, steps);
        notes(root, steps);
        List<ReadBoundary.Outside> outside = boundary.outside();
        outside.forEach(o -> diag("warning: " + ReadBoundary.warning(o, boundary.dir())));
        return new Result(root, attributeExit(steps, overall), overall, diagnostics, boundary.dir(), outside);
    }

    /**
     * When cloudai itself failed (a non-zero exit it chose: usage, config, submission errors, a crash) after it had
     * started jobs, that is why a job left no results, and each job is recorded on its own: so the job says it, not
     * only the run. A job whose results were complete keeps them, with a note.
     */
    private List<StepResult> attributeExit(List<StepResult> steps, Failure overall) {
        if (overall == null || in.stop() != null || in.exitCode() == 0) {
            return steps;
        }
        List<StepResult> out = new ArrayList<>();
        for (StepResult s : steps) {
            if (s.succeeded()) {
                out.add(new StepResult(s.testId(), s.iteration(), s.step(), s.stepDir(), s.knobs(), s.details(),
                        s.reports(), null, "cloudai failed after this job had written its results: " + overall,
                        s.phases()));
            } else {
                out.add(new StepResult(s.testId(), s.iteration(), s.step(), s.stepDir(), s.knobs(), s.details(),
                        s.reports(), new Failure(overall.category(), overall.message() + " (this job: "
                        + s.failure().message() + ")", overall.exitCode()), s.note(), s.phases()));
            }
        }
        return out;
    }

    private Failure overall(Path root, List<StepResult> steps) {
        int exit = in.exitCode();
        CloudaiOutput output = in.output();
        if (in.stop() != null) {
            return new Failure(in.stop().reason(), in.stop().message(), exit);
        }
        if (exit == 2) {
            String why = output.clickError() != null ? output.clickError() : output.lastLine();
            return new Failure(FailureCategory.USAGE_ERROR, "cloudai rejected its arguments (exit 2): "
                    + (why == null ? "no message" : why), exit);
        }
        if (exit == 1) {
            // every error line: the first often only names the file, the next ones the field and the reason
            List<String> lines = new ArrayList<>(output.errorLines());
            if (output.tracebackLast() != null) {
                lines.add(output.tracebackLast()); // an unhandled error's own words, e.g. pydantic's ValidationError
            }
            String why = !lines.isEmpty() ? bounded(String.join(" | ", lines)) : output.lastLine();
            return new Failure(FailureCategory.CONFIG_ERROR, "cloudai exited 1: " + (why == null ? "no message" : why),
                    exit);
        }
        if (exit != 0) {
            String sig = exit > 128 && exit < 160 ? " (killed by signal " + (exit - 128) + ")" : "";
            String last = output.tracebackLast() != null ? output.tracebackLast() : output.lastLine();
            return new Failure(FailureCategory.JOB_FAILED, "cloudai crashed with exit code " + exit + sig
                    + (last == null ? "" : ": " + last), exit);
        }
        if (in.dryRun()) {
            return null;
        }
        if (steps.isEmpty()) {
            Path dseFailure = root == null ? null : root.resolve("dse_failure.txt");
            if (dseFailure != null && Files.exists(dseFailure)) {
                return new Failure(FailureCategory.JOB_FAILED, "cloudai's DSE failed: " + FsUtil.firstLine(dseFailure),
                        exit);
            }
            List<CloudaiOutput.JobEvent> unplaced = output.unplacedJobEvents();
            if (!unplaced.isEmpty()) {
                return new Failure(FailureCategory.JOB_FAILED, unplaced.get(0).message(), exit);
            }
            return new Failure(FailureCategory.NO_REPORT, root == null
                    ? "cloudai exited 0 but announced no results dir and none was found in " + in.outputDir()
                    : "cloudai exited 0 but wrote no test run dirs in " + root, exit);
        }
        List<StepResult> failed = steps.stream().filter(s -> !s.succeeded()).toList();
        if (failed.size() == steps.size()) {
            Failure first = failed.get(0).failure();
            String msg = steps.size() == 1 ? first.message()
                    : "all " + steps.size() + " runs failed; first, " + failed.get(0).label() + ": " + first.message();
            return new Failure(first.category(), msg, exit);
        }
        return null;
    }

    private void notes(Path root, List<StepResult> steps) {
        if (root == null) {
            return;
        }
        Path dseFailure = root.resolve("dse_failure.txt");
        if (Files.exists(dseFailure)) {
            diag("note: cloudai's DSE stopped early with an unexpected error (" + dseFailure + "): "
                    + FsUtil.firstLine(dseFailure));
        }
        Path tgz = root.resolveSibling(root.getFileName() + ".tgz");
        // dry-run writes the tarball too, so there it says nothing about failures
        if (!in.dryRun() && Files.exists(tgz) && !steps.isEmpty() && steps.stream().allMatch(StepResult::succeeded)) {
            diag("note: cloudai created " + tgz + ", which it does when a run failed, but every run looks"
                    + " successful from its files");
        }
    }

    private StepResult step(ResultsScanner.RunDir rd, CloudaiOutput.JobEvent event,
                            Map<Path, Optional<Trajectory>> trajectories, Path root) {
        int exit = in.exitCode();
        Path dir = rd.dir();
        Map<String, Object> knobs = new LinkedHashMap<>();
        TomlTable td = null;
        String template = null;
        Path testRun = dir.resolve("test-run.toml");
        if (Files.isRegularFile(testRun)) {
            try {
                TomlParseResult t = Toml.parse(testRun);
                if (t.hasErrors()) {
                    diag("note: " + testRun + " is not valid TOML: " + t.errors().get(0));
                } else {
                    td = t.get("test_definition") instanceof TomlTable tt ? tt : null;
                    Object nnodes = t.get("nnodes");
                    if (td != null) {
                        template = td.get("test_template_name") instanceof String s ? s : null;
                        knobs.putAll(Knobs.ofTestDefinition(td, nnodes));
                    } else if (nnodes != null) {
                        knobs.put(Knobs.NUM_NODES, nnodes);
                    }
                }
            } catch (IOException | RuntimeException e) {
                diag("note: cannot read " + testRun + ": " + e.getMessage());
            }
        }
        String kindTemplate = template;
        TomlTable definition = td;
        knobs.keySet().removeIf(k -> !Workloads.knobRan(kindTemplate, definition, dir, k));
        if (rd.step() != null) {
            Path iterDir = dir.getParent();
            Trajectory traj = trajectories.computeIfAbsent(iterDir, d -> {
                Path csv = d.resolve("trajectory.csv");
                if (!Files.isRegularFile(csv)) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(Trajectory.read(csv));
                } catch (IOException | RuntimeException e) {
                    diag("note: cannot read " + csv + ": " + e.getMessage());
                    return Optional.empty();
                }
            }).orElse(null);
            Trajectory.Row row = traj == null ? null : traj.step(rd.step());
            // a step that never finished has no trajectory row; cloudai announced its action when it started it
            Map<String, Object> action = row != null ? row.action() : in.output().actionOf(dir);
            if (action != null) {
                knobs.putAll(action);
            }
        }
        List<ParsedReport> reports = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        if (!in.dryRun()) {
            for (Workloads.ReportFile f : Workloads.reportFiles(template, td, dir, boundary)) {
                try {
                    if (f.accuracy() != null) {
                        ParsedReport accuracy = f.accuracyReport();
                        if (accuracy != null) {
                            reports.add(accuracy);
                        }
                    } else {
                        reports.add(f.format() == null ? parser.parse(f.path()) : parser.parse(f.path(), f.format()));
                    }
                } catch (ReportException e) {
                    unreadable.add(e.getMessage());
                } catch (IOException | RuntimeException e) {
                    unreadable.add(f.path() + ": " + e);
                }
            }
        }
        Failure failure = null;
        if (event != null && !event.terminated()) {
            failure = new Failure(FailureCategory.JOB_FAILED, event.message(), exit);
        } else if (!in.dryRun()) {
            String judged = Workloads.judge(template, td, dir, boundary);
            if (judged != null) {
                failure = new Failure(FailureCategory.JOB_FAILED,
                        event != null ? event.message() + ": " + judged : judged, exit);
            } else if (!unreadable.isEmpty()) {
                failure = new Failure(FailureCategory.UNREADABLE_REPORT, unreadable.get(0)
                        + (unreadable.size() > 1 ? " (and " + (unreadable.size() - 1) + " more unreadable)" : ""),
                        exit);
            } else if (reports.isEmpty()) {
                failure = new Failure(FailureCategory.NO_REPORT, "no report file in " + dir + " (looked for "
                        + String.join(", ", Workloads.reportNames(template, td, dir)) + ")", exit);
            }
        }
        // a dry run's slurm-job.toml holds mock values (job 0, state UNKNOWN)
        Map<String, String> slurm = in.dryRun() ? Map.of() : RunDetails.ofSlurmJob(dir, root);
        if (failure != null && failure.category() == FailureCategory.JOB_FAILED) {
            failure = jobFailure(failure, dir, slurm);
        }
        Stop stop = in.stop();
        String note = null;
        String late = stop == null ? null : stop.startedAfter().get(FsUtil.canon(dir));
        if (late != null) {
            // no job may start after the limit: whatever it left is not a result of this run
            failure = new Failure(FailureCategory.CANCELLED, stop.startedAfterStop(late), exit);
            reports.clear();
        } else if (stop != null && stop.endedBefore().contains(FsUtil.canon(dir))) {
            // ended before autotune stopped cloudai: its own verdict, without a note about the stop
        } else if (failure != null && stop != null) {
            failure = new Failure(stop.reason(), stop.beforeFinished() + " before this run finished: "
                    + failure.message(), exit);
        } else if (stop != null && !in.dryRun()) {
            // the job finished and its results are complete: it is one completed experiment, and says what happened
            note = stop.lateNote();
        }
        Map<String, String> details = details(rd);
        details.putAll(RunDetails.ofTestDefinition(td));
        details.putAll(slurm);
        details.putAll(RunDetails.ofNodes(dir, root));
        List<StepResult.Phase> phases = in.dryRun() || late != null ? List.of()
                : AiperfPhases.read(td, dir, parser, boundary, this::diag);
        StepResult sr = new StepResult(rd.testId(), rd.iteration(), rd.step(), dir, knobs, details, reports,
                failure, note, phases);
        if (failure != null) {
            diag("step " + sr.label() + " FAILED " + failure);
        } else {
            List<ParsedReport> read = sr.measuredReports();
            diag("step " + sr.label() + " ok: " + (in.dryRun() ? "dry-run" : read.size() + " report"
                    + (read.size() == 1 ? "" : "s") + reportNames(read)) + (note == null ? "" : "; " + note));
        }
        return sr;
    }

    /**
     * A job that failed, as the job tells it: out of memory when its serving log (or Slurm) says so, and Slurm's
     * state and exit code as the job's (cloudai's own exit code is 0 when a job fails, which says nothing).
     */
    private static Failure jobFailure(Failure failure, Path dir, Map<String, String> slurm) {
        String state = slurm.get("slurm.state");
        String code = slurm.get("slurm.exit_code");
        String oom = OutOfMemory.evidence(dir, state);
        String message = (oom == null ? "" : "out of memory: " + oom + "; ") + failure.message()
                + (state == null ? "" : " (Slurm job " + slurm.getOrDefault("slurm.job_id", "?") + " " + state
                + (code == null ? "" : ", exit code " + code) + ")");
        Integer exit = failure.exitCode();
        if (code != null && code.matches("\\d+(:\\d+)?")) {
            exit = Integer.parseInt(code.contains(":") ? code.substring(0, code.indexOf(':')) : code);
        }
        return new Failure(oom == null ? FailureCategory.JOB_FAILED : FailureCategory.OUT_OF_MEMORY, message, exit);
    }

    /** Where this run sits in the scenario, as CloudAI names it. */
    private static Map<String, String> details(ResultsScanner.RunDir rd) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("cloudai.test_id", rd.testId());
        d.put("cloudai.iteration", Integer.toString(rd.iteration()));
        if (rd.step() != null) {
            d.put("cloudai.step", Integer.toString(rd.step()));
        }
        return d;
    }

    private static String reportNames(List<ParsedReport> reports) {
        return reports.isEmpty() ? "" : " (" + reports.stream().map(r -> String.valueOf(r.path().getFileName()))
                .collect(Collectors.joining(", ")) + ")";
    }

    /** Job events keyed by run dir label ({@code id/iter[/step]}), placing unplaced ones on their test's last dir. */
    private Map<String, CloudaiOutput.JobEvent> eventsByLabel(List<ResultsScanner.RunDir> dirs) {
        Map<String, CloudaiOutput.JobEvent> out = new HashMap<>();
        for (CloudaiOutput.JobEvent ev : in.output().jobEvents().values()) {
            String l = labelOf(ev.test(), ev.runDir());
            if (l != null) {
                out.merge(l, ev, (a, b) -> a.terminated() && !b.terminated() ? b : a);
            }
        }
        for (CloudaiOutput.JobEvent ev : in.output().unplacedJobEvents()) {
            for (int i = dirs.size() - 1; i >= 0; i--) {
                ResultsScanner.RunDir rd = dirs.get(i);
                if (rd.testId().equals(ev.test()) && !out.containsKey(label(rd))) {
                    out.put(label(rd), ev);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Run dirs cloudai announced but that are not on disk (it was stopped between saying so and creating them): the
     * job started, so it is recorded too, with the action cloudai announced for it.
     */
    private List<ResultsScanner.RunDir> announcedOnly(List<ResultsScanner.RunDir> found) {
        List<ResultsScanner.RunDir> out = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        found.forEach(rd -> labels.add(label(rd)));
        in.output().startedRunDirs().forEach((dir, test) -> {
            String l = labelOf(test, dir);
            if (l == null || labels.contains(l) || Files.isDirectory(dir)) {
                return;
            }
            String[] parts = l.substring(test.length() + 1).split("/");
            out.add(new ResultsScanner.RunDir(test, Integer.parseInt(parts[0]),
                    parts.length > 1 ? Integer.parseInt(parts[1]) : null, dir));
            labels.add(l);
        });
        return out;
    }

    private static String label(ResultsScanner.RunDir rd) {
        return rd.testId() + "/" + rd.iteration() + (rd.step() == null ? "" : "/" + rd.step());
    }

    /** {@code test/iter[/step]} from a run dir path ending in {@code .../<test>/<iter>[/<step>]}. */
    static String labelOf(String test, Path dir) {
        if (dir == null || test == null) {
            return null;
        }
        int n = dir.getNameCount();
        if (n >= 3 && dir.getName(n - 3).toString().equals(test) && isNum(dir.getName(n - 2))
                && isNum(dir.getName(n - 1))) {
            return test + "/" + Integer.parseInt(dir.getName(n - 2).toString()) + "/"
                    + Integer.parseInt(dir.getName(n - 1).toString());
        }
        if (n >= 2 && dir.getName(n - 2).toString().equals(test) && isNum(dir.getName(n - 1))) {
            return test + "/" + Integer.parseInt(dir.getName(n - 1).toString());
        }
        return null;
    }

    private static boolean isNum(Path p) {
        String s = p.toString();
        return !s.isEmpty() && s.length() < 10 && s.chars().allMatch(Character::isDigit);
    }

    /** A failure message stays readable in a table cell and an event: long enough for every field error. */
    static final int MAX_MESSAGE = 4000;

    private static String bounded(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + " ...";
    }

    private void diag(String line) {
        diagnostics.add(line);
    }
}
