package dev.autotune.domain.query;

import dev.autotune.domain.ExperimentStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WhereTest {
    static final List<String> KNOBS = List.of("serve.tensor_parallel_size", "serve.max_num_seqs", "kv_cache_dtype",
            "a.x", "b.x");

    static ExperimentSummary row(int n, long tp, Double ttft, Map<String, String> tags, String started) {
        TreeMap<String, Object> knobs = new TreeMap<>(Map.of("serve.tensor_parallel_size", tp, "kv_cache_dtype", "fp8"));
        TreeMap<String, Double> metrics = new TreeMap<>();
        if (ttft != null) {
            metrics.put("ttft_ms", ttft);
        }
        return new ExperimentSummary(n, "exp-" + n, "chat", "vllm", ExperimentStatus.COMPLETED, "ingest", null, knobs,
                metrics, null, Instant.parse(started), null, null, new TreeMap<>(tags), null, null, null);
    }

    static final ExperimentSummary H100_TP2 = row(1, 2, 40.0, Map.of("gpu", "H100"), "2026-11-02T10:00:00Z");
    static final ExperimentSummary H100_TP1 = row(2, 1, 30.0, Map.of("gpu", "H100"), "2026-10-30T10:00:00Z");
    static final ExperimentSummary A100_TP4 = row(3, 4, 80.0, Map.of("gpu", "A100"), "2026-11-05T10:00:00Z");
    static final ExperimentSummary UNTAGGED = row(4, 8, null, Map.of(), "2026-11-06T10:00:00Z");

    static List<Integer> matching(String where) {
        Where w = Where.parse(where, KNOBS);
        return List.of(H100_TP2, H100_TP1, A100_TP4, UNTAGGED).stream().filter(w::test).map(ExperimentSummary::number)
                .toList();
    }

    @Test
    void theIssuesExampleCombinesKnobsMetricsAndTags() {
        assertThat(matching("knob.tensor_parallel_size >= 2 and metric.ttft_ms < 50 and tag.gpu = 'H100'"))
                .containsExactly(1);
    }

    @Test
    void orNotAndParenthesesGroupAsWritten() {
        assertThat(matching("tag.gpu == \"A100\" or (knob.tp = 1 and not metric.ttft_ms > 35)")).containsExactly(2, 3);
        assertThat(matching("not (tag.gpu = 'H100')")).containsExactly(3, 4);
    }

    @Test
    void aRowWithoutTheValueDoesNotMatchAComparisonOnIt() {
        assertThat(matching("metric.ttft_ms >= 0")).containsExactly(1, 2, 3);
        assertThat(matching("tag.gpu != 'H100'")).containsExactly(3);
    }

    /** One experiment whose knob is "auto" is left out of a numeric comparison; the filter still works for the rest. */
    @Test
    void aKnobThatIsNotANumberIsLeftOutOfANumericComparisonWhicheverSideItIsOn() {
        ExperimentSummary auto = row(5, 0, 20.0, Map.of("gpu", "H100"), "2026-11-07T10:00:00Z");
        auto.knobs().put("serve.tensor_parallel_size", "auto");
        List<ExperimentSummary> rows = List.of(H100_TP2, H100_TP1, A100_TP4, UNTAGGED, auto);
        for (String where : List.of("knob.tensor_parallel_size >= 2 and id < 9", "id < 9 and knob.tensor_parallel_size >= 2",
                "knob.tensor_parallel_size * 2 >= 4", "-knob.tensor_parallel_size <= -2")) {
            Where w = Where.parse(where, KNOBS);
            assertThat(rows.stream().filter(w::test).map(ExperimentSummary::number).toList()).as(where)
                    .containsExactly(1, 3, 4);
        }
        Where equal = Where.parse("knob.tensor_parallel_size = 'auto'", KNOBS);
        assertThat(rows.stream().filter(equal::test).map(ExperimentSummary::number).toList()).containsExactly(5);
        // a literal that is not a number is the filter's own mistake, still an error
        Where literal = Where.parse("metric.ttft_ms >= -'fast'", KNOBS);
        assertThatThrownBy(() -> literal.test(H100_TP2)).hasMessageContaining("fast is not a number");
    }

    @Test
    void datesColumnsAndStringsCompare() {
        assertThat(matching("recorded >= 2026-11-01")).containsExactly(1, 3, 4);
        assertThat(matching("recorded < 2026-11-05T00:00:00Z and status = 'completed'")).containsExactly(1, 2);
        assertThat(matching("scenario = 'chat' and backend = 'vllm' and id > 2")).containsExactly(3, 4);
        assertThat(matching("knob.kv_cache_dtype = 'fp8' and knob.serve.tensor_parallel_size * 2 >= 8")).containsExactly(3, 4);
    }

    @Test
    void errorsNameThePositionAndWhatWasExpected() {
        assertThatThrownBy(() -> Where.parse("metric.ttft_ms < 50 and tag.gpu = 'H100", KNOBS))
                .isInstanceOfSatisfying(Where.Invalid.class, e -> assertThat(e.position()).isEqualTo(35))
                .hasMessage("position 35: unterminated string");
        assertThatThrownBy(() -> Where.parse("metric.ttft < 50", KNOBS)).hasMessageStartingWith("position 1: unknown metric 'ttft'");
        assertThatThrownBy(() -> Where.parse("knob.x = 1", KNOBS)).hasMessage("position 1: 'x' is ambiguous (a.x, b.x)");
        assertThatThrownBy(() -> Where.parse("knob.nope = 1", KNOBS)).hasMessageStartingWith("position 1: unknown knob 'nope'");
        assertThatThrownBy(() -> Where.parse("ttft_ms < 50", KNOBS)).hasMessageStartingWith("position 1: unknown name 'ttft_ms'");
        assertThatThrownBy(() -> Where.parse("(metric.ttft_ms < 50", KNOBS)).hasMessage("position 21: missing ')'");
        assertThatThrownBy(() -> Where.parse("metric.ttft_ms < 50 50", KNOBS)).hasMessage("position 21: unexpected '50'");
        assertThatThrownBy(() -> Where.parse("recorded > 2026-13-01", KNOBS)).hasMessageStartingWith("position 12: '2026-13-01' is not a date");
        assertThatThrownBy(() -> Where.parse(" ", KNOBS)).hasMessage("position 1: empty expression");
        assertThatThrownBy(() -> matching("metric.ttft_ms + 1")).isInstanceOf(Where.Invalid.class).hasMessageContaining("is not a condition");
    }
}
