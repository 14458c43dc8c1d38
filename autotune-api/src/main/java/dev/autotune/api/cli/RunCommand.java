package dev.autotune.api.cli;

import dev.autotune.api.app.runs.Runs;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.common.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Launch a CloudAI scenario and record what happened: completed with metrics, or failed with the "
                + "reason and the full log. Every job cloudai started (a test run, each DSE step) is one experiment.",
        footer = {"",
                "Statuses: completed (the job wrote its results; a note says when cloudai was stopped at the time limit"
                        + " after that), failed:<category> (launch_failed, usage_error, config_error, job_failed,"
                        + " out_of_memory, timeout, no_report, unreadable_report, interrupted, cancelled), validated (--dry-run: the config was"
                        + " checked, nothing was measured; never in check, recommend or exports).",
                "Exit codes: 0 every job completed (or validated); 1 cloudai failed, was stopped (timeout, Ctrl-C), or"
                        + " any job failed, also when other steps of the sweep completed; 2 bad input (a missing file or"
                        + " directory, a bad option), nothing recorded.",
                "Time limit (--timeout-sec): no job starts after it. cloudai gets SIGTERM and cancels the job it runs;"
                        + " every job it submits after that (a sweep goes on to its next step) is cancelled with"
                        + " scancel and recorded as failed:cancelled (not run), whatever it left. Only the job running"
                        + " at the limit carries the time-limit note or failure; jobs that ended before it keep their"
                        + " own verdict.",
                "Arguments after -- go to `cloudai run` unchanged, e.g. -- --some-new-option value.",
                "After a hard kill (kill -9) of `autotune run`, the next command records its experiment as abandoned;"
                        + " `autotune run --recover ID` then records the jobs it left in its run directory.",
                "",
                "Example:",
                "  autotune run conf/test_scenario/vllm.toml --system-config conf/system/standalone_system.toml"
                        + " --tests-dir conf/test --timeout-sec 3600"})
