package dev.autotune.domain.search;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The chance that <em>any</em> untested config is feasible and better than the best, for the stop
 * ({@link StopPolicy#JOINT_LIKELY}): by correlated draws from the models over the open configs at once, each model
 * a multivariate t ({@link StopPolicy#degreesOfFreedom}) with the measurement noise (at least
 * {@link StopPolicy#NOISE_FLOOR}) on top, counting the draws in which some config beats the best and meets every
 * budget. {@link TailChance} asks the same of each config alone, and the largest of those is no measure of the
 * risk a stop takes: twenty configs with 0.5% each are a different risk from one, and two neighbours that move
 * together are nearly one. The joint chance is that risk, so its line can be a plain one (5%) where the per-config
 * line had to be 0.1% (docs/SEARCH.md, "Fourth pass").
 *
 * <p>Only configs whose {@link TailChance#bounds bound} is at least a tenth of the line shared out over the open
 * configs are drawn; the bounds of the rest are added to the result as they are (the chance of a union is at most
 * the sum), so the answer never comes out below the truth for leaving them out. With more than
 * {@link #MAX_DRAWN} configs left to draw, or the rest's bounds already past the line, it answers 1 (not below;
 * the search goes on): a covariance over thousands of configs would cost seconds.
 */
final class JointChance {
    /** Draws per answer: the chance is counted to about half a percent at the 5% line. */
    static final int DRAWS = 2000;
    /** At most this many configs drawn together (the covariance and its factor are this squared). */
    static final int MAX_DRAWN = 400;

    private JointChance() {
    }

    /**
     * The joint chance, or a value of at least {@code line} as soon as the draws show it is not below it.
     *
     * @param candidates the encoded open configs
     * @param score      as for {@link TailChance#largest}: the log score's means (the offset taken off), bounds and
     *                   model; with {@code through} >= 0 the model of the log score plus that budget's log metric
     * @param random     the draws' source (seeded from the history, so the same history gives the same answer)
     */
    static double of(double[][] candidates, TailChance.Quantity score, double best, List<TailChance.Budget> budgets,
                     int through, double line, SplittableRandom random) {
        int n = candidates.length;
        double[] bound = TailChance.bounds(score, best, budgets, through);
        List<Integer> drawn = new ArrayList<>();
        double rest = 0;
        for (int k = 0; k < n; k++) {
            if (bound[k] >= line / (10.0 * n)) {
                drawn.add(k);
            } else {
                rest += bound[k];
            }
        }
        if (drawn.size() > MAX_DRAWN || rest >= line) {
            return 1;
        }
        if (drawn.isEmpty()) {
            return rest;
        }
        int m = drawn.size();
        double[][] x = new double[m][];
        for (int r = 0; r < m; r++) {
            x[r] = candidates[drawn.get(r)];
        }
        double floor = StopPolicy.noiseFloorVariance();
        TailChance.Budget via = through >= 0 ? budgets.get(through) : null;
        int scoreDof = via == null ? score.dof() : Math.min(score.dof(), via.model().dof());
        double[] scoreMean = new double[m];
        double[] scoreFactor = factor(score.gp().covariance(x, scoreMean), m);
        double[][] budgetMean = new double[budgets.size()][m];
        double[][] budgetFactor = new double[budgets.size()][];
        double[] budgetNoise = new double[budgets.size()];
        for (int b = 0; b < budgets.size(); b++) {
            budgetFactor[b] = factor(budgets.get(b).model().gp().covariance(x, budgetMean[b]), m);
            budgetNoise[b] = Math.sqrt(TailChance.noise(budgets.get(b), floor));
        }
        double scoreNoise = Math.sqrt(floor);
        int allowed = (int) Math.floor((line - rest) * DRAWS);
        int hits = 0;
        double[] z = new double[m];
        double[][] budgetDraw = new double[budgets.size()][m];
        double[] scoreDraw = new double[m];
        for (int d = 0; d < DRAWS; d++) {
            for (int b = 0; b < budgets.size(); b++) {
                double w = tScale(budgets.get(b).model().dof(), random);
                draw(budgetFactor[b], budgetMean[b], m, w, random, z, budgetDraw[b]);
                for (int r = 0; r < m; r++) {
                    budgetDraw[b][r] += w * budgetNoise[b] * random.nextGaussian();
                }
            }
            double w = tScale(scoreDof, random);
            draw(scoreFactor, scoreMean, m, w, random, z, scoreDraw);
            boolean hit = false;
            for (int r = 0; r < m && !hit; r++) {
                int k = drawn.get(r);
                double v = scoreDraw[r] - (via == null ? 0 : budgetDraw[through][r])
                        - (score.offset() == null ? 0 : score.offset()[k]) + w * scoreNoise * random.nextGaussian();
                if (v <= best) {
                    continue;
                }
                boolean met = true;
                for (int b = 0; b < budgets.size() && met; b++) {
                    TailChance.Budget budget = budgets.get(b);
                    met = budget.atMost() ? budgetDraw[b][r] <= budget.limit() : budgetDraw[b][r] >= budget.limit();
                }
                hit = met;
            }
            if (hit && ++hits > allowed) {
                return Math.max(line, rest + (double) hits / (d + 1));
            }
        }
        return rest + (double) hits / DRAWS;
    }

    /** The factor by which a standard normal draw becomes a t draw with {@code dof} degrees of freedom. */
    private static double tScale(int dof, SplittableRandom random) {
        double chi = 0;
        for (int i = 0; i < dof; i++) {
            double g = random.nextGaussian();
            chi += g * g;
        }
        return Math.sqrt(dof / Math.max(chi, 1e-12));
    }

    /** mean + w L z into {@code out}, z a fresh standard normal vector. */
    private static void draw(double[] lower, double[] mean, int m, double w, SplittableRandom random, double[] z,
                             double[] out) {
        for (int j = 0; j < m; j++) {
            z[j] = random.nextGaussian();
        }
        for (int i = 0; i < m; i++) {
            double s = 0;
            int row = i * m;
            for (int k = 0; k <= i; k++) {
                s += lower[row + k] * z[k];
            }
            out[i] = mean[i] + w * s;
        }
    }

    /** The Cholesky factor of a covariance, with the least jitter (from 1e-9 of its largest variance) that takes. */
    static double[] factor(double[] covariance, int m) {
        double scale = 0;
        for (int j = 0; j < m; j++) {
            scale = Math.max(scale, covariance[j * m + j]);
        }
        double jitter = 1e-9 * Math.max(scale, 1e-12);
        while (true) {
            double[] t = covariance.clone();
            for (int j = 0; j < m; j++) {
                t[j * m + j] += jitter;
            }
            if (GaussianProcess.choleskyLower(t, m)) {
                return t;
            }
            jitter *= 10;
        }
    }
}
