package dev.autotune.projections.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NumbersTest {
    @Test
    void integral_values_have_no_decimals() {
        assertThat(Numbers.format(330.0)).isEqualTo("330");
        assertThat(Numbers.format(0.0)).isEqualTo("0");
        assertThat(Numbers.format(-0.0)).isEqualTo("0");
        assertThat(Numbers.format(-60.0)).isEqualTo("-60");
    }

    @Test
    void other_values_keep_up_to_two_decimals_with_trailing_zeros_stripped() {
        assertThat(Numbers.format(212.345)).isEqualTo("212.35");
        assertThat(Numbers.format(16.666666)).isEqualTo("16.67");
        assertThat(Numbers.format(77.5)).isEqualTo("77.5");
        assertThat(Numbers.format(1.10)).isEqualTo("1.1");
        assertThat(Numbers.format(-12.499)).isEqualTo("-12.5");
        assertThat(Numbers.format(99.999)).isEqualTo("100");
    }

    @Test
    void values_below_one_keep_up_to_four_decimals() {
        assertThat(Numbers.format(0.002)).isEqualTo("0.002");
        assertThat(Numbers.format(0.123456)).isEqualTo("0.1235");
        assertThat(Numbers.format(0.85)).isEqualTo("0.85");
        assertThat(Numbers.format(-0.5)).isEqualTo("-0.5");
        assertThat(Numbers.format(0.00001)).isEqualTo("0");
    }

    @Test
    void missing_and_non_finite_values_are_readable() {
        assertThat(Numbers.format((Double) null)).isEqualTo("-");
        assertThat(Numbers.format(Double.NaN)).isEqualTo("NaN");
        assertThat(Numbers.format(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
    }

    @Test
    void knob_values_of_any_type_read_naturally() {
        assertThat(Numbers.format((Object) 4)).isEqualTo("4");
        assertThat(Numbers.format((Object) 6L)).isEqualTo("6");
        assertThat(Numbers.format((Object) 0.9)).isEqualTo("0.9");
        assertThat(Numbers.format((Object) 4.0)).isEqualTo("4");
        assertThat(Numbers.format((Object) true)).isEqualTo("true");
        assertThat(Numbers.format((Object) "fp8")).isEqualTo("fp8");
        assertThat(Numbers.format((Object) List.of(1, 2.5))).isEqualTo("[1, 2.5]");
        assertThat(Numbers.format((Object) null)).isEqualTo("-");
    }

    @Test
    void exact_keeps_every_digit_without_exponents() {
        assertThat(Numbers.exact(0.123456)).isEqualTo("0.123456");
        assertThat(Numbers.exact(330.0)).isEqualTo("330");
        assertThat(Numbers.exact(1e-7)).isEqualTo("0.0000001");
        assertThat(Numbers.exact(null)).isEmpty();
    }
}
