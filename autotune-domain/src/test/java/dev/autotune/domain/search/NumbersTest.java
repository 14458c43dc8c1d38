package dev.autotune.domain.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NumbersTest {

    @Test
    void aChanceIsWholePercentsInBetweenAndOneDecimalNearTheEnds() {
        assertThat(Numbers.percent(0.25)).isEqualTo("25%");
        assertThat(Numbers.percent(0.0096)).isEqualTo("1%");
        assertThat(Numbers.percent(0.9904)).isEqualTo("99%");
        // the demo's batch size 6: kept alive by the stop's 0.1% rule, so not "0%"
        assertThat(Numbers.percent(0.0012935)).isEqualTo("0.1%");
        assertThat(Numbers.percent(0.0094)).isEqualTo("0.9%");
        assertThat(Numbers.percent(0.9973)).isEqualTo("99.7%");
        assertThat(Numbers.percent(0.0001)).isEqualTo("<0.1%");
        assertThat(Numbers.percent(0.99999)).isEqualTo(">99.9%");
        assertThat(Numbers.percent(0)).isEqualTo("0%");
        assertThat(Numbers.percent(1)).isEqualTo("100%");
    }
}
