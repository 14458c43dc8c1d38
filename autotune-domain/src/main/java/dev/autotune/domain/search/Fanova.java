package dev.autotune.domain.search;

/**
 * A functional-ANOVA split of a function over a grid of discrete factors: how much of its variance each factor
 * explains alone (its main effect), and how much only combinations of factors explain (the interactions).
 *
 * <p>The points are either the whole grid (every combination of levels once: the split is then exact) or a uniform
 * sample of it (an estimate). Under that uniform product measure the variance splits into orthogonal parts: the
 * main effect of factor k is the mean of f over the points with k at each level, minus the grand mean; its
 * variance over the levels (weighted by how many points have each level) divided by f's total variance is k's
 * share; what the main effects leave is the interactions' share. So the shares and the interactions sum to 1.
 */
final class Fanova {
    private Fanova() {
    }

    /**
     * @param mainEffects  per factor, the share of the variance its main effect explains (0 to 1)
     * @param interactions the share only combinations of factors explain
     * @param variance     the function's total variance over the points (0: a constant, then every share is 0)
     */
    record Split(double[] mainEffects, double interactions, double variance) {
    }

    /** Below this share of the mean square the function is taken as constant (round-off, not variation). */
    private static final double CONSTANT = 1e-12;

    /**
     * @param levels per factor, how many levels it has
     * @param points per point, each factor's level (0-based)
     * @param values the function at each point
     */
    static Split split(int[] levels, int[][] points, double[] values) {
        int n = values.length;
        if (n == 0 || points.length != n) {
            throw new IllegalArgumentException("need one value per point, got " + n + " values for "
                    + points.length + " points");
        }
        double mean = 0;
        double square = 0;
        for (double v : values) {
            mean += v;
            square += v * v;
        }
        mean /= n;
        double total = 0;
        for (double v : values) {
            total += (v - mean) * (v - mean);
        }
        total /= n;
        double[] shares = new double[levels.length];
        if (total <= CONSTANT * Math.max(square / n, 1e-300)) {
            return new Split(shares, 0, 0);
        }
        double explained = 0;
        for (int k = 0; k < levels.length; k++) {
            double[] sum = new double[levels[k]];
            int[] count = new int[levels[k]];
            for (int i = 0; i < n; i++) {
                sum[points[i][k]] += values[i];
                count[points[i][k]]++;
            }
            double effect = 0;
            for (int l = 0; l < levels[k]; l++) {
                if (count[l] > 0) {
                    double m = sum[l] / count[l] - mean;
                    effect += count[l] * m * m;
                }
            }
            shares[k] = effect / n / total;
            explained += shares[k];
        }
        if (explained > 1) {
            // only a sample can overshoot (each main effect's estimate carries a little of the sampling noise):
            // scale the estimates so they and the interactions still sum to 1
            for (int k = 0; k < shares.length; k++) {
                shares[k] /= explained;
            }
            explained = 1;
        }
        return new Split(shares, 1 - explained, total);
    }

    /**
     * The split estimated where the grid is too large to predict whole: each factor's main effect at each of its
     * levels is the mean of f over one shared background sample with that factor set to the level. Sharing the
     * background means whatever the other factors add cancels between levels, so an additive function is split
     * exactly whatever the sample; only interactions leave a little noise in the estimates.
     *
     * @param values        per factor, per level, f at each background point with the factor set to the level
     * @param totalVariance f's variance over a uniform sample of the grid
     */
    static Split estimate(double[][][] values, double totalVariance) {
        double[] shares = new double[values.length];
        if (!(totalVariance > 0)) {
            return new Split(shares, 0, 0);
        }
        double explained = 0;
        for (int k = 0; k < values.length; k++) {
            double[] effect = new double[values[k].length];
            double mean = 0;
            for (int l = 0; l < effect.length; l++) {
                double sum = 0;
                for (double v : values[k][l]) {
                    sum += v;
                }
                effect[l] = sum / values[k][l].length;
                mean += effect[l];
            }
            mean /= effect.length;
            double variance = 0;
            for (double e : effect) {
                variance += (e - mean) * (e - mean);
            }
            shares[k] = variance / effect.length / totalVariance;
            explained += shares[k];
        }
        if (explained > 1) {
            // estimates can overshoot where interactions are strong: scale them so the parts still sum to 1
            for (int k = 0; k < shares.length; k++) {
                shares[k] /= explained;
            }
            explained = 1;
        }
        return new Split(shares, 1 - explained, totalVariance);
    }
}
