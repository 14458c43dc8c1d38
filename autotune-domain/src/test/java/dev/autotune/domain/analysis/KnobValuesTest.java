package dev.autotune.domain.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KnobValuesTest {
    @Test
    void aKnobVariesWhenAnyTwoConfigsDisagreeOnItsValue() {
        var configs = List.of(
                Map.<String, Object>of("serving.batch_size", 4, "model", "llama", "tp", 1),
                Map.<String, Object>of("serving.batch_size", 8, "model", "llama", "tp", 1L),
                Map.<String, Object>of("serving.batch_size", 4.0, "model", "llama", "tp", 1.0));
        assertThat(KnobValues.varying(configs)).containsExactly("serving.batch_size");
    }

    @Test
    void aKnobWithOneValueWhereverItIsRecordedIsAConstantNotAKnobOfTheSet() {
        // a run records every key of its test definition, an ingest only what was set: docker_image_url and
        // NUM_NODES are constants of this history, not what its experiments differ in
        var configs = List.of(
                Map.<String, Object>of("a", 1, "b", List.of(1, 2), "docker_image_url", "vllm:1.1", "NUM_NODES", 1),
                Map.<String, Object>of("b", List.of(1.0, 2), "c", 2),
                Map.<String, Object>of("c", 3, "NUM_NODES", 1L));
        assertThat(KnobValues.varying(configs)).containsExactly("c");
    }

    @Test
    void valuesThatPrintAlikeButDifferStillVary() {
        var configs = List.of(Map.<String, Object>of("gpu_memory_utilization", 0.90001),
                Map.<String, Object>of("gpu_memory_utilization", 0.90002));
        assertThat(KnobValues.varying(configs)).containsExactly("gpu_memory_utilization");
    }

    @Test
    void oneConfigOrNoneHasNothingThatVaries() {
        assertThat(KnobValues.varying(List.of(Map.of("a", 1)))).isEmpty();
        assertThat(KnobValues.varying(List.of())).isEmpty();
    }

    @Test
    void theGroupingKeyIsEqualExactlyWhenTheValuesAreTheSame() {
        List<Object> values = List.of(4, 4L, 4.0, 4.5, 0.8, 0.80, -0.0, 0, Double.NaN, Double.POSITIVE_INFINITY,
                Float.POSITIVE_INFINITY, "4", true, List.of(1, 2), List.of(1.0, 2L), List.of(2, 1));
        for (Object a : values) {
            for (Object b : values) {
                assertThat(KnobValues.key(a).equals(KnobValues.key(b))).as(a + " vs " + b)
                        .isEqualTo(KnobValues.same(a, b));
            }
        }
    }
}
