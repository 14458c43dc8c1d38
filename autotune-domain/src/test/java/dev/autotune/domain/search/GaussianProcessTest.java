package dev.autotune.domain.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GaussianProcessTest {
    private static final GaussianProcess.Hyper UNIT = new GaussianProcess.Hyper(new double[]{1}, 1, 0.01);

    @Test
    void maternFiveHalvesByHand() {
        // r = 1: (1 + sqrt5 + 5/3) e^-sqrt5 = 4.9027347 * 0.1068779 = 0.5239941
        assertThat(GaussianProcess.kernel(new double[]{0}, new double[]{1}, new double[]{1}, 1)).isCloseTo(0.5239941, within(1e-6));
        // inverse length 0.5 (length 2) gives r = 0.5: (1 + sqrt5/2 + 5/12) e^(-sqrt5/2) = 2.5347007 * 0.3269219 = 0.8286491
        assertThat(GaussianProcess.kernel(new double[]{0}, new double[]{1}, new double[]{0.5}, 1)).isCloseTo(0.8286491, within(1e-6));
        assertThat(GaussianProcess.kernel(new double[]{0.5}, new double[]{1}, new double[]{1}, 2)).isCloseTo(2 * 0.8286491, within(1e-6));
    }

    @Test
    void twoPointPosteriorMatchesTheClosedForm() {
        // points 0 and 1 with targets 1 and 3, no standardisation (mean 0, scale 1), noise 0.01:
        // K = [[1.01, k], [k, 1.01]], k = 0.5239941; at 0.5 both covariances are c = 0.8286491, so
        // mean = c (1 + 3)(1.01 - k) / (1.01^2 - k^2) = 4c / (1.01 + k), variance = 1 - 2c^2 / (1.01 + k)
        double k = 0.5239941;
        double c = 0.8286491;
        GaussianProcess gp = GaussianProcess.fit(new double[][]{{0}, {1}}, new double[]{1, 3}, UNIT, new GaussianProcess.Prior(0, new double[0], 1));
        double[] mean = new double[3];
        double[] var = new double[3];
        gp.predict(new double[][]{{0.5}, {0}, {20}}, mean, var);
        assertThat(mean[0]).isCloseTo(4 * c / (1.01 + k), within(1e-5));
        assertThat(var[0]).isCloseTo(1 - 2 * c * c / (1.01 + k), within(1e-5));
        // at a measured point the posterior sits near the measurement, with about the noise's variance
        // mean(0) = [1.01 * 1 - k * 3 ... ] worked out: alpha = K^-1 y, mean = k(0,0) a1 + k a2
        double det = 1.01 * 1.01 - k * k;
        double a1 = (1.01 * 1 - k * 3) / det;
        double a2 = (1.01 * 3 - k * 1) / det;
        assertThat(mean[1]).isCloseTo(a1 + k * a2, within(1e-5));
        assertThat(mean[1]).isCloseTo(1, within(0.02));
        assertThat(var[1]).isCloseTo(1 - (1.01 - 2 * k * k + k * k * 1.01) / det, within(1e-5));
        // far away the prior returns: mean 0, variance 1
        assertThat(mean[2]).isCloseTo(0, within(1e-3));
        assertThat(var[2]).isCloseTo(1, within(1e-3));
        // log marginal likelihood: -1/2 y'K^-1 y - 1/2 log det K - log 2 pi
        double quad = (1.01 * (1 + 9) - 2 * k * 3) / det;
        assertThat(gp.logMarginalLikelihood()).isCloseTo(-0.5 * quad - 0.5 * Math.log(det) - Math.log(2 * Math.PI), within(1e-5));
    }

    @Test
    void standardisesTargetsAndGivesPredictionsBackInTheirUnits() {
        GaussianProcess gp = GaussianProcess.fit(new double[][]{{0}, {1}}, new double[]{100, 300}, UNIT);
        assertThat(gp.prior().intercept()).isEqualTo(200);
        assertThat(gp.prior().scale()).isCloseTo(Math.sqrt(2) * 100, within(1e-9));
        double[] mean = new double[1];
        double[] var = new double[1];
        gp.predict(new double[][]{{20}}, mean, var);
        assertThat(mean[0]).isCloseTo(200, within(1e-6));
        assertThat(var[0]).isCloseTo(20000, within(1e-3));
    }

    @Test
    void priorMeanPlaneIsTheRidgeRegression() {
        // y = 2 + 3x at x = 0, 0.1, ..., 1: Sxx = sum (x - 0.5)^2 = 1.1, Sxy = 3 * 1.1; with ridge 1 the slope is
        // Sxy / (Sxx + 1) = 3.3 / 2.1 = 1.5714, and the intercept puts the plane through the means (0.5, 3.5)
        double[][] x = new double[11][];
        double[] y = new double[11];
        for (int i = 0; i <= 10; i++) {
            x[i] = new double[]{i / 10.0};
            y[i] = 2 + 3 * x[i][0];
        }
        GaussianProcess.Prior p = GaussianProcess.prior(x, y, 1);
        assertThat(p.slope()[0]).isCloseTo(3.3 / 2.1, within(1e-9));
        assertThat(p.at(new double[]{0.5})).isCloseTo(3.5, within(1e-9));
        // without a ridge the mean is constant
        assertThat(GaussianProcess.prior(x, y, 0).slope()).isEmpty();
        // the scale never drops below the floor's share of the targets' standard deviation
        double sd = Math.sqrt(3 * 3 * 1.1 / 10);
        assertThat(p.scale()).isGreaterThanOrEqualTo(GaussianProcess.RESIDUAL_FLOOR * sd - 1e-12);
    }

    @Test
    void hyperparametersFollowTheData() {
        // a function that changes fast along dimension 0 and not at all along dimension 1
        double[][] x = new double[16][];
        double[] y = new double[16];
        for (int i = 0; i < 16; i++) {
            x[i] = new double[]{(i % 4) / 3.0, (i / 4) / 3.0};
            y[i] = Math.sin(6 * x[i][0]);
        }
        GaussianProcess.Hyper h = HyperSelection.select(x, y, new int[]{0, 1}, 2, 0);
        assertThat(h.lengthScales()[0]).isLessThan(h.lengthScales()[1]);
        assertThat(h.noiseVariance()).isLessThanOrEqualTo(0.01);
    }

    @Test
    void normalDistribution() {
        assertThat(Normal.cdf(0)).isCloseTo(0.5, within(1e-7));
        assertThat(Normal.cdf(1.959964)).isCloseTo(0.975, within(1e-6));
        assertThat(Normal.cdf(-1)).isCloseTo(0.1586553, within(1e-6));
        // EI of N(0,1) over 0 is phi(0) = 0.3989423
        assertThat(Normal.expectedImprovement(0, 1, 0)).isCloseTo(0.3989423, within(1e-6));
        assertThat(Normal.expectedImprovement(2, 0, 1)).isEqualTo(1);
    }

    @Test
    void fewPointsGetTheSmoothPriorLengthAndAPlaneNeverLeavesLessThanTheFloorOfTheSpread() {
        double[][] x = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
        double[] y = {1, 2, 3, 4};
        GaussianProcess.Hyper h = HyperSelection.select(x, y, new int[]{0, 1}, 2, 1);
        assertThat(h.lengthScales()).containsExactly(HyperSelection.PRIOR_LENGTH, HyperSelection.PRIOR_LENGTH);
        // y = 1 + x0 + 2 x1 exactly: the least-squares plane leaves no residual, ridge 1e-9 leaves almost none;
        // the scale is floored at 0.8 of the targets' standard deviation (sqrt(5/3))
        GaussianProcess.Prior plane = GaussianProcess.prior(x, y, 1e-9);
        assertThat(plane.at(new double[]{1, 1})).isCloseTo(4, within(1e-6));
        assertThat(plane.scale()).isCloseTo(0.8 * Math.sqrt(5.0 / 3.0), within(1e-9));
    }

    @Test
    void aSelectionLookedUpIsTheOneASelectionMakesAndAChangedRowIsSelectedAfresh() {
        double[][] x = new double[12][];
        double[] y = new double[12];
        for (int i = 0; i < 12; i++) {
            x[i] = new double[]{i / 11.0, (i * 7 % 12) / 11.0};
            y[i] = Math.sin(6 * x[i][0]) + 0.1 * x[i][1];
        }
        int[] groups = {0, 1};
        GaussianProcess.Hyper first = HyperSelection.select(x, y, groups, 2, 0.1);
        GaussianProcess.Hyper again = HyperSelection.select(x, y, groups, 2, 0.1);
        GaussianProcess.Hyper fresh = HyperSelection.choose(x, y, groups, 2, 0.1);
        assertThat(again.lengthScales()).containsExactly(fresh.lengthScales());
        assertThat(again.noiseVariance()).isEqualTo(fresh.noiseVariance());
        assertThat(first.lengthScales()).containsExactly(fresh.lengthScales());
        // the key is a copy: changing the caller's targets afterwards selects on the new ones
        for (int i = 0; i < 12; i++) {
            y[i] = Math.sin(6 * x[i][1]);
        }
        GaussianProcess.Hyper changed = HyperSelection.select(x, y, groups, 2, 0.1);
        GaussianProcess.Hyper changedFresh = HyperSelection.choose(x, y, groups, 2, 0.1);
        assertThat(changed.lengthScales()).containsExactly(changedFresh.lengthScales());
        assertThat(changed.lengthScales()).as("the data now varies along the other knob")
                .isNotEqualTo(fresh.lengthScales());
    }
}
