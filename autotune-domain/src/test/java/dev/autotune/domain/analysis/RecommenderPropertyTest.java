package dev.autotune.domain.analysis;

import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.Recommendation.Kind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invariants of the recommender over many random histories (a fixed seed, so a failure reproduces):
 * it never suggests a tested value, a MIDPOINT lies strictly between best and boundary, integer knobs get
 * integer suggestions, and the null-suggestion kinds really carry null.
 */
class RecommenderPropertyTest {
    private static final String KNOB = "serving.batch_size";
    private static final Set<Kind> NO_SUGGESTION = EnumSet.of(Kind.NO_HISTORY, Kind.BOUNDARY_FOUND,
            Kind.OPTIMUM_FOUND, Kind.NOTHING_MEETS_BUDGET);

    @Test
    void never_suggests_a_tested_value_and_midpoints_lie_strictly_between_best_and_boundary() {
        Random random = new Random(20240611L);
        EnumSet<Kind> seen = EnumSet.noneOf(Kind.class);
        for (int round = 0; round < 5000; round++) {
            boolean integral = random.nextInt(4) != 0;
            List<TuningPoint> history = randomHistory(random, integral);
            List<Budget> budgets = randomBudgets(random);
            Metric objective = random.nextInt(5) == 0 ? Metric.LATENCY_MS : Metric.THROUGHPUT_TOKENS_PER_SEC;

            Recommendation r = Recommender.recommend(history, List.of(KNOB), budgets, objective).get(0);
            seen.add(r.kind());
            String context = "round " + round + ": " + history + " budgets " + budgets + " -> " + r;

            Set<BigDecimal> tested = new TreeSet<>();
            history.forEach(p -> tested.add(decimal(p.knobs().get(KNOB))));
            if (NO_SUGGESTION.contains(r.kind())) {
                assertThat(r.suggested()).as(context).isNull();
                continue;
            }
            assertThat(r.suggested()).as(context).isNotNull();
            assertThat(r.suggested()).as(context).isInstanceOf(integral ? Long.class : Double.class);
            BigDecimal s = decimal(r.suggested());
            assertThat(tested).as(context).doesNotContain(s);
            assertThat(r.reason()).as(context).contains(Numbers.format(r.suggested()));
            if (r.kind() == Kind.MIDPOINT) {
                BigDecimal best = decimal(r.bestValue());
                BigDecimal boundary = decimal(r.boundaryValue());
                assertThat(s).as(context).isStrictlyBetween(best.min(boundary), best.max(boundary));
            }
            if (r.kind() == Kind.BELOW_SMALLEST) {
                assertThat(s).as(context).isLessThan(tested.iterator().next());
            }
            if (r.kind() == Kind.EXTEND || r.kind() == Kind.ABOVE_LARGEST) {
                assertThat(s).as(context).isGreaterThan(((TreeSet<BigDecimal>) tested).last());
            }
        }
        // the generator must reach every rule, or the invariants above prove little
        assertThat(seen).containsAll(EnumSet.complementOf(EnumSet.of(Kind.NO_HISTORY)));
    }

    private static List<TuningPoint> randomHistory(Random random, boolean integral) {
        int n = 1 + random.nextInt(7);
        List<TuningPoint> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Object value = integral ? (Object) (1 + random.nextInt(20))
                    : (Object) (random.nextInt(100) / 100.0 + 0.01);
            double x = ((Number) value).doubleValue();
            TreeMap<String, Double> metrics = new TreeMap<>();
            // throughput grows with the knob then saturates, latency grows; plus noise
            metrics.put("throughput_tokens_per_sec", 100 * Math.log(1 + x) + random.nextInt(60));
            metrics.put("latency_ms", 20 * x + random.nextInt(80));
            TreeMap<String, Object> knobs = new TreeMap<>();
            knobs.put(KNOB, value);
            out.add(new TuningPoint(i, "exp-" + i, "s", knobs, metrics));
        }
        return out;
    }

    private static List<Budget> randomBudgets(Random random) {
        List<Budget> budgets = new ArrayList<>();
        if (random.nextBoolean()) {
            budgets.add(Budget.atMost(Metric.LATENCY_MS, 10 + random.nextInt(400)));
        }
        if (random.nextInt(3) == 0) {
            budgets.add(Budget.atLeast(Metric.THROUGHPUT_TOKENS_PER_SEC, random.nextInt(300)));
        }
        return budgets;
    }

    private static BigDecimal decimal(Object n) {
        return new BigDecimal(n.toString()).stripTrailingZeros();
    }
}
