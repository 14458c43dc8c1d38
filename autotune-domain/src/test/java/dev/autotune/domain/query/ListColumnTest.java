package dev.autotune.domain.query;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.autotune.domain.query.WhereTest.A100_TP4;
import static dev.autotune.domain.query.WhereTest.H100_TP1;
import static dev.autotune.domain.query.WhereTest.H100_TP2;
import static dev.autotune.domain.query.WhereTest.KNOBS;
import static dev.autotune.domain.query.WhereTest.UNTAGGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListColumnTest {
    @Test
    void knobColumnsAreHeadedByTheShortestSuffixNoOtherKnobEndsWith() {
        assertThat(ListColumn.shortLabels(List.of("cmd_args.serve.tensor_parallel_size", "cmd_args.decode.tp",
                "cmd_args.prefill.tp", "serving.batch_size")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("cmd_args.serve.tensor_parallel_size", "tensor_parallel_size",
                        "cmd_args.decode.tp", "decode.tp", "cmd_args.prefill.tp", "prefill.tp",
                        "serving.batch_size", "batch_size"));
    }

    @Test
    void namesResolveToFieldsMetricsTagsAndKnobs() {
        assertThat(ListColumn.resolve("when", KNOBS).key()).isEqualTo("happened");
        assertThat(ListColumn.resolve("started_at", KNOBS).key()).isEqualTo("recorded");
        assertThat(ListColumn.resolve("measured_at", KNOBS).key()).isEqualTo("measured");
        assertThat(ListColumn.resolve("tok/s", KNOBS).key()).isEqualTo("throughput_tokens_per_sec");
        assertThat(ListColumn.resolve("TPOT_MS", KNOBS).kind()).isEqualTo(ListColumn.Kind.METRIC);
        assertThat(ListColumn.resolve("tag.gpu", KNOBS).kind()).isEqualTo(ListColumn.Kind.TAG);
        assertThat(ListColumn.resolve("tensor_parallel_size", KNOBS).key()).isEqualTo("serve.tensor_parallel_size");
        assertThat(ListColumn.resolve("knob.tp", KNOBS).key()).isEqualTo("serve.tensor_parallel_size");
        assertThatThrownBy(() -> ListColumn.resolve("x", KNOBS)).hasMessage("'x' is ambiguous (a.x, b.x)");
        assertThatThrownBy(() -> ListColumn.resolve("nope", KNOBS)).hasMessageStartingWith("no column 'nope'");
    }

    @Test
    void sortingPutsRowsWithoutTheValueLastEitherWay() {
        var rows = List.of(UNTAGGED, A100_TP4, H100_TP1, H100_TP2);
        var ttft = ListColumn.resolve("ttft_ms", KNOBS);
        assertThat(rows.stream().sorted(ttft.order(false)).map(ExperimentSummary::number)).containsExactly(2, 1, 3, 4);
        assertThat(rows.stream().sorted(ttft.order(true)).map(ExperimentSummary::number)).containsExactly(3, 1, 2, 4);
        var tp = ListColumn.resolve("tp", KNOBS);
        assertThat(rows.stream().sorted(tp.order(true)).map(ExperimentSummary::number)).containsExactly(4, 3, 1, 2);
    }
}
