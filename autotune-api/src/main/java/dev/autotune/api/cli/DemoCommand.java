package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.DuplicateReport;
import dev.autotune.api.app.UserError;
import dev.autotune.api.render.Formats;
import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.projections.ListProjection;
import dev.autotune.runner.config.ConfigException;
import dev.autotune.runner.config.ConfigFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Record the bundled example reports, list them and recommend the next batch size to try.")
final class DemoCommand implements Callable<Integer> {
    /** The classic example: batch 1, 4, 8 -> 120, 330, 430 tok/s at 90, 160, 260 ms, in three report formats. */
    private static final Map<String, Integer> REPORTS = new LinkedHashMap<>();

    static {
        REPORTS.put("batch-1-vllm-bench.json", 1);
        REPORTS.put("batch-4-aiperf.json", 4);
        REPORTS.put("batch-8-genai-perf.csv", 8);
    }

    private static final String CONFIG = "llama3-8b-chat.toml";

    @Option(names = "--db", paramLabel = "PATH", description = "database file (default: ./autotune-demo.db)")
    Path db;

    @Option(names = "--scenario", description = "scenario to record the examples under (default: from the bundled config)")
    String scenario;

    @Option(names = "--knob", defaultValue = "serving.batch_size",
            description = "the knob the examples vary and the recommendation tunes (default: ${DEFAULT-VALUE})")
    String knob;

    @Option(names = "--latency-budget-ms", paramLabel = "N", defaultValue = "200",
            description = "latency budget for the recommendation (default: ${DEFAULT-VALUE})")
    double latencyBudgetMs;

    @Override
    public Integer call() {
        Path dbPath = db != null ? db : Path.of("autotune-demo.db");
        Path files = extract(dbPath.toAbsolutePath().getParent().resolve("autotune-demo-files"));
        ConfigFile config;
        try {
            config = ConfigFile.read(files.resolve(CONFIG));
        } catch (ConfigException e) {
            throw new UserError(e.getMessage(), e);
        }
        String scen = scenario != null ? scenario : config.scenario();
        Budget budget;
        try {
            budget = Budget.atMost(Metric.LATENCY_MS, latencyBudgetMs);
        } catch (IllegalArgumentException e) {
            throw new UserError("--latency-budget-ms: " + e.getMessage(), e);
        }
        System.out.println("autotune demo: recording " + REPORTS.size() + " bundled reports into " + dbPath);
        try (Autotune autotune = new Autotune(dbPath)) {
            REPORTS.forEach((file, value) -> {
                Map<String, Object> knobs = new LinkedHashMap<>(config.values());
                knobs.keySet().removeAll(List.of("scenario", "backend"));
                knobs.put(knob, (long) value);
                try {
                    var result = autotune.ingest(new Autotune.IngestRequest(files.resolve(file), null, scen,
                            config.backend(), knobs, config.path(), config.sha256(), "autotune demo", Map.of(), false));
                    System.out.printf("  recorded experiment %d: %s=%d from %s (%s)%n", result.number(), knob, value,
                            file, result.report().format().code());
                } catch (DuplicateReport e) {
                    System.out.printf("  %s=%d from %s is already experiment %d%n", knob, value, file, e.existing());
                }
            });
            System.out.println();
            System.out.print(ListCommand.table(autotune.lines(new ListFilter(scen, null, null),
                    ListCommand.HEADLINE_KEYS, 0)));
            System.out.println();
            var recs = autotune.recommend(List.of(knob), List.of(budget), Metric.THROUGHPUT_TOKENS_PER_SEC, scen);
            System.out.print(RecommendCommand.render(recs, Metric.THROUGHPUT_TOKENS_PER_SEC, List.of(budget)));
        }
        System.out.println();
        System.out.println("next: autotune show 2 --db " + dbPath + "   |   autotune check --latency-budget-ms "
                + Formats.number(latencyBudgetMs) + " --db " + dbPath);
        return AutotuneCli.OK;
    }

    /** Copies the bundled files out of the jar so the recorded report paths point at files a person can open. */
    private static Path extract(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String name : List.of(CONFIG, "batch-1-vllm-bench.json", "batch-4-aiperf.json", "batch-8-genai-perf.csv")) {
                String resource = (name.endsWith(".toml") ? "/demo/configs/" : "/demo/reports/") + name;
                try (InputStream in = DemoCommand.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new UserError("the bundled demo file " + resource + " is missing from this build");
                    }
                    Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UserError("cannot write the demo files to " + dir + ": " + e.getMessage(), e);
        }
    }
}
