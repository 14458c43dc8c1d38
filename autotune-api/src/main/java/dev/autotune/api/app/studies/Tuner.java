package dev.autotune.api.app.studies;

import dev.autotune.domain.study.ConfigLine;
import dev.autotune.api.app.runs.Runs;
import dev.autotune.api.app.session.StoreSession;

import dev.autotune.api.app.studies.Studies.Next;
import dev.autotune.api.app.studies.Studies.Point;

import dev.autotune.api.app.studies.Studies.StudySummary;
import dev.autotune.api.app.studies.Studies.TrialView;
import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.analysis.Numbers;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.search.Decision.StopReason;
import dev.autotune.domain.search.SearchSpace;
import dev.autotune.domain.search.Strategy;
import dev.autotune.runner.config.ConfigException;
import dev.autotune.runner.space.SpaceFile;
import dev.autotune.runner.space.TrialFiles;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * `autotune tune`: the closed loop over cloudai. Propose (record TrialProposed), derive the trial's CloudAI files,
 * run them through {@link Runs#run} (the trial is linked to its experiment as soon as that is recorded as
 * running), record, repeat; with {@code parallel} workers, each running its own cloudai. Everything the loop knows
 * comes from the log, so running the same command again resumes: trials whose experiment ended are never run again,
 * a proposal that never started runs first, and a trial whose runner died counts as abandoned.
 */
public final class Tuner {
    /**
     * @param testsDir overrides the space's {@code [cloudai] tests_dir} (where the base test is found), may be null
     * @param maxTime  no new trial starts after this long, may be null
     * @param out      base of `--out-config`: the best feasible config as a test TOML, may be null
     */
    public record Spec(Path spaceFile, Path systemConfig, Path testsDir, Path hookDir, String cloudaiBin,
                       Duration timeout, int trials, String strategy, Long seed, Duration maxTime, int parallel,
                       Path outConfig, Path runsRoot) {
    }

    /**
     * How the loop ended.
     *
     * @param finishReason why the study finished, null when it did not (then the same command resumes it)
     * @param interrupted  stopped by a signal: the running trials were recorded as interrupted
     * @param aborted      why the loop stopped without finishing the study (cloudai could not run a trial), or null
     */
    public record Result(StudySummary study, String finishReason, String message, boolean interrupted,
                         String aborted, Point best, List<Point> pareto, Path outConfig) {
    }

    /** Lets a signal handler stop the loop: no new trial starts, and running ones are interrupted and recorded. */
    public static final class Control {
        private volatile boolean stopped;
        /** what interrupts each running trial's cloudai */
        private final Set<Runnable> running = ConcurrentHashMap.newKeySet();

        public void stop() {
            stopped = true;
            running.forEach(Runnable::run);
        }

        public boolean stopped() {
            return stopped;
        }

        void started(Runnable interrupt) {
            running.add(interrupt);
            if (stopped) {
                interrupt.run();
            }
        }

        void ended(Runnable interrupt) {
            running.remove(interrupt);
        }
    }

    /**
     * Failures of the set-up (no cloudai, bad arguments, bad files), or of a job that never ran (cancelled at the
     * time limit), not of the config a trial ran.
     */
    private static final Set<String> NOT_ABOUT_THE_CONFIG = Set.of(FailureCategory.LAUNCH_FAILED.code(),
            FailureCategory.USAGE_ERROR.code(), FailureCategory.CONFIG_ERROR.code(), FailureCategory.CANCELLED.code());

    private final Studies studies;
    private final Runs runs;
    private final StoreSession session;
    private final TrialFiles files = new TrialFiles();

    public Tuner(Studies studies) {
        this.studies = studies;
        this.runs = studies.runs();
        this.session = studies.session();
    }

    public Result tune(Spec spec, PrintStream out, Control control) {
        if (spec.trials() < 1) {
            throw Studies.badInput("trials", "give at least 1, got " + spec.trials(), null);
        }
        if (spec.parallel() < 1) {
            throw Studies.badInput("parallel", "give at least 1, got " + spec.parallel(), null);
        }
        Runs.requireCloudaiInputs(spec.systemConfig(), spec.testsDir(), spec.hookDir(), spec.cloudaiBin());
        ConfigOut.requireWritable(spec.outConfig());
        SpaceFile file = withTestsDir(Studies.read(spec.spaceFile()), spec.testsDir());
        try {
            // the trial files can be written: the scenario has one test and its base test is found
            TrialFiles.oneTest(file);
            TrialFiles.baseTest(file);
        } catch (ConfigException e) {
            throw Studies.badInput(null, e.getMessage(), e);
        }
        Studies.Created created = studies.createOrResume(file, spec.strategy(), spec.seed());
        StudySummary study = created.study();
        out.println("[tune] study " + study.number() + " (" + study.name() + ", scenario " + study.scenario() + ") "
                + (created.created() ? "created" : "resumed with " + study.trials() + " trial(s) recorded")
                + "; strategy " + (spec.strategy() != null ? spec.strategy() : study.strategy()) + "; "
                + studies.historyNote(file.space(), false));
        Loop loop = new Loop(spec, file, study.studyId(), out, control);
        return loop.run();
    }

