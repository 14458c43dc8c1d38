package dev.autotune.api.bench;

import dev.autotune.domain.search.Decision;
import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.Objective;
import dev.autotune.domain.search.Observation;
import dev.autotune.domain.search.SearchSpace;
import dev.autotune.domain.search.Spaces;
import dev.autotune.domain.search.Strategies;
import dev.autotune.domain.search.Strategy;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The search benchmark of docs/SEARCH.md: each strategy searches each measured scenario ({@link OracleScenario})
 * from scratch, once per seed, one trial at a time; a trial returns the measured values. Recorded per run: the
 * trials until the strategy first proposes the target config, and until it first proposes one within 2% of the
 * target's throughput per GPU (and within the SLO), both as a fraction of the scenario's configs N. A run that
 * stops without reaching it counts as N trials (what walking every config is sure to take), and is reported
 * as a miss.
 */
public final class SearchBenchmark {
    /** Within this fraction of the target's throughput per GPU counts as "within 2%". */
    static final double NEAR = 0.02;

    /**
     * One search: trials to the target and to within 2% (1-based), whether it got there at all, and the runs
     * after the trial that first reached the final best until the strategy stopped ({@code after}; the trials left
     * to the cap of 3 N when it never stopped).
     */
    public record Run(int exact, int near, boolean missed, int after) {
        public Run(int exact, int near, boolean missed) {
            this(exact, near, missed, 0);
        }
    }

