package dev.autotune.domain.search;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Which knobs matter, through the fitted model: measurements of synthetic functions whose split is known, the
 * minimum before anything is said, knobs that move together, and the words.
 */
class ImportanceTest {
    private static final String A = "serving.alpha";
    private static final String B = "serving.beta";

    private static SearchSpace space(List<String> budgets) {
        return new SearchSpace("s", List.of(Knob.of(A, List.of(1, 2, 3, 4, 5), false),
                Knob.of(B, List.of(1, 2, 3, 4, 5), false)), List.of(), null,
                Objective.parse("maximize throughput_tokens_per_sec"), budgets, List.of(), null, null, null);
    }

    /** Every config of the space measured once, its metrics from {@code metrics}. */
    private static List<Observation> measureAll(SearchSpace space, Function<Map<String, Object>, Map<String, Double>> metrics) {
        List<Observation> out = new ArrayList<>();
        for (Map<String, Object> c : Spaces.configs(space)) {
            out.add(new Observation(c, metrics.apply(c), Observation.Outcome.COMPLETED, "e"));
        }
        return out;
    }

    private static double v(Map<String, Object> c, String knob) {
        return ((Number) c.get(knob)).doubleValue();
    }

    private static double share(Importance.Split s, String knob) {
        return s.knobs().stream().filter(k -> k.knob().equals(knob)).findFirst().orElseThrow().share();
    }

    private static double total(Importance.Split s) {
        return s.interactions() + s.knobs().stream().mapToDouble(Importance.Share::share).sum();
    }

    @Test
    void aKnobTheMetricIgnoresExplainsNothingAndTheObjectiveAndEachBudgetHaveTheirOwnSplit() {
        SearchSpace space = space(List.of("latency_ms<=200"));
        List<Importance.Split> splits = Importance.of(space, measureAll(space, c -> Map.of(
                "throughput_tokens_per_sec", 100 + 30 * v(c, A) + 0 * v(c, B),
                "latency_ms", 50 + 20 * v(c, B))));
        assertThat(splits).extracting(Importance.Split::role).containsExactly("objective", "latency_ms<=200");
        Importance.Split throughput = splits.get(0);
        assertThat(throughput.knobs().get(0).knob()).isEqualTo(A);
        assertThat(share(throughput, A)).isGreaterThan(0.95);
        assertThat(share(throughput, B)).isLessThan(0.02);
        assertThat(total(throughput)).isCloseTo(1, within(1e-9));
        assertThat(throughput.summary()).matches("alpha explains (9\\d|100)% .*").contains("% of throughput_tokens_per_sec's "
                + "variation, interactions ").contains("; under 1% each: beta (the model of 25 measured configs, over "
                + "all 25 combinations");
        Importance.Split latency = splits.get(1);
        assertThat(latency.knobs().get(0).knob()).isEqualTo(B);
        assertThat(latency.summary()).startsWith("beta explains").contains("of latency_ms (budget latency_ms<=200)'s");
    }

    @Test
    void anAdditiveMetricSplitsOneToFourWhenOneTermMovesItTwiceAsMuch() {
        SearchSpace space = space(List.of());
        // the model works on the log: log throughput = 0.1 a + 0.2 b + const, equal ranges
        Importance.Split s = Importance.of(space, measureAll(space, c -> Map.of("throughput_tokens_per_sec",
                Math.exp(0.1 * v(c, A) + 0.2 * v(c, B)) * 1000))).get(0);
        assertThat(share(s, B) / share(s, A)).isCloseTo(4, within(0.2));
        assertThat(s.interactions()).isLessThan(0.02);
        assertThat(total(s)).isCloseTo(1, within(1e-9));
    }

    @Test
    void aMetricOfTheCombinationOnlyIsMostlyInteractions() {
        SearchSpace space = space(List.of());
        Importance.Split s = Importance.of(space, measureAll(space, c -> Map.of("throughput_tokens_per_sec",
                Math.exp(0.3 * (v(c, A) - 3) * (v(c, B) - 3)) * 1000))).get(0);
        assertThat(s.interactions()).isGreaterThan(0.8);
        assertThat(s.summary()).matches(".*, interactions (8\\d|9\\d|100)%[; ].*");
    }

    @Test
    void belowTheMinimumItSaysItCannotTellYet() {
        SearchSpace space = space(List.of());
        List<Observation> few = measureAll(space, c -> Map.of("throughput_tokens_per_sec", 100 + v(c, A)))
                .subList(0, 3);
        Importance.Split s = Importance.of(space, few).get(0);
        assertThat(s.knobs()).isEmpty();
        assertThat(s.measured()).isEqualTo(3);
        assertThat(s.needed()).isEqualTo(5);
        assertThat(s.summary()).isEqualTo("which knobs matter for throughput_tokens_per_sec: not enough measured "
                + "configs to tell (3 of 5)");
    }

