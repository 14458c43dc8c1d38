package dev.autotune.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricTest {
    @Test
    void lowerLatencyAndHigherThroughputAreBetter() {
        assertThat(Metric.LATENCY_MS.better(90, 160)).isTrue();
        assertThat(Metric.THROUGHPUT_TOKENS_PER_SEC.better(430, 330)).isTrue();
        assertThat(Metric.FAILURE_RATE.better(0.1, 0.0)).isFalse();
    }

    @Test
    void meanMetricsHavePercentileVariants() {
        assertThat(Metric.percentile(Metric.LATENCY_MS, 95)).contains(Metric.LATENCY_P95_MS);
        assertThat(Metric.percentile(Metric.TTFT_MS, 99)).contains(Metric.TTFT_P99_MS);
        assertThat(Metric.percentile(Metric.THROUGHPUT_TOKENS_PER_SEC, 95)).isEmpty();
    }

    @Test
    void namesAreTheNormalizedKeys() {
        assertThat(Metric.parse("TTFT_MS")).isEqualTo(Metric.TTFT_MS);
        assertThat(Metric.keys()).startsWith("latency_ms", "ttft_ms", "throughput_tokens_per_sec", "failure_rate");
        assertThatThrownBy(() -> Metric.parse("tokens")).hasMessageContaining("known: latency_ms");
    }

    @Test
    void knobPathsAreDottedNames() {
        assertThat(new KnobPath("serving.batch_size").segments()).containsExactly("serving", "batch_size");
        assertThatThrownBy(() -> new KnobPath("serving..batch")).hasMessageContaining("dotted path");
        assertThatThrownBy(() -> new KnobPath("a b")).hasMessageContaining("dotted path");
    }
}
