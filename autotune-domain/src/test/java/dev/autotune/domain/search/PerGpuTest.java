package dev.autotune.domain.search;

import dev.autotune.domain.Metric;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PerGpuTest {
    private static final List<String> KNOBS = List.of("cmd_args.serve.tensor_parallel_size",
            "cmd_args.serve.pipeline_parallel_size", "cmd_args.serve.kv_cache_dtype");

    @Test
    void throughputs_are_divided_by_the_gpu_count_the_knobs_give() {
        PerGpu rule = PerGpu.parse("tp * pipeline_parallel_size", "gpus", KNOBS);
        PerGpu.Derived d = rule.apply(Map.of("cmd_args.serve.tensor_parallel_size", 4L,
                        "cmd_args.serve.pipeline_parallel_size", "2", "cmd_args.serve.kv_cache_dtype", "fp8"),
                Map.of("throughput_tokens_per_sec", 1600.0, "request_throughput", 8.0, "latency_ms", 120.0));

        assertThat(d.gpus()).isEqualTo(8.0);
        assertThat(d.note()).isNull();
        assertThat(d.metrics()).containsEntry("throughput_tokens_per_sec_per_gpu", 200.0)
                .containsEntry("request_throughput_per_gpu", 1.0)
                .containsEntry("latency_ms", 120.0)
                // latency is per request already: it has no per-GPU form
                .doesNotContainKey("latency_ms_per_gpu").hasSize(5);
    }

    @Test
    void only_the_throughputs_have_a_per_gpu_form() {
        assertThat(PerGpu.METRICS).containsOnly(
                Map.entry("throughput_tokens_per_sec_per_gpu", Metric.THROUGHPUT_TOKENS_PER_SEC),
                Map.entry("request_throughput_per_gpu", Metric.REQUEST_THROUGHPUT));
        assertThat(Metric.reported()).doesNotContain(Metric.THROUGHPUT_TOKENS_PER_SEC_PER_GPU,
                Metric.REQUEST_THROUGHPUT_PER_GPU).contains(Metric.THROUGHPUT_TOKENS_PER_SEC);
        assertThat(PerGpu.isPerGpu("throughput_tokens_per_sec_per_gpu")).isTrue();
        assertThat(PerGpu.isPerGpu("throughput_tokens_per_sec")).isFalse();
    }

    @Test
    void an_experiment_without_the_knob_has_no_per_gpu_value_and_a_note_saying_why() {
        PerGpu rule = PerGpu.parse("tp", "gpus", KNOBS);
        PerGpu.Derived d = rule.apply(Map.of("cmd_args.serve.kv_cache_dtype", "auto"),
                Map.of("throughput_tokens_per_sec", 1600.0));

        assertThat(d.gpus()).isNull();
        assertThat(d.metrics()).containsOnlyKeys("throughput_tokens_per_sec");
        assertThat(d.note()).isEqualTo("no value for knob cmd_args.serve.tensor_parallel_size");
    }

    @Test
    void a_count_that_is_not_a_positive_number_gives_no_per_gpu_value() {
        PerGpu zero = PerGpu.parse("tp - 4", "gpus", KNOBS);
        assertThat(zero.apply(Map.of("cmd_args.serve.tensor_parallel_size", 4), Map.of("throughput_tokens_per_sec", 1.0))
                .note()).isEqualTo("'tp - 4' gives 0.0, not a positive GPU count");
        PerGpu text = PerGpu.parse("tp * kv_cache_dtype", "gpus", KNOBS);
        PerGpu.Derived d = text.apply(Map.of("cmd_args.serve.tensor_parallel_size", 4,
                "cmd_args.serve.kv_cache_dtype", "fp8"), Map.of("throughput_tokens_per_sec", 1.0));
        assertThat(d.metrics()).doesNotContainKey("throughput_tokens_per_sec_per_gpu");
        assertThat(d.note()).contains("fp8").contains("not a number");
    }

    @Test
    void a_bad_expression_is_an_error_naming_the_field() {
        assertThatThrownBy(() -> PerGpu.parse("tp *", "gpus", KNOBS)).isInstanceOf(SpaceError.class)
                .hasMessageStartingWith("gpus: 'tp *'");
        assertThatThrownBy(() -> PerGpu.parse("tensor_parallel", "gpus", KNOBS))
                .isInstanceOf(SpaceError.class).hasMessageStartingWith("gpus: 'tensor_parallel'");
    }

    @Test
    void spaces_derive_by_the_same_rule() {
        SearchSpace space = new SearchSpace("s", List.of(Knob.of("cmd_args.serve.tensor_parallel_size", List.of(1L, 2L, 4L), false)),
                List.of(), "tp", Objective.parse("maximize throughput_tokens_per_sec_per_gpu"), List.of(), List.of(),
                null, null, null);
        Map<String, Double> metrics = Map.of("throughput_tokens_per_sec", 900.0);
        Map<String, ?> config = Map.of("cmd_args.serve.tensor_parallel_size", 4L);

        assertThat(Spaces.withDerived(space, config, metrics)).isEqualTo(PerGpu.parse("tp", "gpus",
                List.of("cmd_args.serve.tensor_parallel_size")).apply(config, metrics).metrics());
        assertThat(Spaces.withDerived(space, config, metrics).get("throughput_tokens_per_sec_per_gpu"))
                .isCloseTo(225.0, within(1e-9));
    }

    @Test
    void a_space_budget_on_a_per_gpu_metric_needs_the_space_gpus() {
        SearchSpace space = new SearchSpace("s", List.of(Knob.of("cmd_args.serve.tensor_parallel_size", List.of(1L, 2L), false)),
                List.of(), null, Objective.parse("maximize throughput_tokens_per_sec"),
                List.of("throughput_tokens_per_sec_per_gpu>=500"), List.of(), null, null, null);
        assertThatThrownBy(() -> Spaces.validate(space)).isInstanceOf(SpaceError.class)
                .hasMessageStartingWith("budgets[0]: throughput_tokens_per_sec_per_gpu needs gpus");
    }
}
