package dev.autotune.domain.analysis;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds tuning histories for tests: one experiment per call, numbered in order. */
final class History {
    static final String SCENARIO = "llama3-8b-chat";
    static final String BATCH = "serving.batch_size";
    static final String TPUT = "throughput_tokens_per_sec";
    static final String LAT = "latency_ms";

    private final List<TuningPoint> points = new ArrayList<>();

    static History of() {
        return new History();
    }

    /** An experiment with one knob, and metrics given as key, value pairs. */
    History run(String knob, Object value, Object... metrics) {
        Map<String, Object> knobs = new LinkedHashMap<>();
        knobs.put(knob, value);
        return run(knobs, metrics);
    }

    History run(Map<String, Object> knobs, Object... metrics) {
        int n = points.size() + 1;
        points.add(new TuningPoint(n, "exp-" + n, SCENARIO, new TreeMap<>(knobs), metrics(metrics)));
        return this;
    }

    /** The classic batch-size sweep: throughput rises with batch size, so does latency. */
    static History classic() {
        return of().run(BATCH, 1, TPUT, 120.0, LAT, 90.0)
                .run(BATCH, 4, TPUT, 330.0, LAT, 160.0)
                .run(BATCH, 8, TPUT, 430.0, LAT, 260.0);
    }

    List<TuningPoint> points() {
        return List.copyOf(points);
    }

    List<Measured> measured() {
        return points.stream().map(p -> new Measured(p.number(), p.experimentId(), p.scenario(),
                p.metrics())).toList();
    }

    static TreeMap<String, Double> metrics(Object... pairs) {
        TreeMap<String, Double> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return m;
    }
}