    private static SpaceFile withTestsDir(SpaceFile f, Path testsDir) {
        if (testsDir == null || f.cloudai() == null) {
            return f;
        }
        return new SpaceFile(f.path(), f.space(), f.strategy(), f.seed(), f.baseTest(),
                new SpaceFile.Cloudai(f.cloudai().scenario(), testsDir), f.sha256());
    }

    /** One run of the loop; its fields are guarded by {@code this}. */
    private final class Loop {
        final Spec spec;
        final SpaceFile file;
        final String studyId;
        final PrintStream out;
        final Control control;
        final Strategy strategy;
        final long seed;
        final long startNanos = System.nanoTime();
        final Deque<Integer> notStarted = new ArrayDeque<>();
        int inFlight;
        int doneHere;
        StopReason finishReason;
        String finishMessage;
        RuntimeException failure;
        String aborted;

        Loop(Spec spec, SpaceFile file, String studyId, PrintStream out, Control control) {
            this.spec = spec;
            this.file = file;
            this.studyId = studyId;
            this.out = out;
            this.control = control;
            State s = studies.state(studyId);
            this.strategy = Studies.strategy(spec.strategy() != null ? spec.strategy() : s.study.strategy());
            this.seed = spec.seed() != null ? spec.seed() : s.study.seed();
            // proposals recorded but never started (the last tune died between proposing and launching) run first
            s.trials.stream().filter(t -> t.experimentId() == null).forEach(t -> notStarted.add(t.trial()));
        }

        Result run() {
            State s = studies.state(studyId);
            if (!s.study.finished()) {
                List<Thread> workers = new ArrayList<>();
                for (int i = 0; i < spec.parallel(); i++) {
                    Thread t = new Thread(this::work, "autotune-trial-" + (i + 1));
                    workers.add(t);
                    t.start();
                }
                for (Thread t : workers) {
                    join(t);
                }
                if (failure != null) {
                    throw failure;
                }
                if (!control.stopped() && aborted == null && finishReason != null) {
                    studies.finish(studies.state(studyId).study, finishReason, finishMessage);
                }
            }
            return summary();
        }

        private void work() {
            try {
                Integer trial;
                while ((trial = nextTrial()) != null) {
                    runTrial(trial);
                }
            } catch (RuntimeException e) {
                synchronized (this) {
                    if (failure == null) {
                        failure = e;
                    }
                    // the other workers finish the trial they run and stop
                    finishReason = null;
                    notifyAll();
                }
                control.stopped = true;
            }
        }

        /** The next trial to run, proposing it if needed; null when this worker should stop. */
        private synchronized Integer nextTrial() {
            while (true) {
                if (control.stopped() || failure != null || aborted != null) {
                    return null;
                }
                if (!notStarted.isEmpty()) {
                    inFlight++;
                    return notStarted.poll();
                }
                if (spec.maxTime() != null && elapsed().compareTo(spec.maxTime()) >= 0) {
                    return done(StopReason.TIME_LIMIT, "no trial starts after " + duration(spec.maxTime()));
                }
                // decided and recorded under the study's lock: workers on other machines share the study
                Next[] stopped = new Next[1];
                Studies.Proposal proposal = studies.proposeNext(studyId, s -> {
                    Next next = s.study.trialCount() >= spec.trials()
                            ? new Next(strategy.name(), null, s.study.trialCount() + " of " + spec.trials()
                            + " trials run", null, false, StopReason.TRIAL_BUDGET.name())
                            : s.next(strategy, seed);
                    stopped[0] = next.stop() ? next : null;
                    return next;
                });
                if (proposal == null) {
                    Next next = stopped[0];
                    if (inFlight > 0 && !next.stopReason().equals(StopReason.TRIAL_BUDGET.name())) {
                        // the running trials may change the strategy's mind; wait for one to end
                        waitForATrial();
                        continue;
                    }
                    return done(StopReason.valueOf(next.stopReason()), next.reason());
                }
                inFlight++;
                return proposal.trial();
            }
        }

        private Integer done(StopReason reason, String message) {
            if (inFlight > 0) {
                // the last worker to end records why the study finished
                return null;
            }
            finishReason = reason;
            finishMessage = message;
            notifyAll();
            return null;
        }

