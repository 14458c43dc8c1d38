package dev.autotune.api.cli;

import dev.autotune.api.app.common.UserError;
import dev.autotune.api.bench.OracleScenario;
import dev.autotune.api.bench.SearchBenchmark;
import dev.autotune.api.bench.SweepTables;
import dev.autotune.domain.search.Strategies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "search", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune bench search --sweeps sweeps/ --seeds 30 --strategies model,random",
        description = "The search benchmark in docs/SEARCH.md: every strategy on measured sweeps (SWEEPS.md's "
                + "protocol), trials to the best config within the SLO and to within 2%% of it, as fractions of the "
                + "configs N; then the time one proposal takes with 100 and 500 observations.")
final class BenchSearchCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Option(names = "--sweeps", required = true, description = "the shared/sweeps directory (with SWEEPS.md; also "
            + "reads the *.csv tables in the generic format directly in it), or one table in the generic format "
            + "(docs/SEARCH.md)")
    Path sweeps;

    @Option(names = "--seeds", defaultValue = "30", description = "seeds per scenario and strategy (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--strategies", split = ",", defaultValue = "grid-random,random,per-knob,model",
            description = "strategies, comma-separated (default: ${DEFAULT-VALUE})")
    List<String> strategies;

    @Option(names = "--scenarios", split = ",",
            description = "only scenarios whose 'source/name' contains one of these (default: all selected)")
    List<String> scenarios;

    @Option(names = "--min-configs", defaultValue = "20", description = "scenarios with at least this many measured configs (default: ${DEFAULT-VALUE})")
    int minConfigs;

    @Option(names = "--max-configs", defaultValue = "1000", description = "scenarios with at most this many measured configs (default: ${DEFAULT-VALUE})")
    int maxConfigs;

    @Option(names = "--threads", description = "search threads (default: the available cores)")
    Integer threads;

    @Option(names = "--timing-repeats", defaultValue = "11", description = "proposals timed per figure; 0 skips timing (default: ${DEFAULT-VALUE})")
    int timingRepeats;

    @Override
    public Integer call() throws Exception {
        if (seeds < 1) {
            throw new UserError(null, "--seeds must be at least 1");
        }
        strategies.forEach(Strategies::byName);
        List<OracleScenario> all = new ArrayList<>();
        List<OracleScenario> loaded;
        try {
            loaded = SweepTables.load(sweeps, minConfigs);
        } catch (java.io.IOException e) {
            throw new UserError(null, "--sweeps: " + e.getMessage());
        }
        for (OracleScenario s : loaded) {
            String key = (s.source() + "/" + s.name()).toLowerCase(Locale.ROOT);
            if (s.size() <= maxConfigs && (scenarios == null
                    || scenarios.stream().anyMatch(f -> key.contains(f.toLowerCase(Locale.ROOT))))) {
                all.add(s);
            }
        }
        if (all.isEmpty()) {
            throw new UserError(null, "--scenarios: no scenario matches");
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        io.out().printf("bench search: %d scenarios, %d seeds, strategies %s (java %s, %d cores)%n", all.size(), seeds,
                String.join(", ", strategies), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        new SearchBenchmark(io.stream()).run(all, strategies, seeds, t);
        if (timingRepeats > 0) {
            io.out().printf("%nOne proposal in a 2,560-config space, median of %d (wall time; CPU time of the proposing "
                    + "thread)%n%n| strategy | 100 observations | 500 observations |%n|---|---|---|%n", timingRepeats);
            for (String s : strategies) {
                SearchBenchmark.Timing t100 = SearchBenchmark.proposalMillis(s, 100, timingRepeats);
                SearchBenchmark.Timing t500 = SearchBenchmark.proposalMillis(s, 500, timingRepeats);
                io.out().printf(Locale.ROOT, "| %s | %.1f ms (CPU %.1f ms) | %.1f ms (CPU %.1f ms) |%n", s,
                        t100.wallMillis(), t100.cpuMillis(), t500.wallMillis(), t500.cpuMillis());
            }
        }
        return AutotuneCli.OK;
    }
}
