package dev.autotune.domain.analysis;

import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The per-knob sensitivity view: the metric per knob value, the others held as recommend --knob holds them. */
class SensitivityTest {
    static final String TP = "serving.tensor_parallel_size";
    static final String C = "serving.concurrency";

    /** tp 1, 2, 4 by concurrency 8, 32, 128: latency follows concurrency strongly and tp a little. */
    private static List<TuningPoint> sweep() {
        List<TuningPoint> out = new ArrayList<>();
        int n = 0;
        for (long tp : new long[]{1, 2, 4}) {
            for (long c : new long[]{8, 32, 128}) {
                n++;
                double latency = 20 + 2.0 * c / Math.sqrt(tp);
                double throughput = 100 * tp + 1.0 * c;
                out.add(new TuningPoint(n, "e" + n, "s", new TreeMap<>(Map.of(TP, tp, C, c)), new TreeMap<>(Map.of(
                        Metric.LATENCY_MS.key(), latency, Metric.THROUGHPUT_TOKENS_PER_SEC.key(), throughput))));
            }
        }
        return out;
    }

    @Test
    void theKnobThatMovesTheMetricMostComesFirstWithTheOthersHeldAsInTheBestRun() {
        // within 150 ms the best throughput is tp 4, concurrency 128 (20 + 128 = 148 ms): experiment 9
        Sensitivity.View v = Sensitivity.of(sweep(), "s", Metric.LATENCY_MS.key(), Metric.THROUGHPUT_TOKENS_PER_SEC,
                List.of(Budget.parse("latency_ms<=150")));
        assertThat(v.bestRun()).isEqualTo(9);
        assertThat(v.knobs()).extracting(Sensitivity.KnobCurve::knob).containsExactly(C, TP);
        Sensitivity.KnobCurve c = v.knobs().get(0);
        // concurrency at tp 4: 24, 36, 84 ms
        assertThat(c.levels()).extracting(Sensitivity.Level::value).containsExactly(8L, 32L, 128L);
        assertThat(c.levels()).extracting(Sensitivity.Level::mean).containsExactly(28.0, 52.0, 148.0);
        assertThat(c.levels().get(2).experiments()).containsExactly(9);
        assertThat(c.held()).isEqualTo(TP + "=4, as in the best run (experiment 9)");
        assertThat(c.spread()).isCloseTo((148 - 28) / 148.0, within(1e-12));
        assertThat(c.summary()).isEqualTo(C + " moves latency_ms by 81% (from 28 to 148)");
        // tp at concurrency 128: 276, 201, 148 ms
        Sensitivity.KnobCurve tp = v.knobs().get(1);
        assertThat(tp.held()).isEqualTo(C + "=128, as in the best run (experiment 9)");
        assertThat(tp.levels()).extracting(Sensitivity.Level::mean)
                .containsExactly(276.0, 20 + 256 / Math.sqrt(2), 148.0);
    }

    @Test
    void withNoRunWithinTheBudgetsEveryExperimentCounts() {
        Sensitivity.View v = Sensitivity.of(sweep(), "s", Metric.THROUGHPUT_TOKENS_PER_SEC.key(), null,
                List.of(Budget.parse("latency_ms<=10")));
        assertThat(v.bestRun()).isNull();
        assertThat(v.knobs().get(0).knob()).isEqualTo(TP);
        assertThat(v.knobs().get(0).held()).startsWith("every experiment (none meets the budgets");
        // the mean over the three concurrencies at each tp
        assertThat(v.knobs().get(0).levels().get(0).mean()).isCloseTo(100 + (8 + 32 + 128) / 3.0, within(1e-9));
        assertThat(v.knobs().get(0).levels().get(0).experiments()).containsExactly(1, 2, 3);
    }

    @Test
    void aKnobMeasuredAtOneValueOnlyMovesNothing() {
        List<TuningPoint> one = List.of(new TuningPoint(1, "e1", "s", new TreeMap<>(Map.of(TP, 1L, C, 8L)),
                        new TreeMap<>(Map.of("latency_ms", 30.0))),
                new TuningPoint(2, "e2", "s", new TreeMap<>(Map.of(TP, 1L, C, 16L)),
                        new TreeMap<>(Map.of("latency_ms", 40.0))));
        Sensitivity.View v = Sensitivity.of(one, "s", "latency_ms", Metric.LATENCY_MS, List.of());
        assertThat(v.knobs()).extracting(Sensitivity.KnobCurve::knob).containsExactly(C);
        assertThat(v.knobs().get(0).held()).isEqualTo("every experiment (no other knob varies)");
        assertThat(v.knobs().get(0).summary()).isEqualTo(C + " moves latency_ms by 25% (from 30 to 40)");
    }

    @Test
    void knobsThatMoveTogetherInEveryExperimentVaryTogetherInEachOthersCurve() {
        String seqs = "serving.max_num_seqs";
        List<TuningPoint> h = new ArrayList<>();
        int n = 0;
        for (long tp : new long[]{1, 2}) {
            for (long c : new long[]{8, 32, 128}) {
                n++;
                // the load generator's concurrency is set to max_num_seqs in every run
                h.add(new TuningPoint(n, "e" + n, "s", new TreeMap<>(Map.of(TP, tp, C, c, seqs, c)),
                        new TreeMap<>(Map.of(Metric.LATENCY_MS.key(), 20 + 2.0 * c / tp))));
            }
        }
        Sensitivity.View v = Sensitivity.of(h, "s", Metric.LATENCY_MS.key(), Metric.LATENCY_MS, List.of());
        Sensitivity.KnobCurve c = v.knobs().stream().filter(k -> k.knob().equals(C)).findFirst().orElseThrow();
        // best (lowest latency) is tp 2 at 8: concurrency's curve holds tp, not max_num_seqs
        assertThat(c.levels()).extracting(Sensitivity.Level::value).containsExactly(8L, 32L, 128L);
        assertThat(c.held()).isEqualTo(TP + "=2, as in the best run (experiment 4); " + seqs
                + " moves with it in every experiment, so the curve is theirs too");
        Sensitivity.KnobCurve tp = v.knobs().stream().filter(k -> k.knob().equals(TP)).findFirst().orElseThrow();
        assertThat(tp.held()).isEqualTo(C + "=8, " + seqs + "=8, as in the best run (experiment 4)");
    }

    @Test
    void twoKnobsThatShareOneValueOnlyDoNotMoveTogether() {
        List<Map<String, Object>> configs = List.of(Map.of(TP, 1L, C, 8L), Map.of(TP, 1L, C, 8L));
        assertThat(KnobValues.movesWith(TP, configs)).isEmpty();
        List<Map<String, Object>> grid = List.of(Map.of(TP, 1L, C, 8L), Map.of(TP, 2L, C, 16L), Map.of(TP, 2L, C, 8L));
        assertThat(KnobValues.movesWith(TP, grid)).isEmpty();
        List<Map<String, Object>> tied = List.of(Map.of(TP, 1L, C, 8L), Map.of(TP, 2.0, C, 16L), Map.of(TP, 2L, C, 16L));
        assertThat(KnobValues.movesWith(TP, tied)).containsExactly(C);
    }
}
