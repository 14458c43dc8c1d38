package dev.autotune.domain.search;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The stop's joint chance that any open config is feasible and better: one config alone gives its own t chance;
 * configs the model holds independent add up as a union does, configs it holds as one thing (the same point) count
 * once; the covariance it draws from is the posterior's; configs too unlikely to matter are added as their bounds
 * without drawing; and the same history gives the same answer.
 */
class JointChanceTest {
    /** A 1-D score GP measured at 0.45..0.55 (values around 0), no budget; the log score to beat is {@code best}. */
    private static GaussianProcess gp(double length) {
        double[][] x = {{0.45}, {0.5}, {0.55}};
        double[] y = {0.0, 0.1, 0.0};
        GaussianProcess.Hyper hyper = new GaussianProcess.Hyper(new double[] {length}, 1, 1e-4);
        return GaussianProcess.fit(x, y, hyper, GaussianProcess.prior(x, y, 0.1));
    }

    private static double joint(GaussianProcess gp, double[][] candidates, double best, int dof, double line) {
        double[] bound = new double[candidates.length];
        double[] mean = gp.means(candidates, bound);
        TailChance.Quantity q = new TailChance.Quantity(gp, mean, bound, dof);
        return JointChance.of(candidates, q, best, List.of(), -1, line, new SplittableRandom(3));
    }

    @Test
    void oneConfigAloneGivesItsOwnTChance() {
        GaussianProcess gp = gp(0.05);
        double[][] one = {{0.0}};
        double[] mean = new double[1];
        double[] variance = new double[1];
        gp.predict(one, mean, variance);
        double best = mean[0] + 0.5 * Math.sqrt(variance[0]);
        double exact = TailChance.chance(mean[0] - best, variance[0], variance[0], StopPolicy.noiseFloorVariance(), 30);
        // counted from 2,000 draws: within a few of their standard errors
        assertThat(joint(gp, one, best, 30, 1.0)).isCloseTo(exact, within(4 * Math.sqrt(exact * (1 - exact) / 2000)));
    }

    @Test
    void independentConfigsAddUpAsAUnionAndOneConfigTwiceCountsOnce() {
        GaussianProcess gp = gp(0.05);
        double[][] one = {{0.0}};
        double[] mean = new double[1];
        double[] variance = new double[1];
        gp.predict(one, mean, variance);
        double best = mean[0] + 1.5 * Math.sqrt(variance[0]);
        double single = joint(gp, one, best, 200, 1.0);
        // far apart at a short length scale: independent, so 1 - (1 - p)^2
        double[][] apart = {{0.0}, {1.0}};
        double union = joint(gp, apart, best, 200, 1.0);
        assertThat(union).isGreaterThan(1.5 * single).isCloseTo(1 - (1 - single) * (1 - single), within(0.03));
        // the same point twice: perfectly correlated, so no more likely than once
        double[][] twice = {{0.0}, {0.0}};
        assertThat(joint(gp, twice, best, 200, 1.0)).isCloseTo(single, within(0.03));
    }

    @Test
    void onlyLikelyEnoughConfigsAreDrawnTheRestAddTheirBounds() {
        GaussianProcess gp = gp(0.3);
        // far above everything the model expects: every bound is negligible, so nothing is drawn and the answer is
        // the sum of the bounds, below the line
        double[][] candidates = {{0.0}, {0.2}, {0.8}, {1.0}};
        double[] bound = new double[candidates.length];
        double[] mean = gp.means(candidates, bound);
        TailChance.Quantity q = new TailChance.Quantity(gp, mean, bound, 30);
        double best = 50;
        double sum = 0;
        for (double b : TailChance.bounds(q, best, List.of(), -1)) {
            sum += b;
        }
        assertThat(JointChance.of(candidates, q, best, List.of(), -1, 0.05, new SplittableRandom(1)))
                .isEqualTo(sum).isLessThan(0.05);
    }

    @Test
    void aChanceAboveTheLineIsReportedAsNotBelowItAndTheSameHistoryGivesTheSameAnswer() {
        GaussianProcess gp = gp(0.05);
        double[][] candidates = {{0.0}, {0.2}, {0.8}, {1.0}};
        // the best is the measured middle: far from the data the model is unsure, so some config likely beats it
        double answer = joint(gp, candidates, 0.1, 5, 0.05);
        assertThat(answer).isGreaterThanOrEqualTo(0.05);
        assertThat(joint(gp, candidates, 0.1, 5, 0.05)).isEqualTo(answer);
    }
}
