package dev.autotune.domain.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Student's t distribution function against tabled quantiles and its limits. */
class StudentTTest {
    @Test
    void matchesTabledQuantiles() {
        // one degree of freedom is the Cauchy distribution: P(T <= -1) = 1/4 exactly
        assertThat(StudentT.cdf(-1, 1)).isCloseTo(0.25, within(1e-12));
        // two: P(T <= t) = 1/2 + t / (2 sqrt(2 + t^2))
        assertThat(StudentT.cdf(1, 2)).isCloseTo(0.5 + 1 / (2 * Math.sqrt(3)), within(1e-12));
        // the usual table: 95% at 2.015 with 5, 99% at 2.764 with 10, 99.5% at 3.169 with 10
        assertThat(StudentT.cdf(2.015, 5)).isCloseTo(0.95, within(1e-4));
        assertThat(StudentT.cdf(-2.764, 10)).isCloseTo(0.01, within(1e-4));
        assertThat(StudentT.cdf(3.169, 10)).isCloseTo(0.995, within(1e-4));
    }

    @Test
    void isSymmetricAndTendsToTheNormalWithManyDegreesOfFreedom() {
        for (double t : new double[] {0.3, 1.1, 2.5}) {
            for (int nu : new int[] {1, 2, 3, 7, 30}) {
                assertThat(StudentT.cdf(t, nu) + StudentT.cdf(-t, nu)).isCloseTo(1, within(1e-12));
            }
            assertThat(StudentT.cdf(-t, 2_000)).isCloseTo(Normal.cdf(-t), within(1e-3));
        }
        assertThat(StudentT.cdf(0, 4)).isEqualTo(0.5);
    }

    @Test
    void fewDegreesOfFreedomLeaveMoreChanceFarOut() {
        // three standard deviations below: about 0.1% for a normal, far more when the spread rests on few points
        assertThat(Normal.cdf(-3)).isLessThan(0.002);
        assertThat(StudentT.cdf(-3, 2)).isGreaterThan(0.04);
        assertThat(StudentT.cdf(-3, 5)).isGreaterThan(StudentT.cdf(-3, 20)).isGreaterThan(Normal.cdf(-3));
    }
}
