package dev.autotune.domain.analysis;

import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.ExperimentDiff.ConfigChange;
import dev.autotune.domain.analysis.ExperimentDiff.MetricChange;
import dev.autotune.domain.analysis.ExperimentDiff.Side;
import dev.autotune.domain.query.ExperimentDetail;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ExperimentDiffTest {
    private static ExperimentDetail detail(int n, Map<String, Object> config, Object... metrics) {
        return new ExperimentDetail(n, "exp-" + n, "llama3-8b-chat", "vllm", ExperimentStatus.COMPLETED, "ingest",
                null, "scenario.toml", "sha", null, new TreeMap<>(config), new TreeMap<>(), History.metrics(metrics),
                Instant.parse("2024-06-01T10:00:00Z"), Instant.parse("2024-06-01T10:30:00Z"), null, null, null, null,
                List.of(), List.of());
    }

    @Test
    void lists_only_the_config_keys_that_differ_sorted_by_key() {
        ExperimentDetail a = detail(1, Map.of("serving.batch_size", 4, "serving.model", "llama3-8b",
                "serving.tp", 1, "serving.quantization", "fp8"));
        ExperimentDetail b = detail(2, Map.of("serving.batch_size", 8, "serving.model", "llama3-8b",
                "serving.tp", 1, "serving.enable_prefix_caching", true));

        ExperimentDiff diff = ExperimentDiff.of(a, b);

        assertThat(diff.a()).isEqualTo(1);
        assertThat(diff.b()).isEqualTo(2);
        assertThat(diff.config()).containsExactly(
                new ConfigChange("serving.batch_size", ConfigChange.Kind.CHANGED, 4, 8),
                new ConfigChange("serving.enable_prefix_caching", ConfigChange.Kind.ADDED, null, true),
                new ConfigChange("serving.quantization", ConfigChange.Kind.REMOVED, "fp8", null));
    }

    @Test
    void numbers_compare_by_value_whatever_their_type() {
        ExperimentDetail a = detail(1, Map.of("x", 4, "y", 0.9, "z", List.of(1, 2)));
        ExperimentDetail b = detail(2, Map.of("x", 4.0, "y", 0.90, "z", List.of(1L, 2.0)));

        assertThat(ExperimentDiff.of(a, b).config()).isEmpty();
        assertThat(ExperimentDiff.of(a, detail(3, Map.of("x", 4L, "y", 0.9, "z", List.of(1, 3)))).config())
                .extracting(ConfigChange::key).containsExactly("z");
    }

    @Test
    void a_string_that_looks_like_a_number_is_not_the_number() {
        ExperimentDetail a = detail(1, Map.of("x", 4));
        ExperimentDetail b = detail(2, Map.of("x", "4"));

        assertThat(ExperimentDiff.of(a, b).config()).containsExactly(
                new ConfigChange("x", ConfigChange.Kind.CHANGED, 4, "4"));
    }

    @Test
    void metrics_report_absolute_and_relative_change_and_the_better_side() {
        ExperimentDetail a = detail(1, Map.of(), "latency_ms", 160, "throughput_tokens_per_sec", 330);
        ExperimentDetail b = detail(2, Map.of(), "latency_ms", 260, "throughput_tokens_per_sec", 430);

        List<MetricChange> metrics = ExperimentDiff.of(a, b).metrics();

        assertThat(metrics).extracting(MetricChange::metric)
                .containsExactly(Metric.LATENCY_MS, Metric.THROUGHPUT_TOKENS_PER_SEC);
        MetricChange latency = metrics.get(0);
        assertThat(latency.a()).isEqualTo(160.0);
        assertThat(latency.b()).isEqualTo(260.0);
        assertThat(latency.absolute()).isEqualTo(100.0);
        assertThat(latency.relativePercent()).isEqualTo(62.5);
        assertThat(latency.better()).isEqualTo(Side.A); // lower latency is better
        MetricChange tput = metrics.get(1);
        assertThat(tput.absolute()).isEqualTo(100.0);
        assertThat(tput.relativePercent()).isCloseTo(30.303, within(1e-3));
        assertThat(tput.better()).isEqualTo(Side.B); // higher throughput is better
    }

    @Test
    void metrics_follow_declaration_order_not_key_order() {
        ExperimentDetail a = detail(1, Map.of(), "latency_p95_ms", 200, "accuracy", 0.8, "latency_ms", 150);
        ExperimentDetail b = detail(2, Map.of(), "ttft_ms", 40);

        assertThat(ExperimentDiff.of(a, b).metrics()).extracting(MetricChange::metric).containsExactly(
                Metric.LATENCY_MS, Metric.TTFT_MS, Metric.ACCURACY, Metric.LATENCY_P95_MS);
    }

    @Test
    void a_metric_only_one_side_measured_has_no_change_and_no_winner() {
        ExperimentDetail a = detail(1, Map.of(), "latency_ms", 150);
        ExperimentDetail b = detail(2, Map.of(), "ttft_ms", 40);

        List<MetricChange> metrics = ExperimentDiff.of(a, b).metrics();

        assertThat(metrics.get(0)).isEqualTo(new MetricChange(Metric.LATENCY_MS, 150.0, null, null, null, null));
        assertThat(metrics.get(1)).isEqualTo(new MetricChange(Metric.TTFT_MS, null, 40.0, null, null, null));
    }

    @Test
    void a_relative_change_from_zero_is_left_out_but_the_winner_is_known() {
        ExperimentDetail a = detail(1, Map.of(), "failure_rate", 0);
        ExperimentDetail b = detail(2, Map.of(), "failure_rate", 0.02);

        MetricChange m = ExperimentDiff.of(a, b).metrics().get(0);

        assertThat(m.absolute()).isEqualTo(0.02);
        assertThat(m.relativePercent()).isNull();
        assertThat(m.better()).isEqualTo(Side.A);
    }

    @Test
    void equal_values_are_the_same_and_relative_change_uses_the_magnitude_of_a() {
        ExperimentDetail a = detail(1, Map.of(), "latency_ms", 100, "accuracy", 0.5);
        ExperimentDetail b = detail(2, Map.of(), "latency_ms", 100, "accuracy", 0.25);

        List<MetricChange> metrics = ExperimentDiff.of(a, b).metrics();

        assertThat(metrics.get(0).better()).isEqualTo(Side.SAME);
        assertThat(metrics.get(0).relativePercent()).isZero();
        assertThat(metrics.get(1).relativePercent()).isEqualTo(-50.0);
        assertThat(metrics.get(1).better()).isEqualTo(Side.A);
    }

    @Test
    void keys_that_are_not_normalized_metrics_are_left_out() {
        ExperimentDetail a = detail(1, Map.of(), "latency_ms", 100, "gpu_temp_c", 70);
        ExperimentDetail b = detail(2, Map.of(), "latency_ms", 90, "gpu_temp_c", 75);

        assertThat(ExperimentDiff.of(a, b).metrics()).extracting(MetricChange::metric).containsExactly(Metric.LATENCY_MS);
    }

    @Test
    void identical_experiments_differ_in_nothing_but_still_list_their_metrics() {
        ExperimentDetail a = detail(1, Map.of("serving.batch_size", 4), "latency_ms", 100);

        ExperimentDiff diff = ExperimentDiff.of(a, a);

        assertThat(diff.config()).isEmpty();
        assertThat(diff.metrics()).singleElement().extracting(MetricChange::better).isEqualTo(Side.SAME);
    }
}
