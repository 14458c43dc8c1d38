package dev.autotune.domain.search;

import dev.autotune.domain.Budget;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SpacesTest {
    static final String TP = "cmd_args.serve.tensor_parallel_size";
    static final String PP = "cmd_args.serve.pipeline_parallel_size";
    static final String SEQS = "cmd_args.serve.max_num_seqs";
    static final String KV = "cmd_args.serve.kv_cache_dtype";

    static SearchSpace space(List<String> constraints, List<String> budgets, String objective) {
        return new SearchSpace("s", List.of(
                Knob.of(TP, List.of(8, 1, 2, 4), true),
                Knob.of(PP, List.of(1, 2), false),
                Knob.range(SEQS, 16, 64, 16, false),
                Knob.of(KV, List.of("auto", "fp8"), false)),
                constraints, "tp * pp", Objective.parse(objective), budgets, List.of(), null, null, null);
    }

    static SearchSpace space() {
        return space(List.of("tp * pp <= 8"), List.of("latency_p95_ms<=200"), "maximize throughput_tokens_per_sec_per_gpu");
    }

    @Test
    void objectiveParsesBothDirectionsAndNamesTheField() {
        assertThat(Objective.parse("maximize throughput_tokens_per_sec_per_gpu"))
                .isEqualTo(new Objective("throughput_tokens_per_sec_per_gpu", true));
        assertThat(Objective.parse("  minimize   latency_p95_ms ")).isEqualTo(new Objective("latency_p95_ms", false));
        assertThatThrownBy(() -> Objective.parse("lower latency_ms")).isInstanceOfSatisfying(SpaceError.class,
                e -> assertThat(e.field()).isEqualTo("objective"));
        assertThatThrownBy(() -> Objective.parse("maximize")).isInstanceOf(SpaceError.class);
    }

    @Test
    void knobsFromValuesAndRanges() {
        assertThat(Knob.of("a", List.of(8, 1, 4.0), false).values()).containsExactly(1L, 4L, 8L);
        assertThat(Knob.of("a", List.of(0.5, 1), false).values()).containsExactly(0.5, 1.0);
        assertThat(Knob.of("a", List.of("fp8", "auto"), false).values()).containsExactly("fp8", "auto");
        assertThat(Knob.range("a", 16, 64, 16, false).values()).containsExactly(16L, 32L, 48L, 64L);
        assertThat(Knob.range("a", 0.1, 0.4, 0.1, false).values()).containsExactly(0.1, 0.2, 0.3, 0.4);
        assertThat(Knob.range("a", 1, 10, 4, false).values()).containsExactly(1L, 5L, 9L);
        assertThatThrownBy(() -> Knob.range("a", 5, 1, 1, false)).isInstanceOfSatisfying(SpaceError.class,
                e -> assertThat(e.field()).isEqualTo("knobs.\"a\""));
        assertThatThrownBy(() -> Knob.of("a", List.of(), false)).hasMessageContaining("no values");
        assertThatThrownBy(() -> Knob.of("a", List.of(0, 1), true)).hasMessageContaining("log");
        assertThatThrownBy(() -> Knob.of("a", List.of(1, "x"), false)).isInstanceOf(SpaceError.class);
    }

    @Test
    void expressionsResolveSuffixesAndEvaluate() {
        List<String> paths = List.of(TP, PP, SEQS, KV);
        Map<String, Object> c = Map.of(TP, 4L, PP, 2L, SEQS, 32L, KV, "fp8");
        assertThat(Expression.parse("tp * pp", "gpus", paths).number(c)).isEqualTo(8.0);
        assertThat(Expression.parse("(serve.tensor_parallel_size + 4) / 2 - -1", "gpus", paths).number(c)).isEqualTo(5.0);
        assertThat(Expression.parse("tp * pp <= 8 and not kv_cache_dtype == 'auto'", "c", paths).test(c)).isTrue();
        assertThat(Expression.parse("tp > 4 or max_num_seqs != 32", "c", paths).test(c)).isFalse();
        assertThat(Expression.parse("kv_cache_dtype == \"fp8\" && tp >= 4", "c", paths).test(c)).isTrue();
        assertThatThrownBy(() -> Expression.parse("tpx * 2", "gpus", paths)).isInstanceOfSatisfying(SpaceError.class,
                e -> {
                    assertThat(e.field()).isEqualTo("gpus");
                    assertThat(e.getMessage()).contains("'tpx * 2'").contains("unknown knob 'tpx'");
                });
        assertThatThrownBy(() -> Expression.parse("tp * (pp", "gpus", paths)).hasMessageContaining("missing ')'");
        assertThatThrownBy(() -> Expression.parse("serve.x", "c", List.of("a.serve.x", "b.serve.x")))
                .hasMessageContaining("ambiguous");
    }

    @Test
    void configsAreTheConstrainedProductInDeclaredOrder() {
        List<Map<String, Object>> all = Spaces.configs(space());
        // 4 tp x 2 pp x 4 seqs x 2 kv = 64, minus tp=8,pp=2 (8 configs)
        assertThat(all).hasSize(56);
        assertThat(all.get(0)).containsExactly(Map.entry(TP, 1L), Map.entry(PP, 1L), Map.entry(SEQS, 16L), Map.entry(KV, "auto"));
        assertThat(all.get(1)).containsEntry(KV, "fp8");
        assertThat(all).noneMatch(c -> (Long) c.get(TP) == 8 && (Long) c.get(PP) == 2);
    }

    @Test
    void candidatesAreFilteredAndDeduplicated() {
        SearchSpace s = space();
        SearchSpace withCandidates = new SearchSpace("s", s.knobs(), s.constraints(), s.gpus(), s.objective(), s.budgets(),
                List.of(), null, List.of(
                        Map.of(TP, 8, PP, 2, SEQS, 16, KV, "auto"),
                        Map.of(TP, 2, PP, 1, SEQS, 16, KV, "auto"),
                        Map.of(TP, 2.0, PP, 1, SEQS, 16, KV, "auto")), null);
        assertThat(Spaces.configs(withCandidates)).containsExactly(Map.of(TP, 2L, PP, 1L, SEQS, 16L, KV, "auto"));
        assertThat(Spaces.contains(withCandidates, Map.of(TP, 4, PP, 1, SEQS, 16, KV, "auto"))).isFalse();
    }

    @Test
    void normalizeMapsToTheDomainsRepresentation() {
        SearchSpace s = space();
        assertThat(Spaces.normalize(s, Map.of(TP, 4.0, PP, "1", SEQS, 32, KV, "fp8", "other.key", 3)))
                .contains(Map.of(TP, 4L, PP, 1L, SEQS, 32L, KV, "fp8"));
        assertThat(Spaces.normalize(s, Map.of(TP, 3, PP, 1, SEQS, 32, KV, "fp8"))).isEmpty();
        assertThat(Spaces.normalize(s, Map.of(TP, 8, PP, 2, SEQS, 32, KV, "fp8"))).isEmpty();
        assertThat(Spaces.normalize(s, Map.of(TP, 8, PP, 1, SEQS, 32))).isEmpty();
        SearchSpace categorical = new SearchSpace("s", List.of(Knob.of("k", List.of("4", "8"), false)), null, null,
                Objective.parse("maximize throughput_tokens_per_sec"), null, null, null, null, null);
        assertThat(Spaces.normalize(categorical, Map.of("k", 4))).contains(Map.of("k", "4"));
    }

    @Test
    void gpusAndPerGpuMetrics() {
        SearchSpace s = space();
        Map<String, Object> c = Map.of(TP, 4L, PP, 2L, SEQS, 32L, KV, "fp8");
        assertThat(Spaces.gpus(s, c).getAsDouble()).isEqualTo(8.0);
        Map<String, Double> m = Spaces.withDerived(s, c, Map.of("throughput_tokens_per_sec", 8000.0, "request_throughput", 4.0));
        assertThat(m).containsEntry("throughput_tokens_per_sec_per_gpu", 1000.0).containsEntry("request_throughput_per_gpu", 0.5);
    }

    @Test
    void validateNamesTheKey() {
        Spaces.validate(space());
        assertThatThrownBy(() -> Spaces.validate(space(List.of("tp * pp > 16"), List.of(), "maximize throughput_tokens_per_sec")))
                .isInstanceOfSatisfying(SpaceError.class, e -> assertThat(e.field()).isEqualTo("constraints"));
        assertThatThrownBy(() -> Spaces.validate(space(List.of(), List.of(), "maximize tokens")))
                .isInstanceOfSatisfying(SpaceError.class, e -> assertThat(e.field()).isEqualTo("objective"));
        assertThatThrownBy(() -> Spaces.validate(space(List.of(), List.of("latency_p95_ms=200"), "maximize throughput_tokens_per_sec")))
                .isInstanceOfSatisfying(SpaceError.class, e -> assertThat(e.field()).isEqualTo("budgets[0]"));
        assertThatThrownBy(() -> Spaces.validate(space(List.of("tp + kv_cache_dtype > 1"), List.of(), "maximize throughput_tokens_per_sec")))
                .isInstanceOfSatisfying(SpaceError.class, e -> assertThat(e.field()).isEqualTo("constraints"));
        SearchSpace noGpus = new SearchSpace("s", space().knobs(), null, null,
                Objective.parse("maximize throughput_tokens_per_sec_per_gpu"), null, null, null, null, null);
        assertThatThrownBy(() -> Spaces.validate(noGpus)).hasMessageContaining("needs gpus");
        SearchSpace badCandidate = new SearchSpace("s", space().knobs(), null, null,
                Objective.parse("maximize throughput_tokens_per_sec"), null, null, null,
                List.of(Map.of(TP, 3, PP, 1, SEQS, 16, KV, "auto")), null);
        assertThatThrownBy(() -> Spaces.validate(badCandidate)).isInstanceOfSatisfying(SpaceError.class,
                e -> assertThat(e.field()).isEqualTo("candidates[0]"));
        SearchSpace unsorted = new SearchSpace("s", List.of(new Knob("a", Knob.Kind.NUMBER, List.of(4L, 1L), false)), null,
                null, Objective.parse("maximize throughput_tokens_per_sec"), null, null, null, null, null);
        assertThatThrownBy(() -> Spaces.validate(unsorted)).isInstanceOfSatisfying(SpaceError.class,
                e -> assertThat(e.field()).isEqualTo("knobs.\"a\""));
        assertThatThrownBy(() -> Spaces.validate(space(List.of("tp * pp"), List.of(), "maximize throughput_tokens_per_sec")))
                .isInstanceOfSatisfying(SpaceError.class, e -> assertThat(e.getMessage()).contains("not a condition"));
        SearchSpace badGpus = new SearchSpace("s", space().knobs(), null, "tp - 4", Objective.parse("maximize throughput_tokens_per_sec"),
                null, null, null, null, null);
        assertThatThrownBy(() -> Spaces.validate(badGpus)).isInstanceOfSatisfying(SpaceError.class,
                e -> assertThat(e.field()).isEqualTo("gpus"));
        SearchSpace huge = new SearchSpace("s", List.of(Knob.range("a", 1, 1000, 1, false), Knob.range("b", 1, 1000, 1, false)),
                null, null, Objective.parse("maximize throughput_tokens_per_sec"), null, null, null, null, null);
        assertThatThrownBy(() -> Spaces.configs(huge)).isInstanceOfSatisfying(SpaceError.class,
                e -> assertThat(e.field()).isEqualTo("knobs"));
    }

    @Test
    void evaluateScoresWithTheSoftPenaltyAndJudgesBudgets() {
        SearchSpace base = space();
        SearchSpace s = new SearchSpace("s", base.knobs(), base.constraints(), base.gpus(), base.objective(),
                List.of("latency_p95_ms<=200"), List.of(new SoftSlo("ttft_ms", Budget.Bound.AT_MOST, 50, 1)), null, null, null);
        Map<String, Object> c = Map.of(TP, 2L, PP, 1L, SEQS, 32L, KV, "fp8");
        // 2,000 tok/s over 2 GPUs = 1,000; ttft 75 vs 50: ratio 0.5, penalty e^0.5 - 1 = 0.6487
        Evaluation e = Spaces.evaluate(s, new Observation(c, Map.of("throughput_tokens_per_sec", 2000.0,
                "latency_p95_ms", 150.0, "ttft_ms", 75.0), Observation.Outcome.COMPLETED, "e1"));
        assertThat(e.objective()).isEqualTo(1000.0);
        assertThat(e.score()).isCloseTo(1000 / (1 + Math.expm1(0.5)), within(1e-9));
        assertThat(e.feasible()).isTrue();
        // at the threshold the penalty is zero
        Evaluation atThreshold = Spaces.evaluate(s, new Observation(c, Map.of("throughput_tokens_per_sec", 2000.0,
                "latency_p95_ms", 150.0, "ttft_ms", 50.0), Observation.Outcome.COMPLETED, "e2"));
        assertThat(atThreshold.score()).isEqualTo(1000.0);
        Evaluation broken = Spaces.evaluate(s, new Observation(c, Map.of("throughput_tokens_per_sec", 2000.0,
                "latency_p95_ms", 260.0), Observation.Outcome.COMPLETED, "e3"));
        assertThat(broken.feasible()).isFalse();
        assertThat(broken.breaches()).singleElement().satisfies(b -> assertThat(b.excess()).isEqualTo(60.0));
        Evaluation missing = Spaces.evaluate(s, new Observation(c, Map.of("throughput_tokens_per_sec", 2000.0),
                Observation.Outcome.COMPLETED, "e4"));
        assertThat(missing.feasible()).isFalse();
        assertThat(missing.breaches()).singleElement().satisfies(b -> assertThat(b.value()).isNull());
        assertThat(Spaces.evaluate(s, new Observation(c, Map.of(), Observation.Outcome.FAILED, "e5")).feasible()).isFalse();
    }

    @Test
    void paretoFrontKeepsNonDominatedFeasiblePoints() {
        SearchSpace base = space();
        SearchSpace s = new SearchSpace("s", base.knobs(), base.constraints(), base.gpus(),
                Objective.parse("maximize throughput_tokens_per_sec"), List.of("latency_p95_ms<=300"), List.of(),
                Objective.parse("minimize latency_p95_ms"), null, null);
        Map<String, Object> c = Map.of(TP, 1L, PP, 1L, SEQS, 16L, KV, "auto");
        Observation a = obs(c, 100, 50, "a");
        Observation b = obs(c, 200, 100, "b");
        Observation dominated = obs(c, 150, 120, "d");
        Observation tooSlow = obs(c, 400, 350, "slow");
        assertThat(Spaces.paretoFront(s, List.of(a, b, dominated, tooSlow))).containsExactly(b, a);
    }

    private static Observation obs(Map<String, Object> c, double tput, double p95, String id) {
        return new Observation(c, Map.of("throughput_tokens_per_sec", tput, "latency_p95_ms", p95),
                Observation.Outcome.COMPLETED, id);
    }
}
