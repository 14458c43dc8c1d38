package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
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
                + "reason and the full log. A DSE sweep becomes one experiment per step.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    DbOption db;

    @Parameters(paramLabel = "SCENARIO.toml", description = "the CloudAI test scenario")
    Path scenario;

    @Option(names = "--system-config", required = true, paramLabel = "TOML", description = "the CloudAI system TOML")
    Path systemConfig;

    @Option(names = "--tests-dir", paramLabel = "DIR", description = "directory of CloudAI test TOMLs")
    Path testsDir;

    @Option(names = "--hook-dir", paramLabel = "DIR", description = "directory of CloudAI hooks")
    Path hookDir;

    @Option(names = "--cloudai-bin", paramLabel = "PATH", defaultValue = "cloudai",
            description = "the cloudai executable (default: cloudai on PATH)")
    String cloudaiBin;

    @Option(names = "--timeout-sec", paramLabel = "N", description = "stop the whole run after N seconds")
    Long timeoutSec;

    @Option(names = "--dry-run", description = "use `cloudai dry-run`: generate everything, submit nothing")
    boolean dryRun;

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs",
            description = "where run artifacts go (default: ${DEFAULT-VALUE})")
    Path runsDir;

    @Option(names = "--notes", description = "free text kept with the experiment")
    String notes;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "a metadata string (repeatable)")
    List<String> metadata;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a knob value to track that the TOML does not hold")
    List<String> sets;

    @Override
    public Integer call() {
        var input = new Autotune.RunInput(scenario, systemConfig, testsDir, hookDir, cloudaiBin, timeoutSec, dryRun,
                sets, notes, metadata, runsDir);
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
        Autotune.RunResult result;
        try (Autotune autotune = new Autotune(db.path())) {
            result = autotune.run(input, System.out, interrupt::set);
        } finally {
            recorded.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running and will end the process
        }
        String ids = result.experiments().stream().map(String::valueOf).collect(Collectors.joining(", "));
        if (result.succeeded()) {
            System.out.println("[autotune] recorded experiment" + (result.experiments().size() > 1 ? "s " : " ") + ids
                    + (result.failedSteps() == 0 ? "" : " (" + result.failedSteps() + " step(s) failed)")
                    + "; see `autotune list`");
            return AutotuneCli.OK;
        }
        System.out.println("[autotune] run FAILED (" + result.failureCategory() + "): "
                + result.failureMessage() + "; recorded as experiment " + ids + "; log: " + result.logFile());
        return AutotuneCli.FAILED;
    }
}
