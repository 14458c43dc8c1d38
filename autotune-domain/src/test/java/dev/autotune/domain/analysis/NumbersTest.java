package dev.autotune.domain.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

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
    void ties_round_half_up_on_the_decimal_value_not_its_binary_approximation() {
        assertThat(Numbers.format(2.345)).isEqualTo("2.35"); // stored as 2.34499999999999997...
        assertThat(Numbers.format(1.005)).isEqualTo("1.01");
        assertThat(Numbers.format(-1.005)).isEqualTo("-1.01");
        assertThat(Numbers.format(0.12345)).isEqualTo("0.1235");
        assertThat(Numbers.format(0.125)).isEqualTo("0.125");
        assertThat(Numbers.format(0.00005)).isEqualTo("0.0001");
        assertThat(Numbers.format(0.00004999)).isEqualTo("0");
    }

    @Test
    void the_long_arithmetic_shortcut_agrees_with_the_decimal_rule_wherever_it_answers() {
        Random random = new Random(20261125);
        int answered = 0;
        for (int i = 0; i < 2_000_000; i++) {
            // every magnitude from 1e-6 to 1e13, with short decimals (ties) as often as long ones
            double v = Math.pow(10, random.nextDouble() * 19 - 6) * (random.nextBoolean() ? 1 : -1);
            if (random.nextInt(4) == 0) {
                v = Math.round(v * 1000) / 1000.0 + (random.nextBoolean() ? 0.005 : 0.00005);
            }
            int scale = Math.abs(v) < 1 ? 4 : 2;
            String fast = Numbers.roundedInBinary(v, scale);
            if (fast != null) {
                answered++;
                assertThat(fast).as("%s at scale %d", v, scale).isEqualTo(Numbers.roundedInDecimal(v, scale));
            }
        }
        assertThat(answered).isGreaterThan(1_500_000);
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
