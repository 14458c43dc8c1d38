package dev.autotune.api.bench;

import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.Objective;
import dev.autotune.domain.search.Observation;
import dev.autotune.domain.search.SearchSpace;
import dev.autotune.domain.search.Spaces;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One measured scenario as a search oracle (SWEEPS.md's protocol): its knobs, the measured configs (repeats
 * averaged), and what a trial of each returns. The SLO is the median of the scenario's latency metric over its
 * configs; the target is the config with the best throughput per GPU among those within the SLO.
 */
public record OracleScenario(String source, String name, List<String> knobs, List<Config> configs,
                             String latencyMetric, String gpus) {
    /** A measured config: knob values, mean system throughput (tok/s) and latency metric, and how many rows. */
    public record Config(Map<String, Object> knobs, double throughput, double latency, int rows) {
    }

    public int size() {
        return configs.size();
    }

    /** The median of the latency metric over the configs (the upper median for an even count, so half pass). */
    public double slo() {
        double[] l = configs.stream().mapToDouble(Config::latency).sorted().toArray();
        return l[l.length / 2];
    }

    /**
     * The space a study would declare for it: every knob with its measured values, the measured configs as
     * candidates, maximize throughput per GPU, and the SLO as a hard budget.
     */
    public SearchSpace space() {
        List<Knob> ks = new ArrayList<>();
        for (String k : knobs) {
            Set<Object> values = new LinkedHashSet<>();
            configs.forEach(c -> values.add(c.knobs().get(k)));
            ks.add(Knob.of(k, new ArrayList<>(values), false));
        }
        return new SearchSpace(name, ks, List.of(), gpus, Objective.parse("maximize throughput_tokens_per_sec_per_gpu"),
                List.of(latencyMetric + "<=" + slo()), List.of(), null,
                configs.stream().map(Config::knobs).toList(), null);
    }

    /** What measuring a config returns. */
    public Observation observe(Config c) {
        return new Observation(c.knobs(), Map.of("throughput_tokens_per_sec", c.throughput(), latencyMetric, c.latency()),
                Observation.Outcome.COMPLETED, name);
    }

    /** Throughput per GPU of each config, in config order. */
    public double[] perGpu(SearchSpace space) {
        return configs.stream().mapToDouble(c -> c.throughput() / Spaces.gpus(space, c.knobs()).orElse(1)).toArray();
    }
}
