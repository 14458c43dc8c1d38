package dev.autotune.api.bench;

import dev.autotune.api.render.export.Export;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.common.BudgetInput;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.ExperimentApi.IngestReport;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import dev.autotune.projections.Projections;
import dev.autotune.store.AxonStore;
import dev.autotune.store.Database;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Times the Markdown benchmark report (`export --template benchmark-report` with a latency budget and two knobs)
 * over histories of growing size, to show it grows linearly: the time per experiment stays flat. One scenario,
 * a batch-size sweep over seven values and a second knob with a different value in every experiment, so the
 * trend table of that knob has a row per experiment.
 */
public final class ExportBenchmark {
    private static final int BATCH = 250;
    private static final int RUNS = 3;
    private static final String SCENARIO = "bench";
    private static final List<String> KNOBS = List.of("serving.batch_size", "serving.max_num_batched_tokens");

    private final PrintStream out;

    public ExportBenchmark(PrintStream out) {
        this.out = out;
    }

    /** One size: the median wall time of the export, and the size of the report it rendered. */
    public record Timing(int experiments, double medianMs, int bytes) {
        public double microsPerExperiment() {
            return medianMs * 1000 / experiments;
        }
    }

    public List<Timing> run(Path workDir, List<Integer> sizes) {
        List<Timing> timings = new ArrayList<>();
        for (int n : sizes) {
            Path file = workDir.resolve("export-" + n + ".db");
            populate(file, n);
            try (Autotune autotune = new Autotune(file)) {
                export(autotune); // warm-up: class loading and the JIT, not the figure
                double[] ms = new double[RUNS];
                int bytes = 0;
                for (int i = 0; i < RUNS; i++) {
                    long t0 = System.nanoTime();
                    bytes = export(autotune).length();
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                Timing t = new Timing(n, ms[RUNS / 2], bytes);
                out.printf("  %,7d experiments: %8.1f ms (%.1f µs per experiment), %,d bytes%n", n, t.medianMs(),
                        t.microsPerExperiment(), t.bytes());
                timings.add(t);
            }
        }
        return timings;
    }

    private static String export(Autotune autotune) {
        return Export.text(autotune.analysis().export("markdown", "benchmark-report", SCENARIO,
                new BudgetInput("200", null, null, null, List.of()), KNOBS));
    }

    private static void populate(Path file, int experiments) {
        try (Database db = Database.open(file)) {
            try (AxonStore store = AxonStore.start(db, Projections.of(db).all())) {
                store.sendInBatches(history(experiments), BATCH);
                store.awaitProjections(Duration.ofHours(1));
            }
        }
    }

    private static List<IngestReport> history(int experiments) {
        Random random = new Random(7);
        int[] batches = {1, 2, 4, 8, 16, 32, 64};
        List<IngestReport> commands = new ArrayList<>(experiments);
        for (int i = 0; i < experiments; i++) {
            String id = UUID.nameUUIDFromBytes(("export-" + i).getBytes()).toString();
            int batch = batches[random.nextInt(batches.length)];
            double latency = 60 + 25 * batch * (0.9 + 0.2 * random.nextDouble());
            double throughput = 120 * Math.sqrt(batch) * (0.9 + 0.2 * random.nextDouble());
            Map<String, Object> knobs = new TreeMap<>(Map.of("serving.batch_size", (long) batch,
                    "serving.max_num_batched_tokens", 512L + i));
            Map<String, Double> metrics = new TreeMap<>(Map.of("latency_ms", latency, "latency_p95_ms", latency * 1.3,
                    "throughput_tokens_per_sec", throughput, "failure_rate", 0.0));
            StartExperiment start = new StartExperiment(id, SCENARIO, "vllm", knobs, null, null, null, Map.of(),
                    ExperimentApi.Source.INGEST, null, null);
            commands.add(new IngestReport(id, start, new ExperimentApi.Report("bench/report-" + i + ".json",
                    "sha-" + i, "generic-json", List.of(), metrics)));
        }
        return commands;
    }
}