    /** The goals of issue 22, printed with every pooled table: fractions of N. */
    public record Targets(double exactMedian, double nearMedian, double p90, double afterMedian) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "exact median <= %.2f, within 2%% median <= %.2f, p90 <= %.2f for both, "
                    + "no misses; runs after the best median <= %.2f", exactMedian, nearMedian, p90, afterMedian);
        }
    }

    public static final Targets TARGETS = new Targets(0.12, 0.08, 0.30, 0.05);

    /** One scenario prepared as an oracle: its space, the config each proposal maps to, and the targets. */
    public static final class Oracle {
        final OracleScenario scenario;
        final SearchSpace space;
        final Map<Map<String, Object>, Integer> index = new HashMap<>();
        final int target;
        final boolean[] near;

        public Oracle(OracleScenario scenario) {
            this.scenario = scenario;
            this.space = scenario.space();
            Spaces.validate(space);
            double[] perGpu = scenario.perGpu(space);
            double slo = scenario.slo();
            int best = -1;
            for (int i = 0; i < scenario.size(); i++) {
                index.put(Spaces.normalize(space, scenario.configs().get(i).knobs()).orElseThrow(), i);
                if (scenario.configs().get(i).latency() <= slo && (best < 0 || perGpu[i] > perGpu[best])) {
                    best = i;
                }
            }
            this.target = best;
            this.near = new boolean[scenario.size()];
            for (int i = 0; i < near.length; i++) {
                near[i] = scenario.configs().get(i).latency() <= slo && perGpu[i] >= (1 - NEAR) * perGpu[best];
            }
        }

        public int size() {
            return scenario.size();
        }

        public OracleScenario scenario() {
            return scenario;
        }

        /**
         * Searches from scratch with one strategy and seed until the search stops (at most 3 N trials): when the
         * target was first proposed, when a config within 2% was, and how many runs followed the one that first
         * reached the final best.
         */
        public Run run(Strategy strategy, long seed) {
            int n = scenario.size();
            double[] perGpu = scenario.perGpu(space);
            double slo = scenario.slo();
            List<Observation> history = new ArrayList<>();
            int exact = 0;
            int nearAt = 0;
            int bestAt = 0;
            double bestValue = Double.NEGATIVE_INFINITY;
            int trial = 1;
            for (; trial <= 3 * n; trial++) {
                Decision d = strategy.next(space, history, List.of(), seed);
                if (!(d instanceof Decision.Propose p)) {
                    break;
                }
                int i = index.get(Spaces.normalize(space, p.config()).orElseThrow());
                if (nearAt == 0 && near[i]) {
                    nearAt = trial;
                }
                if (exact == 0 && i == target) {
                    exact = trial;
                }
                if (scenario.configs().get(i).latency() <= slo && perGpu[i] > bestValue) {
                    bestValue = perGpu[i];
                    bestAt = trial;
                }
                history.add(scenario.observe(scenario.configs().get(i)));
            }
            boolean missed = exact == 0;
            int after = (trial - 1) - bestAt;
            return new Run(missed ? n : Math.min(exact, n), nearAt == 0 ? n : Math.min(nearAt, n), missed, after);
        }
    }

    private final PrintStream out;

    public SearchBenchmark(PrintStream out) {
        this.out = out;
    }

    /** Runs every strategy on every scenario with seeds 1..seeds, on {@code threads} threads, and prints the tables. */
    public void run(List<OracleScenario> scenarios, List<String> strategies, int seeds, int threads) throws Exception {
        List<Oracle> oracles = scenarios.stream().map(Oracle::new).toList();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Map<String, List<Future<Run>>> futures = new LinkedHashMap<>();
        long start = System.nanoTime();
        try {
            for (Oracle o : oracles) {
                for (String s : strategies) {
                    List<Future<Run>> runs = new ArrayList<>();
                    for (long seed = 1; seed <= seeds; seed++) {
                        long sd = seed;
                        runs.add(pool.submit(() -> o.run(Strategies.byName(s), sd)));
                    }
                    futures.put(o.scenario.source() + "|" + o.scenario.name() + "|" + s, runs);
                }
            }
            out.printf("%n| source | scenario | N | feasible | strategy | exact: median | exact: p90 | within 2%%: median "
                    + "| within 2%%: p90 | after the best: median | misses |%n|---|---|---|---|---|---|---|---|---|---|---|%n");
            Map<String, List<double[]>> pooled = new LinkedHashMap<>();
            Map<String, Integer> misses = new LinkedHashMap<>();
            for (Oracle o : oracles) {
                long feasible = o.scenario.configs().stream().filter(c -> c.latency() <= o.scenario.slo()).count();
                for (String s : strategies) {
                    List<Run> runs = new ArrayList<>();
                    for (Future<Run> f : futures.get(o.scenario.source() + "|" + o.scenario.name() + "|" + s)) {
                        runs.add(f.get());
                    }
                    double n = o.size();
                    double[] exact = runs.stream().mapToDouble(r -> r.exact() / n).toArray();
                    double[] near = runs.stream().mapToDouble(r -> r.near() / n).toArray();
                    double[] after = runs.stream().mapToDouble(r -> r.after() / n).toArray();
                    int missed = (int) runs.stream().filter(Run::missed).count();
                    for (String group : List.of(s, o.scenario.source() + "|" + s)) {
                        for (int k = 0; k < exact.length; k++) {
                            pooled.computeIfAbsent(group, x -> new ArrayList<>()).add(new double[]{exact[k], near[k], after[k]});
                        }
                        misses.merge(group, missed, Integer::sum);
                    }
                    out.printf(Locale.ROOT, "| %s | %s | %d | %d | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %d |%n",
                            o.scenario.source(), o.scenario.name(), o.size(), feasible, s, median(exact),
                            percentile(exact, 0.9), median(near), percentile(near, 0.9), median(after), missed);
                }
            }
            out.printf("%nPooled over %d scenarios x %d seeds (fractions of N; targets: %s):%n%n| scenarios | strategy "
                    + "| exact: median | exact: p90 | within 2%%: median | within 2%%: p90 | after the best: median "
                    + "| after the best: p90 | misses |%n|---|---|---|---|---|---|---|---|---|%n", oracles.size(), seeds,
                    TARGETS);
            List<String> sources = oracles.stream().map(o -> o.scenario.source()).distinct().toList();
            for (String s : strategies) {
                printPooled("all " + oracles.size(), s, pooled.get(s), misses.get(s));
            }
            for (String source : sources) {
                long count = oracles.stream().filter(o -> o.scenario.source().equals(source)).count();
                for (String s : strategies) {
                    printPooled(source + " (" + count + ")", s, pooled.get(source + "|" + s), misses.get(source + "|" + s));
                }
            }
            out.printf(Locale.ROOT, "%nsearch runs took %.1f s on %d thread(s)%n", (System.nanoTime() - start) / 1e9, threads);
        } finally {
            pool.shutdownNow();
        }
    }

    private void printPooled(String label, String strategy, List<double[]> runs, int missed) {
        double[] exact = runs.stream().mapToDouble(v -> v[0]).toArray();
        double[] near = runs.stream().mapToDouble(v -> v[1]).toArray();
        double[] after = runs.stream().mapToDouble(v -> v[2]).toArray();
        out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %d |%n", label, strategy,
                median(exact), percentile(exact, 0.9), median(near), percentile(near, 0.9), median(after),
                percentile(after, 0.9), missed);
    }

    /**
     * The time one proposal of a strategy takes with {@code observations} measured configs in a synthetic
     * 2,560-config space (5 knobs: batch 16..512 step 16, tp 1-8, a token budget, kv dtype, chunked prefill) with a
     * latency budget; median of {@code repeats} after warm-up, in milliseconds: wall time, and the CPU time of the
     * proposing thread (which other processes on a shared machine do not inflate).
     */
    public record Timing(double wallMillis, double cpuMillis) {
    }

    public static Timing proposalMillis(String strategy, int observations, int repeats) {
        SearchSpace space = new SearchSpace("timing", List.of(
                Knob.range("serve.max_num_seqs", 16, 512, 16, false),
                Knob.of("serve.tensor_parallel_size", List.of(1, 2, 4, 8), false),
                Knob.of("serve.max_num_batched_tokens", List.of(2048, 4096, 8192, 16384, 32768), true),
                Knob.of("serve.kv_cache_dtype", List.of("auto", "fp8"), false),
                Knob.of("serve.enable_chunked_prefill", List.of(true, false), false)),
                List.of(), "tp", Objective.parse("maximize throughput_tokens_per_sec_per_gpu"),
                List.of("latency_p95_ms<=200"), List.of(), null, null, null);
        List<Map<String, Object>> configs = new ArrayList<>(Spaces.configs(space));
        java.util.Collections.shuffle(configs, new java.util.Random(42));
        SplittableRandom noise = new SplittableRandom(7);
        List<Observation> history = new ArrayList<>();
        for (Map<String, Object> c : configs.subList(0, observations)) {
            double b = ((Number) c.get("serve.max_num_seqs")).doubleValue();
            double tp = ((Number) c.get("serve.tensor_parallel_size")).doubleValue();
            double t = ((Number) c.get("serve.max_num_batched_tokens")).doubleValue();
            double kv = c.get("serve.kv_cache_dtype").equals("fp8") ? 1.1 : 1;
            double jitter = 1 + 0.025 * noise.nextGaussian();
            double tput = jitter * 300 * Math.pow(tp, 0.8) * kv * b / (1 + b / 96) * Math.pow(t / 8192, 0.1);
            double p95 = jitter * (30 + 1.2 * b / Math.sqrt(tp) / kv + t / 400);
            history.add(new Observation(c, Map.of("throughput_tokens_per_sec", tput, "latency_p95_ms", p95),
                    Observation.Outcome.COMPLETED, "t"));
        }
        Strategy s = Strategies.byName(strategy);
        for (int i = 0; i < 3; i++) {
            s.next(space, history, List.of(), i);
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] wall = new double[repeats];
        double[] cpu = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            s.next(space, history, List.of(), i);
            wall[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        return new Timing(median(wall), median(cpu));
    }

    /** The median as every quantile here: the inverted empirical CDF ({@link #percentile} at 0.5). */
    static double median(double[] v) {
        return percentile(v, 0.5);
    }

    /**
     * The quantile p by the inverted empirical CDF (nearest rank): the smallest value with at least a fraction p
     * of the values at or below it. For an even count the median is the lower of the two middle values.
     */
    static double percentile(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.max(0, (int) Math.ceil(p * s.length) - 1)];
    }
}
