package dev.autotune.api.cli;

import dev.autotune.api.app.recording.Recording;
import dev.autotune.api.app.analysis.Analysis;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.common.StoreLocation;
import dev.autotune.api.app.common.BudgetInput;
import dev.autotune.api.app.common.DuplicateReport;
import dev.autotune.api.app.common.UserError;
import dev.autotune.api.render.Formats;
import dev.autotune.api.render.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        footerHeading = "%nExample:%n", footer = "  autotune demo --latency-budget-ms 250",
        description = "Record the bundled example reports, list them and recommend the next batch size to try.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    Output io;

    /** The classic example: batch 1, 4, 8 -> 120, 330, 430 tok/s at 90, 160, 260 ms, in three report formats. */
    private static final Map<String, Integer> REPORTS = new LinkedHashMap<>();

    static {
        REPORTS.put("batch-1-vllm-bench.json", 1);
        REPORTS.put("batch-4-aiperf.json", 4);
        REPORTS.put("batch-8-genai-perf.csv", 8);
    }

    private static final String CONFIG = "llama3-8b-chat.toml";

    @Option(names = "--db", paramLabel = "PATH|URL",
            description = "a SQLite file or postgresql://user@host:port/db (default: ./autotune-demo.db)")
    String db;

    @Option(names = "--scenario", description = "scenario to record the examples under (default: from the bundled config)")
    String scenario;

    @Option(names = "--knob", defaultValue = "serving.batch_size",
            description = "the knob the examples vary and the recommendation tunes (default: ${DEFAULT-VALUE})")
    String knob;

    @Option(names = "--latency-budget-ms", paramLabel = "N", defaultValue = "200",
            description = "latency budget for the recommendation (default: ${DEFAULT-VALUE})")
    String latencyBudgetMs;

    @Override
    public Integer call() {
        StoreLocation dbPath = StoreLocation.of("db", db != null ? db : "autotune-demo.db");
        Path files = extract(dbPath.localDirectory().resolve("autotune-demo-files"));
        Path config = files.resolve(CONFIG);
        String scen = scenario != null ? scenario : Recording.scenarioOf(config);
        BudgetInput budget = new BudgetInput(latencyBudgetMs, null, null, null, List.of());
        io.out().println("autotune demo: recording " + REPORTS.size() + " bundled reports into " + dbPath);
        Analysis.Recommended recommended;
        try (Autotune autotune = new Autotune(dbPath).noticesTo(Output.lines(io.err()))) {
            REPORTS.forEach((file, value) -> {
                try {
                    var result = autotune.recording().ingest(new Recording.IngestInput(files.resolve(file), null, config, scen,
                            null, List.of(knob + "=" + value), "autotune demo", List.of(), false));
                    io.out().printf("  recorded experiment %d: %s=%d from %s (%s)%n", result.number(), knob, value,
                            file, result.format());
                } catch (DuplicateReport e) {
                    io.out().printf("  %s=%d from %s is already experiment %d%n", knob, value, file, e.existing());
                }
            });
            io.out().println();
            io.out().print(TerminalText.list(autotune.history().lines(autotune.history().filter(scen, null, null),
                    TerminalText.HEADLINE_KEYS, null)));
            io.out().println();
            recommended = autotune.analysis().recommend(List.of(knob), budget, null, scen);
            io.out().print(TerminalText.recommendations(recommended.objective(), recommended.budgets(),
                    recommended.recommendations()));
        }
        io.out().println();
        io.out().println("next: autotune show 2 --db " + dbPath + "   |   autotune check --latency-budget-ms "
                + Formats.number(recommended.budgets().get(0).limit()) + " --db " + dbPath);
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
                        throw new UserError(null, "the bundled demo file " + resource + " is missing from this build");
                    }
                    Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UserError(null, "cannot write the demo files to " + dir + ": " + e.getMessage(), e);
        }
    }
}
