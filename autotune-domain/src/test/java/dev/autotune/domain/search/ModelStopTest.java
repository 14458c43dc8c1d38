package dev.autotune.domain.search;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model strategy's stop on the synthetic serving space ({@link StrategiesTest#synthetic}): it finds the best,
 * stops by itself with the reason in words, and the stop carries the proposal `ask --force` takes; and the seed
 * drives the start, so different seeds are different searches while the same seed repeats itself.
 */
class ModelStopTest {
    /** Runs the model to its stop (at most 100 trials); the decisions in order, the stop last. */
    private static List<Decision> search(long seed) {
        SearchSpace space = StrategiesTest.synthetic();
        Strategy model = Strategies.byName("model");
        List<Observation> history = new ArrayList<>();
        List<Decision> out = new ArrayList<>();
        for (int trial = 0; trial < 100; trial++) {
            Decision d = model.next(space, history, List.of(), seed);
            out.add(d);
            if (d instanceof Decision.Stop) {
                break;
            }
            history.add(StrategiesTest.measure(((Decision.Propose) d).config()));
        }
        return out;
    }

    @Test
    void theModelFindsTheBestThenStopsByItselfSayingWhyAndWhatItWouldTryAnyway() {
        List<Decision> decisions = search(3);
        Decision last = decisions.get(decisions.size() - 1);
        assertThat(last).isInstanceOf(Decision.Stop.class);
        Decision.Stop stop = (Decision.Stop) last;
        assertThat(stop.reason()).isEqualTo(Decision.StopReason.NO_EXPECTED_IMPROVEMENT);
        // the stop on the joint chance that any untested config is feasible and better (on heavy-tailed draws),
        // before the usual wait for half of a small space
        assertThat(stop.why()).startsWith("the chance that any untested config is feasible and better than the best "
                        + "is ").contains("under 5% (drawn from the models over all of them at once, each model's "
                        + "spread widened for how few measurements it rests on")
                .contains("largest expected improvement").contains("best so far");
        long measured = decisions.stream().filter(d -> d instanceof Decision.Propose).count();
        assertThat(measured).isLessThan(StopPolicy.minTrialsToStop(Spaces.configs(StrategiesTest.synthetic()).size()));
        Map<String, Object> best = StrategiesTest.best(StrategiesTest.synthetic());
        List<Map<String, Object>> proposed = decisions.stream().filter(d -> d instanceof Decision.Propose)
                .map(d -> ((Decision.Propose) d).config()).toList();
        assertThat(proposed).contains(best);
        assertThat(stop.anyway()).as("what ask --force proposes").isNotNull();
        assertThat(proposed).doesNotContain(stop.anyway().config());
        assertThat(stop.anyway().reason()).contains("expected improvement");
        // a proposal that expects nothing says which rule keeps the search going, and only such a proposal
        assertThat(decisions).anyMatch(d -> d instanceof Decision.Propose p
                && p.reason().contains("expected improvement 0.0%"));
        for (Decision d : decisions) {
            if (d instanceof Decision.Propose p && p.reason().contains("expected improvement 0.0%")) {
                assertThat(p.reason()).contains("not stopping yet: an untested config still has at least a 0.1% "
                        + "chance to be feasible and better").contains("and the chance that any one is, at least 5%");
            } else if (d instanceof Decision.Propose p) {
                assertThat(p.reason()).doesNotContain("not stopping yet");
            }
        }
    }

    @Test
    void theSeedDrivesTheStartSoSeedsAreSamplesAndTheSameSeedRepeatsItself() {
        // 41 values on a line (a linear scale: they span less than a factor of 8): one config is nearest the
        // centre (120), so before the seed drove the start every seed began there; now each draws from the
        // twentieth of the space nearest it (119, 120, 121)
        List<Object> values = new ArrayList<>();
        for (int v = 100; v <= 140; v++) {
            values.add(v);
        }
        SearchSpace line = new SearchSpace("line", List.of(Knob.of("serving.batch_size", values, false)), List.of(),
                null, Objective.parse("maximize throughput_tokens_per_sec"), List.of("latency_ms<=200"), List.of(),
                null, null, null);
        Set<Object> firsts = new HashSet<>();
        for (long seed = 1; seed <= 10; seed++) {
            Decision.Propose p = (Decision.Propose) Strategies.byName("model").next(line, List.of(), List.of(), seed);
            assertThat(p.config().get("serving.batch_size")).isIn(119L, 120L, 121L);
            assertThat(p.reason()).contains("drawn from the seed " + seed);
            firsts.add(p.config().get("serving.batch_size"));
        }
        assertThat(firsts).as("ten seeds, more than one start").hasSizeGreaterThan(1);
        assertThat(search(5)).isEqualTo(search(5));
    }
}
