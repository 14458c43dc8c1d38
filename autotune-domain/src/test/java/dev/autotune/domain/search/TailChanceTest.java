package dev.autotune.domain.search;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The stop's chance to be feasible and better on t predictives: its bound is a bound (so the pruned search for
 * the largest is exact), fewer degrees of freedom leave more chance, the linked budget is taken with the score as
 * the smaller of the two, and on real GPs the largest equals a brute force over every candidate (and asked only
 * whether it is below a line, gives the same answer).
 */
class TailChanceTest {
    @Test
    void theBoundIsAtLeastTheChanceForEveryVarianceUpToIt() {
        Random r = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            double margin = r.nextGaussian();
            double high = r.nextDouble() * r.nextDouble();
            double variance = r.nextDouble() * high;
            double noise = r.nextDouble() * 0.01;
            int dof = 1 + r.nextInt(30);
            double bound = TailChance.chance(margin, 0, high, noise, dof);
            assertThat(bound).isGreaterThanOrEqualTo(TailChance.chance(margin, variance, variance, noise, dof));
        }
    }

    @Test
    void fewerDegreesOfFreedomLeaveMoreChanceToBeatTheBestFromBelow() {
        // three noise-free standard deviations short of the best
        assertThat(TailChance.chance(-0.3, 0.01, 0.01, 0, 2)).isGreaterThan(TailChance.chance(-0.3, 0.01, 0.01, 0, 8))
                .isGreaterThan(TailChance.chance(-0.3, 0.01, 0.01, 0, 200)).isGreaterThan(0.001);
        assertThat(TailChance.chance(-0.3, 0.01, 0.01, 0, 200)).isCloseTo(Normal.cdf(-3), within(1e-3));
        assertThat(TailChance.chance(0, 0, 0, 0, 3)).isEqualTo(1);
        assertThat(TailChance.chance(-0.1, 0, 0, 0, 3)).isEqualTo(0);
    }

    @Test
    void theLinkedBudgetIsTakenWithTheScoreAsTheSmallerChanceTheOthersMultiply() {
        assertThat(TailChance.combine(0.3, new double[] {0.5, 0.2}, -1)).isCloseTo(0.03, within(1e-12));
        assertThat(TailChance.combine(0.3, new double[] {0.5, 0.2}, 1)).isCloseTo(0.2 * 0.5, within(1e-12));
        assertThat(TailChance.combine(0.1, new double[] {0.5, 0.2}, 1)).isCloseTo(0.1 * 0.5, within(1e-12));
    }

    @Test
    void theLargestChanceEqualsABruteForceOverEveryCandidate() {
        Random r = new Random(5);
        for (int round = 0; round < 200; round++) {
            int d = 1 + r.nextInt(3);
            int n = 3 + r.nextInt(12);
            double[][] x = new double[n][d];
            double[] score = new double[n];
            double[] latency = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x[i][j] = r.nextDouble();
                }
                score[i] = x[i][0] * 2 + 0.1 * r.nextGaussian();
                latency[i] = x[i][d - 1] + 0.1 * r.nextGaussian();
            }
            double[] lengths = new double[d];
            java.util.Arrays.fill(lengths, 0.3 + r.nextDouble());
            GaussianProcess.Hyper hyper = new GaussianProcess.Hyper(lengths, 1, 0.01);
            GaussianProcess s = GaussianProcess.fit(x, score, hyper, GaussianProcess.prior(x, score, 0.1));
            GaussianProcess l = GaussianProcess.fit(x, latency, hyper, GaussianProcess.prior(x, latency, 0.1));
            int m = 1 + r.nextInt(150);
            double[][] c = new double[m][d];
            for (double[] row : c) {
                for (int j = 0; j < d; j++) {
                    row[j] = r.nextDouble();
                }
            }
            boolean linked = r.nextBoolean();
            double[] sm = new double[m];
            double[] sv = new double[m];
            double[] lm = new double[m];
            double[] lv = new double[m];
            double[] sBound = new double[m];
            double[] lBound = new double[m];
            double[] smean = s.means(c, sBound);
            double[] lmean = l.means(c, lBound);
            s.predict(c, sm, sv);
            l.predict(c, lm, lv);
            if (linked) {
                for (int k = 0; k < m; k++) {
                    smean[k] -= lmean[k];
                    sBound[k] += lBound[k];
                }
            }
            double best = 1 + 0.5 * r.nextGaussian();
            double limit = 0.5 + 0.3 * r.nextGaussian();
            int sDof = 1 + r.nextInt(10);
            int lDof = 1 + r.nextInt(10);
            TailChance.Budget budget = new TailChance.Budget(new TailChance.Quantity(l, lmean, lBound, lDof), limit,
                    true, true);
            TailChance.Quantity q = new TailChance.Quantity(s, smean, sBound, sDof);
            int chunk = 1 + r.nextInt(20);
            double largest = TailChance.largest(c, q, best, List.of(budget), linked ? 0 : -1, chunk,
                    Double.POSITIVE_INFINITY, -1);
            double line = r.nextDouble() * 0.01;
            double settled = TailChance.largest(c, q, best, List.of(budget), linked ? 0 : -1, chunk, line,
                    r.nextInt(m + 1) - 1);
            double floor = StopPolicy.noiseFloorVariance();
            double brute = 0;
            for (int k = 0; k < m; k++) {
                double mean = sm[k] - (linked ? lm[k] : 0);
                double var = sv[k] + (linked ? lv[k] : 0);
                double met = StudentT.cdf((limit - lm[k]) / Math.sqrt(lv[k] + Math.max(l.noiseVariance(), floor)),
                        lDof);
                double better = StudentT.cdf((mean - best) / Math.sqrt(var + floor), linked ? Math.min(sDof, lDof)
                        : sDof);
                brute = Math.max(brute, linked ? Math.min(better, met) : better * met);
            }
            assertThat(largest).as("round %d", round).isCloseTo(brute, within(1e-12));
            // asked only whether the largest is below a line: the same answer, and the largest itself when below
            assertThat(settled < line).as("round %d", round).isEqualTo(brute < line);
            if (brute < line) {
                assertThat(settled).isCloseTo(brute, within(1e-12));
            }
        }
    }
}
