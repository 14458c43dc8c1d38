package dev.autotune.domain.analysis;

import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-knob proposals stay on the knob's lattice (issue 20, point 6). */
class KnobLatticeTest {
    private static final String TP = "serve.tensor_parallel_size";

    @Test
    void aPowerOfTwoHistoryNeverYieldsAProposalThatIsNotAPowerOfTwo() {
        Random random = new Random(20261207L);
        int proposals = 0;
        for (int round = 0; round < 3000; round++) {
            TreeSet<Integer> exponents = new TreeSet<>();
            int n = 2 + random.nextInt(5);
            while (exponents.size() < n) {
                exponents.add(random.nextInt(10));
            }
            List<TuningPoint> history = new ArrayList<>();
            int number = 0;
            for (int e : exponents) {
                for (int repeat = 0; repeat <= random.nextInt(2); repeat++) {
                    number++;
                    history.add(new TuningPoint(number, "exp-" + number, "s", new TreeMap<>(Map.of(TP, 1 << e)),
                            new TreeMap<>(Map.of(Metric.THROUGHPUT_TOKENS_PER_SEC.key(), 100.0 + random.nextInt(900),
                                    Metric.LATENCY_MS.key(), 10.0 + random.nextInt(400)))));
                }
            }
            List<Budget> budgets = random.nextBoolean() ? List.of()
                    : List.of(Budget.parse("latency_ms<=" + (50 + random.nextInt(300))));
            Recommendation r = Recommender.recommend(history, List.of(TP), budgets, null).get(0);
            if (r.suggested() != null) {
                proposals++;
                long s = ((Number) r.suggested()).longValue();
                assertThat(Long.bitCount(s)).as("round " + round + ": " + history + " -> " + r).isEqualTo(1);
            }
        }
        assertThat(proposals).as("the property was exercised").isGreaterThan(500);
    }

    @Test
    void nothingBetweenFourAndEightOnPowersOfTwoMeansTheKnobIsSettledThere() {
        List<TuningPoint> history = History.of()
                .run(TP, 4, History.TPUT, 700.0, History.LAT, 5000.0)
                .run(TP, 8, History.TPUT, 900.0, History.LAT, 7000.0).points();
        Recommendation r = Recommender.recommend(history, List.of(TP), List.of(Budget.parse("latency_ms<=6000")), null)
                .get(0);
        assertThat(r.suggested()).isNull();
        assertThat(r.reason()).contains("no power of two lies strictly between them")
                .contains("keep 4; " + TP + " is settled there");
    }

    @Test
    void powersOfTwoGiveTheGeometricMidpointSnapped() {
        List<TuningPoint> history = History.of()
                .run(TP, 1, History.TPUT, 100.0, History.LAT, 50.0)
                .run(TP, 16, History.TPUT, 900.0, History.LAT, 900.0).points();
        Recommendation r = Recommender.recommend(history, List.of(TP), List.of(Budget.parse("latency_ms<=200")), null)
                .get(0);
        // the arithmetic midpoint would be 8; the geometric one of 1 and 16 is 4
        assertThat(r.suggested()).isEqualTo(4L);
    }

    @Test
    void aDoublingSweepIsOnPowersOfTwoAndABatchSizeTriedAtOneFourAndEightIsNot() {
        List<TuningPoint> sweep = History.of()
                .run("concurrency", 16, History.TPUT, 500.0, History.LAT, 3000.0)
                .run("concurrency", 32, History.TPUT, 700.0, History.LAT, 5000.0)
                .run("concurrency", 64, History.TPUT, 900.0, History.LAT, 7000.0).points();
        assertThat(Recommender.recommend(sweep, List.of("max_concurrency"), List.of(Budget.parse("latency_ms<=6000")),
                null).get(0).reason()).contains("keep 32; concurrency is settled there");
        assertThat(Recommender.recommend(History.classic().points(), List.of(History.BATCH),
                List.of(Budget.parse("latency_ms<=200")), null).get(0).suggested()).isEqualTo(6L);
    }

    @Test
    void aDomainTheSpaceDeclaresIsTheLattice() {
        List<TuningPoint> history = History.of()
                .run(TP, 4, History.TPUT, 700.0, History.LAT, 5000.0)
                .run(TP, 8, History.TPUT, 900.0, History.LAT, 7000.0).points();
        Recommendation r = Recommender.recommend(history, History.SCENARIO, List.of("tp"),
                List.of(Budget.parse("latency_ms<=6000")), null,
                Map.of("cmd_args.serve.tensor_parallel_size", List.of(1, 2, 4, 6, 8))).get(0);
        assertThat(r.knob()).as("the short name resolves to the history's knob").isEqualTo(TP);
        assertThat(r.suggested()).isEqualTo(6L);
    }
}
