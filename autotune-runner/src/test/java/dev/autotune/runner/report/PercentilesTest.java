package dev.autotune.runner.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.autotune.domain.Metric.TTFT_MS;
import static dev.autotune.domain.Metric.TTFT_P50_MS;
import static dev.autotune.domain.Metric.TTFT_P90_MS;
import static dev.autotune.domain.Metric.TTFT_P95_MS;
import static dev.autotune.domain.Metric.TTFT_P99_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Linear interpolation between closest ranks, checked against numpy.percentile (default method). */
class PercentilesTest {

    @Test
    void matchesNumpyLinear() {
        // np.percentile([15, 20, 35, 40, 50], [50, 90, 95, 99]) = [35.0, 46.0, 48.0, 49.6]; mean 32.0
        Readings out = new Readings();
        Percentiles.summarize(List.of(40.0, 15.0, 50.0, 35.0, 20.0), TTFT_MS, out);

        assertThat(out.get(TTFT_MS)).isCloseTo(32.0, within(1e-12));
        assertThat(out.get(TTFT_P50_MS)).isCloseTo(35.0, within(1e-12));
        assertThat(out.get(TTFT_P90_MS)).isCloseTo(46.0, within(1e-12));
        assertThat(out.get(TTFT_P95_MS)).isCloseTo(48.0, within(1e-12));
        assertThat(out.get(TTFT_P99_MS)).isCloseTo(49.6, within(1e-12));
    }

    @Test
    void singleValueAndNoValues() {
        Readings one = new Readings();
        Percentiles.summarize(List.of(7.0), TTFT_MS, one);
        Readings none = new Readings();
        Percentiles.summarize(List.of(), TTFT_MS, none);

        assertThat(one.metrics()).containsEntry(TTFT_MS, 7.0).containsEntry(TTFT_P99_MS, 7.0);
        assertThat(none.isEmpty()).isTrue(); // no values: absent, never 0
    }

    @Test
    void endpoints() {
        double[] sorted = {1, 2, 3, 4};
        assertThat(Percentiles.percentile(sorted, 0)).isEqualTo(1.0);
        assertThat(Percentiles.percentile(sorted, 100)).isEqualTo(4.0);
        assertThat(Percentiles.percentile(sorted, 50)).isEqualTo(2.5);
    }
}
