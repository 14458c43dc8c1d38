package dev.autotune.domain.search;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM;

import java.util.Arrays;

/**
 * Gaussian-process regression with a Matérn 5/2 kernel, one length scale per input dimension (ARD), a signal
 * variance and a noise variance, over inputs in [0, 1]. Targets are standardised (mean 0, standard deviation 1)
 * before fitting and predictions are given back in the targets' units. One Cholesky factorisation per fit;
 * predictions for many points share one triangular solve.
 */
final class GaussianProcess {
    /** Kernel hyperparameters, in standardised target units. */
    record Hyper(double[] lengthScales, double signalVariance, double noiseVariance) {
    }

    private static final double SQRT5 = Math.sqrt(5);
    /** Added to the diagonal so a factorisation never fails on duplicate inputs with tiny noise. */
    private static final double JITTER = 1e-8;

    private final double[][] x;
    private final Hyper hyper;
    private final double yMean;
    private final double yScale;
    private final double[] lower;
    private final double[] alpha;
    private final double logMarginalLikelihood;

    private GaussianProcess(double[][] x, Hyper hyper, double yMean, double yScale, double[] lower, double[] alpha,
                            double lml) {
        this.x = x;
        this.hyper = hyper;
        this.yMean = yMean;
        this.yScale = yScale;
        this.lower = lower;
        this.alpha = alpha;
        this.logMarginalLikelihood = lml;
    }

    /** Fits on inputs {@code x} (n rows of equal length) and targets {@code y}. */
    static GaussianProcess fit(double[][] x, double[] y, Hyper hyper) {
        int n = y.length;
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= Math.max(1, n);
        double ss = 0;
        for (double v : y) {
            ss += (v - mean) * (v - mean);
        }
        double scale = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
        if (!(scale > 1e-12)) {
            scale = n > 0 && Math.abs(mean) > 1e-12 ? Math.abs(mean) * 0.1 : 1;
        }
        return fit(x, y, hyper, mean, scale);
    }