        private void waitForATrial() {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                control.stopped = true;
            }
        }

        private void runTrial(int trial) {
            TrialView view = studies.state(studyId).trials.stream().filter(t -> t.trial() == trial).findFirst()
                    .orElseThrow();
            Map<String, Object> config = view.config();
            Runs.RunResult result;
            try {
                int number = studies.state(studyId).study.number();
                Path trialDir = spec.runsRoot().resolve("studies").resolve("study-" + number)
                        .resolve(String.format("trial-%04d", trial));
                TrialFiles.Written written;
                try {
                    written = files.write(file, config, trialDir);
                } catch (ConfigException e) {
                    throw Studies.badInput(null, e.getMessage(), e);
                }
                List<String> metadata = List.of("autotune.study=" + studyId, "autotune.trial=" + trial);
                Runs.RunInput run = new Runs.RunInput(written.scenario(), spec.systemConfig(),
                        written.testsDir(), spec.hookDir(), spec.cloudaiBin(),
                        spec.timeout() == null ? null : Math.max(1, spec.timeout().toSeconds()), false, List.of(),
                        "study " + number + " trial " + trial, metadata, spec.runsRoot());
                Runnable[] interrupt = new Runnable[1];
                try {
                    // cloudai's own lines go to the run's stdout.log; the terminal gets one line per trial
                    result = runs.run(run, new PrintStream(OutputStream.nullOutputStream()), r -> {
                        interrupt[0] = r;
                        control.started(r);
                    }, experimentId -> studies.link(studyId, trial, experimentId));
                } finally {
                    if (interrupt[0] != null) {
                        control.ended(interrupt[0]);
                    }
                }
            } finally {
                synchronized (this) {
                    inFlight--;
                    doneHere++;
                    notifyAll();
                }
            }
            report(trial, config);
            String category = result.failureCategory();
            if (category != null && NOT_ABOUT_THE_CONFIG.contains(category) && !control.stopped()) {
                // cloudai itself could not run: every further trial would fail the same way
                synchronized (this) {
                    if (aborted == null) {
                        aborted = "trial " + trial + " could not run (" + category + "): " + result.failureMessage();
                    }
                    notifyAll();
                }
            }
        }

        private void report(int trial, Map<String, Object> config) {
            State s = studies.state(studyId);
            TrialView t = s.trials.stream().filter(v -> v.trial() == trial).findFirst().orElseThrow();
            SearchSpace space = s.space;
            String measured;
            if ("completed".equals(t.status())) {
                measured = space.objective().metric() + " " + Numbers.format(t.objective())
                        + (Boolean.TRUE.equals(t.feasible()) ? " (feasible)" : " (" + t.verdict() + ")");
            } else {
                ExperimentSummary e = t.experiment() == null ? null
                        : session.views().list().find(Integer.toString(t.experiment())).orElse(null);
                measured = t.status() + (e != null && e.failureCategory() != null ? ":" + e.failureCategory() : "");
            }
            Point best = s.best();
            int total = spec.trials();
            long left;
            synchronized (this) {
                int remaining = Math.max(0, total - s.study.trialCount()) + inFlight;
                left = doneHere == 0 ? -1 : elapsed().toMillis() / doneHere * remaining / spec.parallel();
            }
            String line = "[tune] trial " + trial + "/" + total + "  " + ConfigLine.of(space, config) + "  -> experiment "
                    + (t.experiment() == null ? "-" : t.experiment()) + " " + measured + "  | best "
                    + (best == null ? "none feasible yet" : Numbers.format(best.objective()) + " (experiment "
                    + best.experiment() + ")") + "  | " + duration(elapsed()) + " elapsed"
                    // the strategy may stop before the trial budget (the space exhausted, converged): an upper bound
                    + (left < 0 ? "" : ", at most ~" + duration(Duration.ofMillis(left)) + " left");
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }

        private Result summary() {
            State s = studies.state(studyId);
            StudySummary study = Studies.summary(s.study);
            Point best = s.best();
            Path written = null;
            if (best != null && spec.outConfig() != null) {
                ConfigOut.write(s.space, best.config(), spec.outConfig());
                written = spec.outConfig();
            }
            String reason = s.study.finished() ? study.finishReason() : null;
            String message = s.study.finished() ? s.study.finishMessage()
                    : failure != null ? failure.getMessage() : "interrupted";
            return new Result(study, reason, message, control.stopped() && !s.study.finished(), aborted, best,
                    s.pareto(), written);
        }

        private Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }
    }

    /** 42s, 3m05s, 1h02m. */
    public static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
