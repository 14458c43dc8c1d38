package dev.autotune.domain.search;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The functional-ANOVA split on functions whose answer is known. */
class FanovaTest {
    /** The split of f(a, b) over the full grid a, b in 0..n-1. */
    private static Fanova.Split grid(int na, int nb, BiFunction<Integer, Integer, Double> f) {
        int[][] points = new int[na * nb][];
        double[] values = new double[na * nb];
        for (int a = 0; a < na; a++) {
            for (int b = 0; b < nb; b++) {
                points[a * nb + b] = new int[]{a, b};
                values[a * nb + b] = f.apply(a, b);
            }
        }
        return Fanova.split(new int[]{na, nb}, points, values);
    }

    private static double sum(Fanova.Split s) {
        double t = s.interactions();
        for (double m : s.mainEffects()) {
            t += m;
        }
        return t;
    }

    @Test
    void aKnobTheFunctionIgnoresExplainsNothingAndTheOtherAll() {
        Fanova.Split s = grid(5, 4, (a, b) -> 3.0 * a + 0.0 * b);
        assertThat(s.mainEffects()[0]).isCloseTo(1, within(1e-12));
        assertThat(s.mainEffects()[1]).isCloseTo(0, within(1e-12));
        assertThat(s.interactions()).isCloseTo(0, within(1e-12));
    }

    @Test
    void anAdditiveFunctionSplitsByTheVarianceOfEachTerm() {
        // equal ranges: the 2b term has four times the variance of the a term
        Fanova.Split s = grid(5, 5, (a, b) -> a + 2.0 * b);
        assertThat(s.mainEffects()[0]).isCloseTo(0.2, within(1e-12));
        assertThat(s.mainEffects()[1]).isCloseTo(0.8, within(1e-12));
        assertThat(s.interactions()).isCloseTo(0, within(1e-12));
    }

    @Test
    void aFunctionOfTheCombinationOnlyIsAllInteractions() {
        // (a - 2)(b - 2): the mean over either knob is 0 at every value of the other
        Fanova.Split s = grid(5, 5, (a, b) -> (a - 2.0) * (b - 2.0));
        assertThat(s.mainEffects()[0]).isCloseTo(0, within(1e-12));
        assertThat(s.mainEffects()[1]).isCloseTo(0, within(1e-12));
        assertThat(s.interactions()).isCloseTo(1, within(1e-12));
    }

    @Test
    void theSharesAndTheInteractionsSumToOne() {
        Random r = new Random(3);
        double[] table = r.doubles(7 * 3).toArray();
        Fanova.Split s = grid(7, 3, (a, b) -> table[a * 3 + b] + 0.5 * a);
        assertThat(sum(s)).isCloseTo(1, within(1e-12));
        assertThat(s.mainEffects()[0]).isGreaterThan(s.mainEffects()[1]);
        assertThat(s.interactions()).isBetween(0.0, 1.0);
    }

    @Test
    void aConstantHasNoShares() {
        Fanova.Split s = grid(3, 3, (a, b) -> 7.0);
        assertThat(s.variance()).isZero();
        assertThat(s.mainEffects()).containsExactly(0, 0);
        assertThat(s.interactions()).isZero();
    }

    @Test
    void aUniformSampleOfTheGridEstimatesTheSplit() {
        Random r = new Random(5);
        int n = 4000;
        int[][] points = new int[n][];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            int a = r.nextInt(5);
            int b = r.nextInt(5);
            points[i] = new int[]{a, b};
            values[i] = a + 2.0 * b;
        }
        Fanova.Split s = Fanova.split(new int[]{5, 5}, points, values);
        assertThat(s.mainEffects()[0]).isCloseTo(0.2, within(0.02));
        assertThat(s.mainEffects()[1]).isCloseTo(0.8, within(0.02));
        assertThat(sum(s)).isCloseTo(1, within(1e-12));
    }

    @Test
    void theEstimateFromASharedBackgroundSplitsAnAdditiveFunctionExactly() {
        // f = a + 2b over 40 x 40 levels, a background of 5 random (a, b): the background cancels between levels
        Random r = new Random(9);
        int levels = 40;
        int[][] background = new int[5][];
        for (int j = 0; j < background.length; j++) {
            background[j] = new int[]{r.nextInt(levels), r.nextInt(levels)};
        }
        double[][][] values = new double[2][levels][background.length];
        for (int l = 0; l < levels; l++) {
            for (int j = 0; j < background.length; j++) {
                values[0][l][j] = l + 2.0 * background[j][1];
                values[1][l][j] = background[j][0] + 2.0 * l;
            }
        }
        // the variance of a + 2b over the whole grid: 5 times that of one uniform level
        double uniform = (levels * levels - 1) / 12.0;
        Fanova.Split s = Fanova.estimate(values, 5 * uniform);
        assertThat(s.mainEffects()[0]).isCloseTo(0.2, within(1e-12));
        assertThat(s.mainEffects()[1]).isCloseTo(0.8, within(1e-12));
        assertThat(s.interactions()).isCloseTo(0, within(1e-12));
    }
}
