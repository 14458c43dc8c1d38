package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.studies.Studies;
import dev.autotune.api.app.studies.Tuner;
import dev.autotune.api.render.StudyText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(name = "tune", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune tune vllm-space.toml --system-config system.toml --trials 20 --max-time 2h",
        description = "Search a space in a closed loop over cloudai: propose a config, derive the trial's test TOML, "
                + "run it, record it, repeat. Running the same command again resumes the study.")
final class TuneCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Mixin
    DbOption db;

    @Mixin
    CloudaiOptions cloudai;

    @Parameters(paramLabel = "SPACE.toml", description = "the search space (with a [cloudai] table)")
    Path space;

    @Option(names = "--system-config", required = true, paramLabel = "TOML", description = "the CloudAI system TOML")
    Path systemConfig;

    @Option(names = "--trials", required = true, paramLabel = "N", description = "stop when the study has N trials")
    int trials;

    @Option(names = "--strategy", completionCandidates = Choices.StrategyNames.class,
            description = "${COMPLETION-CANDIDATES} (default: the study's)")
    String strategy;

    @Option(names = "--seed", description = "seed of the strategy's random choices (default: the study's)")
    Long seed;

    @Option(names = "--max-time", paramLabel = "D", description = "start no trial after this long: 90s, 30m, 2h, 1h30m")
    String maxTime;

    @Option(names = "--parallel", paramLabel = "P", defaultValue = "1",
            description = "trials in flight at once, each its own cloudai run (default: ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--out-config", paramLabel = "OUT.toml",
            description = "write the best feasible config as a test TOML (the base test with its values)")
    Path outConfig;

    @Option(names = "--tests-dir", paramLabel = "DIR", description = "where the base test is (default: the space's "
            + "[cloudai] tests_dir)")
    Path testsDir;



    @Option(names = "--timeout-sec", paramLabel = "N", description = "stop one trial's run after N seconds")
    Long timeoutSec;

    @Option(names = "--runs-dir", paramLabel = "DIR",
            description = "where run artifacts and trial files go (default: runs/ next to the database)")
    Path runsDir;

    @Override
    public Integer call() {
        if (timeoutSec != null && timeoutSec <= 0) {
            throw Studies.badInput("timeout_sec", "give a positive number of seconds, got " + timeoutSec, null);
        }
        var spec = new Tuner.Spec(space, systemConfig, testsDir, cloudai.hookDir, cloudai.cloudaiBin,
                timeoutSec == null ? null : Duration.ofSeconds(timeoutSec), trials, strategy, seed,
                maxTime == null ? null : duration(maxTime), parallel, outConfig, db.runsDir(runsDir));
        Tuner.Control control = new Tuner.Control();
        CountDownLatch recorded = new CountDownLatch(1);
        // Ctrl-C or SIGTERM: interrupt the running trials, let the loop record them, then let the JVM go
        Thread onSignal = new Thread(() -> {
            control.stop();
            try {
                recorded.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            io.stream().flush();
            Runtime.getRuntime().halt(AutotuneCli.FAILED);
        }, "autotune-interrupt");
        Runtime.getRuntime().addShutdownHook(onSignal);
        Tuner.Result result;
        try (Autotune autotune = db.open()) {
            Studies studies = autotune.studies();
            result = new Tuner(studies).tune(spec, io.stream(), control);
            // the space alone: show() would also work out a next proposal and the knob importance, unprinted here
            var space = studies.spaceOf(result.study().studyId());
            io.out().print(ending(result));
            io.out().print(StudyText.best(space, result.best()));
            io.out().print(StudyText.pareto(space, result.pareto()));
            if (result.outConfig() != null) {
                io.out().println("wrote the best config to " + result.outConfig());
            } else if (outConfig != null) {
                io.out().println("no feasible config yet; " + outConfig + " not written");
            }
            io.stream().flush();
        } finally {
            recorded.countDown();
            try {
                // also when the loop failed: the hook would otherwise turn the exit code into 1
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running and will end the process
            }
        }
        return result.interrupted() || result.aborted() != null ? AutotuneCli.FAILED : AutotuneCli.OK;
    }

    private static String ending(Tuner.Result r) {
        if (r.interrupted()) {
            return "[tune] stopped: the running trial was recorded as interrupted; run the same command again to "
                    + "resume study " + r.study().number() + "\n";
        }
        if (r.aborted() != null) {
            return "[tune] stopped: " + r.aborted() + "; fix it and run the same command again to resume study "
                    + r.study().number() + "\n";
        }
        return "[tune] study " + r.study().number() + " finished (" + r.finishReason() + "): " + r.message() + "\n";
    }

    private static final Pattern SHORT = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    /** 90s, 30m, 2h, 1h30m, or ISO-8601 (PT1H30M). */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        Duration d = null;
        if (!t.isEmpty() && m.matches()) {
            d = Duration.ofHours(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
                    .plusMinutes(m.group(2) == null ? 0 : Long.parseLong(m.group(2)))
                    .plusSeconds(m.group(3) == null ? 0 : Long.parseLong(m.group(3)));
        } else {
            try {
                d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        if (d == null || d.isZero() || d.isNegative()) {
            throw Studies.badInput("max_time", "'" + text + "' is not a duration such as 90s, 30m, 2h or 1h30m", null);
        }
        return d;
    }
}
