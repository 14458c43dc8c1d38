package dev.autotune.api.cli;

import dev.autotune.api.bench.ListTiming;
import dev.autotune.api.bench.StoreBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks whose figures go in docs/PERFORMANCE.md.",
        subcommands = {BenchCommand.Store.class, BenchApiCommand.class, BenchSearchCommand.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "store", mixinStandardHelpOptions = true,
            description = "Append and replay N synthetic events through Axon and through plain sqlite-jdbc, then time "
                    + "`autotune list` over 10,000 experiments including JVM start.")
    static final class Store implements Callable<Integer> {
        @Option(names = "--events", defaultValue = "100000", description = "events to append and replay (default: ${DEFAULT-VALUE})")
        int events;

        @Option(names = "--list-experiments", defaultValue = "10000",
                description = "experiments in the database `list` is timed on; 0 skips it (default: ${DEFAULT-VALUE})")
        int listExperiments;

        @Option(names = "--list-runs", defaultValue = "5", description = "times `list` is run (default: ${DEFAULT-VALUE})")
        int listRuns;

        @Option(names = "--dir", description = "work directory (default: a new temp directory, deleted afterwards)")
        Path dir;

        @Override
        public Integer call() throws Exception {
            Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("autotune-bench");
            try {
                System.out.printf("bench store: %d events in %s (java %s, %d cores)%n", events, work,
                        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
                var r = new StoreBenchmark(System.out).run(events, work);
                System.out.println();
                System.out.printf("| measure | autotune (Axon) | raw sqlite-jdbc | ratio |%n|---|---|---|---|%n");
                System.out.printf("| append, events/s | %.0f | %.0f | %.0f%% |%n", r.appendPerSec(), r.rawAppendPerSec(),
                        100 * r.appendRatio());
                System.out.printf("| replay into read models, events/s | %.0f | %.0f | %.0f%% |%n", r.replayPerSec(),
                        r.rawReplayPerSec(), 100 * r.replayRatio());
                if (listExperiments > 0) {
                    Path db = work.resolve("list.db");
                    System.out.printf("%npopulating %d experiments for the list timing...%n", listExperiments);
                    StoreBenchmark.populate(db, listExperiments);
                    new ListTiming(System.out).run(db, listRuns);
                }
            } finally {
                if (dir == null) {
                    ListTiming.deleteTree(work);
                }
            }
            return AutotuneCli.OK;
        }
    }
}