    /** Fits with a given standardisation (kriging believer refits keep the real data's). */
    static GaussianProcess fit(double[][] x, double[] y, Hyper hyper, double mean, double scale) {
        int n = y.length;
        DMatrixRMaj k = new DMatrixRMaj(n, n);
        double[] inv = inverseLengths(hyper);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = kernel(x[i], x[j], inv, hyper.signalVariance());
                k.data[i * n + j] = v;
                k.data[j * n + i] = v;
            }
            k.data[i * n + i] += hyper.noiseVariance() + JITTER;
        }
        CholeskyDecompositionInner_DDRM chol = new CholeskyDecompositionInner_DDRM(true);
        if (!chol.decompose(k)) {
            throw new IllegalStateException("kernel matrix is not positive definite");
        }
        double[] l = chol.getT(null).data;
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (y[i] - mean) / scale;
        }
        double fit = 0;
        TriangularSolver_DDRM.solveL(l, a, n);
        for (double v : a) {
            fit += v * v;
        }
        TriangularSolver_DDRM.solveTranL(l, a, n);
        double logDet = 0;
        for (int i = 0; i < n; i++) {
            logDet += Math.log(l[i * n + i]);
        }
        double lml = -0.5 * fit - logDet - 0.5 * n * Math.log(2 * Math.PI);
        return new GaussianProcess(x, hyper, mean, scale, l, a, lml);
    }

    /** The log marginal likelihood of the standardised targets: how well these hyperparameters explain them. */
    double logMarginalLikelihood() {
        return logMarginalLikelihood;
    }

    Hyper hyper() {
        return hyper;
    }

    double mean() {
        return yMean;
    }

    double scale() {
        return yScale;
    }

    /** The noise variance in the targets' units. */
    double noiseVariance() {
        return hyper.noiseVariance() * yScale * yScale;
    }

    /**
     * Posterior means without the triangular solve (cheap enough for every config of a large space), and into
     * {@code varianceBound} an upper bound on each posterior variance: the variance after conditioning on the
     * single nearest measurement alone, which conditioning on all of them can only lower.
     */
    double[] means(double[][] points, double[] varianceBound) {
        double[] inv = inverseLengths(hyper);
        double[] out = new double[points.length];
        double signal = hyper.signalVariance();
        double diagonal = signal + hyper.noiseVariance() + JITTER;
        for (int j = 0; j < points.length; j++) {
            double s = 0;
            double nearest = 0;
            for (int i = 0; i < x.length; i++) {
                double k = kernel(x[i], points[j], inv, signal);
                s += k * alpha[i];
                nearest = Math.max(nearest, k);
            }
            out[j] = yMean + yScale * s;
            varianceBound[j] = (signal - nearest * nearest / diagonal) * yScale * yScale;
        }
        return out;
    }

    /**
     * Posterior mean and variance of the latent function (without measurement noise) at each point, in the
     * targets' units, written into {@code mean} and {@code variance}.
     */
    void predict(double[][] points, double[] mean, double[] variance) {
        int n = x.length;
        int m = points.length;
        double[] inv = inverseLengths(hyper);
        // k* as an n x m row-major block: one triangular solve gives every point's variance reduction
        double[] ks = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                ks[i * m + j] = kernel(x[i], points[j], inv, hyper.signalVariance());
            }
        }
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += ks[i * m + j] * alpha[i];
            }
            mean[j] = yMean + yScale * s;
        }
        if (n > 0) {
            TriangularSolver_DDRM.solveL(lower, ks, n, m);
        }
        double[] reduction = new double[m];
        for (int i = 0; i < n; i++) {
            int row = i * m;
            for (int j = 0; j < m; j++) {
                double v = ks[row + j];
                reduction[j] += v * v;
            }
        }
        for (int j = 0; j < m; j++) {
            variance[j] = Math.max(0, hyper.signalVariance() - reduction[j]) * yScale * yScale;
        }
    }

    /** Length scales tried per dimension (inputs span [0, 1]): from a sharp local effect to almost none. */
    private static final double[] LENGTH_GRID = {0.08, 0.15, 0.3, 0.5, 0.8, 1.4, 3.0};
    /** Noise variances tried, in standardised units: from a nearly exact oracle to very noisy repeats. */
    private static final double[] NOISE_GRID = {1e-4, 1e-3, 1e-2, 0.05, 0.2};
    private static final double DEFAULT_LENGTH = 0.5;
    private static final double DEFAULT_NOISE = 1e-2;
    /** Fewer points than this say nothing about the hyperparameters; the defaults are used. */
    static final int MIN_POINTS_TO_FIT = 5;

    /**
     * Hyperparameters by maximum a-posteriori marginal likelihood over a fixed grid, searched one coordinate at a
     * time (each length-scale group over the whole grid, then the noise; then once more, each length scale
     * against its grid neighbours only); deterministic. The log-normal prior on the
     * length scales (centred on 0.5, one e-fold wide) keeps a handful of points from picking degenerate scales.
     *
     * @param groups the length-scale group of each input dimension (the one-hot columns of a category share one)
     */
    static Hyper select(double[][] x, double[] y, int[] groups, int groupCount) {
        double[] lengths = new double[groupCount];
        Arrays.fill(lengths, DEFAULT_LENGTH);
        double noise = DEFAULT_NOISE;
        if (y.length < MIN_POINTS_TO_FIT) {
            return hyper(lengths, groups, noise);
        }
        double best = score(x, y, lengths, groups, noise);
        for (int pass = 0; pass < 2; pass++) {
            for (int g = 0; g < groupCount; g++) {
                double keep = lengths[g];
                int at = Arrays.binarySearch(LENGTH_GRID, keep);
                for (int li = 0; li < LENGTH_GRID.length; li++) {
                    double l = LENGTH_GRID[li];
                    // the second pass only refines: the neighbours of the first pass's choice
                    if (l == keep || pass > 0 && Math.abs(li - at) > 1) {
                        continue;
                    }
                    lengths[g] = l;
                    double s = score(x, y, lengths, groups, noise);
                    if (s > best) {
                        best = s;
                        keep = l;
                    }
                }
                lengths[g] = keep;
            }
            double keepNoise = noise;
            for (double v : NOISE_GRID) {
                if (v == keepNoise) {
                    continue;
                }
                double s = score(x, y, lengths, groups, v);
                if (s > best) {
                    best = s;
                    keepNoise = v;
                }
            }
            noise = keepNoise;
        }
        return hyper(lengths, groups, noise);
    }

    private static double score(double[][] x, double[] y, double[] lengths, int[] groups, double noise) {
        double prior = 0;
        for (double l : lengths) {
            double t = Math.log(l / DEFAULT_LENGTH);
            prior -= 0.5 * t * t;
        }
        try {
            return fit(x, y, hyper(lengths, groups, noise)).logMarginalLikelihood() + prior;
        } catch (IllegalStateException e) {
            return Double.NEGATIVE_INFINITY;
        }
    }

    private static Hyper hyper(double[] groupLengths, int[] groups, double noise) {
        double[] perDim = new double[groups.length];
        for (int d = 0; d < groups.length; d++) {
            perDim[d] = groupLengths[groups[d]];
        }
        return new Hyper(perDim, 1.0, noise);
    }

    static double kernel(double[] a, double[] b, double[] inverseLengths, double signalVariance) {
        double r2 = 0;
        for (int d = 0; d < a.length; d++) {
            double t = (a[d] - b[d]) * inverseLengths[d];
            r2 += t * t;
        }
        double r = Math.sqrt(r2);
        return signalVariance * (1 + SQRT5 * r + 5.0 / 3.0 * r2) * Math.exp(-SQRT5 * r);
    }

    private static double[] inverseLengths(Hyper h) {
        double[] inv = new double[h.lengthScales().length];
        for (int d = 0; d < inv.length; d++) {
            inv[d] = 1 / h.lengthScales()[d];
        }
        return inv;
    }
}