    @Test
    void knobsThatMoveTogetherAreOneEffect() {
        SearchSpace space = new SearchSpace("s", List.of(Knob.of("serving.batch_size", List.of(8, 16, 32, 64), false),
                Knob.of("serving.concurrency", List.of(8, 16, 32, 64), false),
                Knob.of(B, List.of(1, 2, 3), false)), List.of("concurrency == batch_size"), null,
                Objective.parse("maximize throughput_tokens_per_sec"), List.of(), List.of(), null, null, null);
        Importance.Split s = Importance.of(space, measureAll(space, c -> Map.of("throughput_tokens_per_sec",
                10 * v(c, "serving.batch_size") + v(c, B)))).get(0);
        assertThat(s.knobs()).hasSize(2);
        assertThat(s.knobs().get(0).label()).isEqualTo("batch_size (with concurrency)");
        assertThat(s.knobs().get(0).movesWith()).containsExactly("serving.concurrency");
        assertThat(s.summary()).matches("batch_size \\(with concurrency\\) explains (9\\d|100)% .*");
    }

    @Test
    void aLargeSpaceIsSampledWithAFixedSeedSoTheSplitRepeatsItself() {
        List<Object> values = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            values.add(i);
        }
        SearchSpace space = new SearchSpace("s", List.of(Knob.of(A, values, false), Knob.of(B, values, false),
                Knob.of("serving.gamma", List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), false)), List.of(), null,
                Objective.parse("maximize throughput_tokens_per_sec"), List.of(), List.of(), null, null, null);
        List<Observation> some = new ArrayList<>();
        List<Map<String, Object>> configs = Spaces.configs(space);
        for (int i = 0; i < configs.size(); i += 97) {
            Map<String, Object> c = configs.get(i);
            some.add(new Observation(c, Map.of("throughput_tokens_per_sec", 100 + 10 * v(c, A) + v(c, "serving.gamma")),
                    Observation.Outcome.COMPLETED, "e"));
        }
        Importance.Split s = Importance.of(space, some).get(0);
        assertThat(s.summary()).contains("over a sample of the 4,800 combinations");
        assertThat(s.knobs().get(0).knob()).isEqualTo(A);
        assertThat(total(s)).isCloseTo(1, within(1e-9));
        assertThat(Importance.of(space, some)).isEqualTo(Importance.of(space, some));
    }

    @Test
    void aKnobWithManyValuesAndNoEffectDoesNotTakeTheShareOfOneWithFewValuesThatMatters() {
        // 3,000 values of a knob that does nothing, two of one that doubles the metric: a sample holds each of the
        // many values about once, which must not read as an effect
        List<Object> many = new ArrayList<>();
        for (int i = 1; i <= 3000; i++) {
            many.add(i);
        }
        SearchSpace space = new SearchSpace("s", List.of(Knob.of(A, many, false), Knob.of(B, List.of("x", "y"), false)),
                List.of(), null, Objective.parse("maximize throughput_tokens_per_sec"), List.of(), List.of(), null,
                null, null);
        List<Observation> some = new ArrayList<>();
        List<Map<String, Object>> configs = Spaces.configs(space);
        for (int i = 0; i < configs.size(); i += 101) {
            Map<String, Object> c = configs.get(i);
            some.add(new Observation(c, Map.of("throughput_tokens_per_sec", c.get(B).equals("y") ? 200.0 : 100.0),
                    Observation.Outcome.COMPLETED, "e"));
        }
        Importance.Split s = Importance.of(space, some).get(0);
        assertThat(s.summary()).contains("over a sample of the 6,000 combinations");
        assertThat(s.knobs().get(0).knob()).isEqualTo(B);
        assertThat(share(s, B)).isGreaterThan(0.9);
        assertThat(total(s)).isCloseTo(1, within(1e-9));
    }

    @Test
    void aKnobMeasuredAtOneValueOnlyIsSaidNotToBeJudged() {
        SearchSpace space = space(List.of());
        List<Observation> alphaAtOne = measureAll(space, c -> Map.of("throughput_tokens_per_sec", 100 + 10 * v(c, B)))
                .stream().filter(o -> v(o.config(), A) == 1).toList();
        Importance.Split s = Importance.of(space, alphaAtOne).get(0);
        assertThat(s.knobs().get(0).knob()).isEqualTo(B);
        assertThat(s.knobs().get(1).measuredValues()).isEqualTo(1);
        assertThat(s.summary()).contains("; measured at one value only, so not judged: alpha (the model of 5 measured");
    }

    @Test
    void aMetricNoKnobMovesIsSaidSo() {
        SearchSpace space = space(List.of());
        Importance.Split s = Importance.of(space, measureAll(space, c -> Map.of("throughput_tokens_per_sec", 500.0)))
                .get(0);
        assertThat(s.summary()).startsWith("no knob moves throughput_tokens_per_sec: the model predicts the same value "
                + "everywhere");
        assertThat(s.knobs()).allMatch(k -> k.share() == 0);
        assertThat(s.interactions()).isZero();
    }
}
