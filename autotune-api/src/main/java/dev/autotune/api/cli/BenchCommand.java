package dev.autotune.api.cli;

import dev.autotune.api.app.common.UserError;
import dev.autotune.api.bench.ExportBenchmark;
import dev.autotune.api.bench.ListTiming;
import dev.autotune.api.bench.StoreBenchmark;
import dev.autotune.api.bench.WorkDir;
import dev.autotune.api.http.bench.IngestBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune bench store --events 100000", description = "Benchmarks whose figures go in docs/PERFORMANCE.md.",
        subcommands = {BenchCommand.Store.class, BenchApiCommand.class, BenchCommand.Export.class,
                BenchCommand.Ingest.class, BenchSearchCommand.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "store", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune bench store --events 100000 --list-experiments 10000",
            description = "Append and replay N synthetic events through Axon and through plain sqlite-jdbc, then time "
                    + "`autotune list` over 10,000 experiments including JVM start.")
    static final class Store implements Callable<Integer> {
        @Mixin
        Output io;

        @Option(names = "--events", defaultValue = "100000", description = "events to append and replay (default: ${DEFAULT-VALUE})")
        int events;

        @Option(names = "--list-experiments", defaultValue = "10000",
                description = "experiments in the database `list` is timed on; 0 skips it (default: ${DEFAULT-VALUE})")
        int listExperiments;

        @Option(names = "--list-runs", defaultValue = "5", description = "times `list` is run (default: ${DEFAULT-VALUE})")
        int listRuns;

        @Option(names = "--db", paramLabel = "URL", description = "also measure this empty PostgreSQL database "
                + "(postgresql://user@host:port/db): append and replay against raw JDBC on the same server, and "
                + "concurrent writers")
        String db;

        @Option(names = "--writers", split = ",", defaultValue = "1,4,8",
                description = "concurrent writers to time appends with (default: ${DEFAULT-VALUE})")
        List<Integer> writers;

        @Option(names = "--writer-experiments", defaultValue = "100",
                description = "experiments each concurrent writer records (default: ${DEFAULT-VALUE})")
        int writerExperiments;

        @Option(names = "--dir", description = "work directory (default: a new temp directory, deleted afterwards)")
        Path dir;

        @Override
        public Integer call() throws Exception {
            StoreBenchmark.Server server = db == null ? null : StoreBenchmark.server(db);
            try (WorkDir workDir = WorkDir.of(dir, "autotune-bench")) {
                Path work = workDir.path();
                io.out().printf("bench store: %d events in %s (java %s, %d cores)%n", events, work,
                        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
                var r = new StoreBenchmark(io.stream()).run(events, work);
                io.out().println();
                io.out().printf("| measure | autotune (Axon) | raw sqlite-jdbc | ratio |%n|---|---|---|---|%n");
                io.out().printf("| append, events/s | %.0f | %.0f | %.0f%% |%n", r.appendPerSec(), r.rawAppendPerSec(),
                        100 * r.appendRatio());
                io.out().printf("| replay into read models, events/s | %.0f | %.0f | %.0f%% |%n", r.replayPerSec(),
                        r.rawReplayPerSec(), 100 * r.replayRatio());
                if (listExperiments > 0) {
                    Path db = work.resolve("list.db");
                    io.out().printf("%npopulating %d experiments for the list timing...%n", listExperiments);
                    StoreBenchmark.populate(db, listExperiments);
                    new ListTiming(io.stream()).run(db, listRuns);
                }
                new StoreBenchmark(io.stream()).team(server, events, work, writers, writerExperiments);
            }
            return AutotuneCli.OK;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune bench export --experiments 1000,2500",
            description = "Time the Markdown benchmark report over histories of growing size, to show it is linear.")
    static final class Export implements Callable<Integer> {
        @Mixin
        Output io;

        @Option(names = "--experiments", split = ",", defaultValue = "1000,2500,5000,10000",
                description = "history sizes to time (default: ${DEFAULT-VALUE})")
        List<Integer> sizes;

        @Option(names = "--dir", description = "work directory (default: a new temp directory, deleted afterwards)")
        Path dir;

        @Override
        public Integer call() throws Exception {
            if (sizes.stream().anyMatch(n -> n < 1)) {
                throw new UserError(null, "--experiments: every size must be positive");
            }
            try (WorkDir workDir = WorkDir.of(dir, "autotune-bench-export")) {
                Path work = workDir.path();
                io.out().printf("bench export: the benchmark-report template over %s experiments (java %s, %d cores)%n",
                        sizes, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
                new ExportBenchmark(io.stream()).run(work, sizes);
            }
            return AutotuneCli.OK;
        }
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune bench ingest --uploads 500 --reports 1000",
            description = "Time recording reports: sequential uploads to a server on loopback (p50, reports/s), "
                    + "`autotune ingest` of one report in a fresh JVM, and N reports recorded by one process.")
    static final class Ingest implements Callable<Integer> {
        @Mixin
        Output io;

        @Option(names = "--uploads", defaultValue = "500", description = "measured uploads; 0 skips (default: ${DEFAULT-VALUE})")
        int uploads;

        @Option(names = "--warm-up", defaultValue = "1000",
                description = "uploads before the measured ones, for the JIT: a serve that has recorded this many "
                        + "reports runs compiled code, as a long-running server does (default: ${DEFAULT-VALUE})")
        int warmUp;

        @Option(names = "--process-runs", defaultValue = "7",
                description = "fresh-JVM `autotune ingest` runs; 0 skips (default: ${DEFAULT-VALUE})")
        int processRuns;

        @Option(names = "--reports", defaultValue = "1000",
                description = "reports recorded by one process; 0 skips (default: ${DEFAULT-VALUE})")
        int reports;

        @Option(names = "--dir", description = "work directory (default: a new temp directory, deleted afterwards)")
        Path dir;

        @Override
        public Integer call() throws Exception {
            if (uploads < 0 || warmUp < 0 || processRuns < 0 || reports < 0) {
                throw new UserError(null, "--uploads, --warm-up, --process-runs and --reports must not be negative");
            }
            try (WorkDir workDir = WorkDir.of(dir, "autotune-bench-ingest")) {
                io.out().printf("bench ingest (java %s, %d cores)%n", System.getProperty("java.version"),
                        Runtime.getRuntime().availableProcessors());
                new IngestBenchmark(io.stream()).run(workDir.path(), uploads, warmUp, processRuns, reports);
            }
            return AutotuneCli.OK;
        }
    }
}
