package dev.autotune.api.cli;

import dev.autotune.api.bench.WorkDir;
import dev.autotune.api.http.bench.ApiBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "api", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune bench api --experiments 10000 --clients 16",
        description = "Serve N synthetic experiments on loopback, load GET /api/experiments?limit=100 from C client "
                + "threads and report p50/p95/p99 and throughput; then time the dashboard's first table paint in "
                + "headless Chromium when one is installed.")
final class BenchApiCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Option(names = "--experiments", defaultValue = "10000", description = "experiments in the database (default: ${DEFAULT-VALUE})")
    int experiments;

    @Option(names = "--clients", defaultValue = "16", description = "concurrent client threads (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--requests", defaultValue = "4000", description = "requests per measured mix (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--dir", description = "work directory (default: a new temp directory, deleted afterwards)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (experiments < 1 || clients < 1 || requests < 1) {
            throw new dev.autotune.api.app.common.UserError(null, "--experiments, --clients and --requests must be positive");
        }
        try (WorkDir workDir = WorkDir.of(dir, "autotune-bench-api")) {
            Path work = workDir.path();
            io.out().printf("bench api: %d experiments, %d clients, %d requests per mix (java %s, %d cores)%n",
                    experiments, clients, requests, System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors());
            new ApiBenchmark(io.stream()).run(experiments, clients, requests, work);
        }
        return AutotuneCli.OK;
    }
}
