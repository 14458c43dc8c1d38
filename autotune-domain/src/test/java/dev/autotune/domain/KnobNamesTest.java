package dev.autotune.domain;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KnobNamesTest {
    @Test
    void everyWayOfRecordingAKnobGivesOneCanonicalKnob() {
        // --set / a test TOML, the resolved test-run.toml, CloudAI's action name: one knob
        assertThat(KnobNames.canonical("cmd_args.serve.tensor_parallel_size")).isEqualTo("serve.tensor_parallel_size");
        assertThat(KnobNames.canonical("test_definition.cmd_args.serve.tensor_parallel_size"))
                .isEqualTo("serve.tensor_parallel_size");
        assertThat(KnobNames.canonical("serve.tensor_parallel_size")).isEqualTo("serve.tensor_parallel_size");
        // the load: the report fact, bench_cmd_args, the bare flag
        assertThat(KnobNames.canonical("concurrency")).isEqualTo("concurrency");
        assertThat(KnobNames.canonical("bench_cmd_args.max_concurrency")).isEqualTo("concurrency");
        assertThat(KnobNames.canonical("test_definition.bench_cmd_args.max_concurrency")).isEqualTo("concurrency");
        assertThat(KnobNames.canonical("max_concurrency")).isEqualTo("concurrency");
        assertThat(KnobNames.canonical("bench_cmd_args.request_rate")).isEqualTo("request_rate");
        assertThat(KnobNames.canonical("num_nodes")).isEqualTo("NUM_NODES");
        // anything else is its own knob
        assertThat(KnobNames.canonical("bench_cmd_args.random_input_len")).isEqualTo("bench_cmd_args.random_input_len");
        assertThat(KnobNames.canonical("extra_env_vars.UCX_TLS")).isEqualTo("extra_env_vars.UCX_TLS");
        assertThat(KnobNames.canonical("serving.batch_size")).isEqualTo("serving.batch_size");
    }

    @Test
    void aConfigValueOfAKnobWinsOverTheLoadAReportStated() {
        Map<String, Object> recorded = new LinkedHashMap<>();
        recorded.put("bench_cmd_args.max_concurrency", 64);
        recorded.put("concurrency", 32);          // the report fact, recorded beside it before knobs had one name
        recorded.put("cmd_args.serve.tensor_parallel_size", 8);
        assertThat(KnobNames.config(recorded)).containsExactlyInAnyOrderEntriesOf(
                Map.of("concurrency", 64, "serve.tensor_parallel_size", 8));
        Map<String, Object> reversed = new LinkedHashMap<>();
        reversed.put("concurrency", 32);
        reversed.put("bench_cmd_args.max_concurrency", 64);
        assertThat(KnobNames.config(reversed)).containsEntry("concurrency", 64);
        assertThat(KnobNames.sharedKnobs(recorded)).containsOnlyKeys("concurrency");
    }

    @Test
    void theLoadAReportStatesIsTheLoadKnob() {
        assertThat(KnobNames.statedLoad(Map.of("concurrency", 16, "model", "gpt-oss", "isl", 512)))
                .containsExactlyEntriesOf(Map.of("concurrency", 16));
    }

    @Test
    void namesPeopleTypeResolveToTheKnobsThereAre() {
        List<String> knobs = List.of("concurrency", "serve.tensor_parallel_size", "serve.max_num_seqs", "NUM_NODES");
        assertThat(KnobNames.resolve("tp", knobs).knob()).isEqualTo("serve.tensor_parallel_size");
        assertThat(KnobNames.resolve("tensor_parallel_size", knobs).knob()).isEqualTo("serve.tensor_parallel_size");
        assertThat(KnobNames.resolve("cmd_args.serve.tensor_parallel_size", knobs).knob())
                .isEqualTo("serve.tensor_parallel_size");
        assertThat(KnobNames.resolve("max_concurrency", knobs).knob()).isEqualTo("concurrency");
        assertThat(KnobNames.resolve("bench_cmd_args.max_concurrency", knobs).knob()).isEqualTo("concurrency");
        assertThat(KnobNames.resolve("num_nodes", knobs).knob()).isEqualTo("NUM_NODES");
        // a space names the test's paths; the load's short name finds its bench_cmd_args knob
        List<String> space = List.of("cmd_args.serve.tensor_parallel_size", "bench_cmd_args.max_concurrency");
        assertThat(KnobNames.resolve("concurrency", space).knob()).isEqualTo("bench_cmd_args.max_concurrency");
        assertThat(KnobNames.resolve("tp", space).knob()).isEqualTo("cmd_args.serve.tensor_parallel_size");
        assertThat(KnobNames.resolve("pp", knobs).problem()).startsWith("unknown knob 'pp'");
        assertThat(KnobNames.resolve("tp", List.of("prefill.tensor_parallel_size", "decode.tensor_parallel_size"))
                .problem()).contains("ambiguous");
    }

    @Test
    void aBareNameFromAFileNameIsTheKnobWhoseLastSegmentItIs() {
        assertThat(KnobNames.sameKnob("tensor_parallel_size", "cmd_args.serve.tensor_parallel_size")).isTrue();
        assertThat(KnobNames.sameKnob("cmd_args.serve.tensor_parallel_size", "tp")).isTrue();
        assertThat(KnobNames.sameKnob("max_concurrency", "bench_cmd_args.max_concurrency")).isTrue();
        assertThat(KnobNames.sameKnob("serve.tensor_parallel_size", "serve.pipeline_parallel_size")).isFalse();
        assertThat(KnobNames.sameKnob("prefill.tensor_parallel_size", "decode.tensor_parallel_size")).isFalse();
    }
}
