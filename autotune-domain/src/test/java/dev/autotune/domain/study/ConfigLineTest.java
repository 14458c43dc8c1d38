package dev.autotune.domain.study;

import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.Objective;
import dev.autotune.domain.search.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigLineTest {
    @Test
    void eachKnobGoesByItsLastNameUnlessAnotherKnobSharesIt() {
        SearchSpace space = new SearchSpace("chat", List.of(Knob.of("cmd_args.serve.batch_size", List.of(1, 2), false),
                Knob.of("cmd_args.bench.batch_size", List.of(8, 16), false),
                Knob.of("cmd_args.serve.kv_cache_dtype", List.of("auto", "fp8"), false)), List.of(), null,
                Objective.parse("maximize throughput_tokens_per_sec"), List.of(), List.of(), null, null, null);
        assertThat(ConfigLine.of(space, Map.of("cmd_args.serve.batch_size", 2L, "cmd_args.bench.batch_size", 16L,
                "cmd_args.serve.kv_cache_dtype", "fp8")))
                .isEqualTo("cmd_args.serve.batch_size=2 cmd_args.bench.batch_size=16 kv_cache_dtype=fp8");
    }
}