final class RunCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Mixin
    DbOption db;

    @Mixin
    CloudaiOptions cloudai;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO.toml",
            description = "the CloudAI test scenario (required unless --recover)")
    Path scenario;

    @Option(names = "--recover", paramLabel = "ID", description = "record what the run of experiment ID left in its"
            + " run directory after its runner was killed (kill -9): every job not recorded yet, and results of jobs"
            + " recorded as abandoned; nothing twice. Takes no other run option")
    String recover;

    @Parameters(index = "1..*", paramLabel = "CLOUDAI_ARG", arity = "0..*",
            description = "after --: further arguments for cloudai's run/dry-run, passed on unchanged")
    List<String> cloudaiArgs;

    @Option(names = "--enable-cache-without-check", description = "pass --enable-cache-without-check to cloudai:"
            + " treat the container image, model and git repos as installed without checking (without it, cloudai run"
            + " installs whatever is missing first)")
    boolean enableCacheWithoutCheck;

    @Option(names = "--single-sbatch", description = "pass --single-sbatch to cloudai (Slurm): the whole scenario in"
            + " one sbatch job")
    boolean singleSbatch;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "cloudai's console log level (its --log-level,"
            + " e.g. DEBUG); cloudai's own DEBUG log is always kept as cloudai-debug.log in the run dir")
    String logLevel;

    @Option(names = "--system-config", paramLabel = "TOML", description = "the CloudAI system TOML (required unless"
            + " --recover)")
    Path systemConfig;

    @Option(names = "--tests-dir", paramLabel = "DIR", description = "directory of CloudAI test TOMLs")
    Path testsDir;



    @Option(names = "--timeout-sec", paramLabel = "N", description = "stop the whole run after N seconds (cloudai"
            + " gets SIGTERM and 10 s to cancel its jobs, then its process tree is killed; no job starts after it:"
            + " see below)")
    Long timeoutSec;

    @Option(names = "--dry-run", description = "use `cloudai dry-run`: generate everything, submit nothing;"
            + " recorded as validated, not as a result")
    boolean dryRun;

    @Option(names = "--runs-dir", paramLabel = "DIR",
            description = "where run artifacts go (default: runs/ next to the database)")
    Path runsDir;

    @Option(names = "--notes", description = "free text kept with the experiment")
    String notes;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "a metadata string (repeatable)")
    List<String> metadata;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a knob value to track that the TOML does not hold")
    List<String> sets;

    @Override
    public Integer call() {
        if (recover != null) {
            return recover();
        }
        if (scenario == null) {
            throw new UserError("scenario", "give the CloudAI test scenario: autotune run SCENARIO.toml "
                    + "--system-config S.toml (or --recover ID)");
        }
        if (systemConfig == null) {
            throw new UserError("system_config", "give the CloudAI system TOML: --system-config S.toml");
        }
        var input = new Runs.RunInput(scenario, systemConfig, testsDir, cloudai.hookDir, cloudai.cloudaiBin, timeoutSec, dryRun,
                sets, notes, metadata, db.runsDir(runsDir), enableCacheWithoutCheck, singleSbatch, logLevel, cloudaiArgs);
        AtomicReference<Runnable> interrupt = new AtomicReference<>();
        CountDownLatch recorded = new CountDownLatch(1);
        // Ctrl-C or SIGTERM: stop cloudai, let the main thread record the interruption, then let the JVM go
        Thread onSignal = new Thread(() -> {
            Runnable stop = interrupt.get();
            if (stop != null) {
                stop.run();
                try {
                    recorded.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(AutotuneCli.FAILED);
            }
        }, "autotune-interrupt");
        Runtime.getRuntime().addShutdownHook(onSignal);
        Runs.RunResult result;
        try (Autotune autotune = db.open()) {
            result = autotune.runs().run(input, io.stream(), interrupt::set);
        } finally {
            recorded.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running and will end the process
        }
        String ids = result.experiments().stream().map(String::valueOf).collect(Collectors.joining(", "));
        String what = "experiment" + (result.experiments().size() > 1 ? "s " : " ") + ids;
        if (result.succeeded()) {
            io.out().println(result.dryRun()
                    ? "[autotune] dry run: validated " + what + " (nothing was measured); see `autotune list`"
                    : "[autotune] recorded " + what + "; see `autotune list`");
            return AutotuneCli.OK;
        }
        if (result.failureCategory() != null) {
            io.out().println("[autotune] run FAILED (" + result.failureCategory() + "): "
                    + result.failureMessage() + "; recorded as " + what + "; log: " + result.logFile());
        } else {
            io.out().println("[autotune] run FAILED: " + result.failedSteps() + " of " + result.jobs()
                    + " jobs failed (first, " + result.firstFailedStep() + "); recorded " + what + "; log: "
                    + result.logFile());
        }
        return AutotuneCli.FAILED;
    }

    private Integer recover() {
        if (scenario != null || systemConfig != null || cloudaiArgs != null && !cloudaiArgs.isEmpty()) {
            throw new UserError("recover", "--recover takes only the experiment: the scenario and the files are those"
                    + " the run was given");
        }
        Runs.Recovered r;
        try (Autotune autotune = db.existing()) {
            r = autotune.runs().recover(recover);
        }
        if (r.experiments().isEmpty()) {
            io.out().println("[autotune] nothing new to record in " + r.runDir() + ": its " + r.jobs() + " job"
                    + (r.jobs() == 1 ? " is" : "s are") + " recorded already (a job without results stays abandoned"
                    + " until they appear)");
        } else {
            io.out().println("[autotune] recovered from " + r.runDir() + ": recorded experiment"
                    + (r.experiments().size() > 1 ? "s " : " ")
                    + r.experiments().stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + "; see `autotune list`");
        }
        return AutotuneCli.OK;
    }
}
