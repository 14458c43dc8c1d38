package dev.autotune.domain.search;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM;

import java.util.Arrays;
import java.util.stream.IntStream;

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
    private final Prior prior;
    private final double yScale;
    private final double[] lower;
    private final double[] alpha;
    private final double logMarginalLikelihood;

    /**
     * The prior mean, a plane c + w.x in the targets' units, and the scale the residuals are standardised by.
     * {@code slope} may be empty (a constant prior mean).
     */
    record Prior(double intercept, double[] slope, double scale) {
        double at(double[] point) {
            double m = intercept;
            for (int d = 0; d < slope.length; d++) {
                m += slope[d] * point[d];
            }
            return m;
        }
    }

    private GaussianProcess(double[][] x, Hyper hyper, Prior prior, double[] lower, double[] alpha, double lml) {
        this.x = x;
        this.hyper = hyper;
        this.prior = prior;
        this.yScale = prior.scale();
        this.lower = lower;
        this.alpha = alpha;
        this.logMarginalLikelihood = lml;
    }

    /** Fits on inputs {@code x} (n rows of equal length) and targets {@code y}, with a constant prior mean. */
    static GaussianProcess fit(double[][] x, double[] y, Hyper hyper) {
        return fit(x, y, hyper, prior(x, y, 0));
    }

    /**
     * The prior mean for targets {@code y}: their mean, plus with {@code ridge > 0} a plane fitted by ridge
     * regression (penalty {@code ridge} on the slopes over inputs in [0, 1], so a few points give a nearly flat
     * plane and many points the least-squares one); the residuals' standard deviation as the scale, but no less than
     * {@link #RESIDUAL_FLOOR} of the targets' own so a plane through a handful of points cannot make the model certain.
     */
    /**
     * The least residual scale, as a fraction of the targets' own spread: a plane that happens to pass near a few
     * points must not leave the GP sure of itself between them (benchmarked: 0.5 beats 0.25 and 0.35; with the
     * noise search starting at {@link HyperSelection#DEFAULT_NOISE} 1e-3, 0.8 beats 0.5, 0.65 and 1.0 on the mean and p90 trials to
     * within 2% of the best: docs/SEARCH.md, "Finding the best sooner").
     */
    static final double RESIDUAL_FLOOR = 0.8;

    static Prior prior(double[][] x, double[] y, double ridge) {
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
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
        if (!(sd > 1e-12)) {
            sd = n > 0 && Math.abs(mean) > 1e-12 ? Math.abs(mean) * 0.1 : 1;
        }
        int d = n == 0 ? 0 : x[0].length;
        if (ridge <= 0 || n < 3 || d == 0) {
            return new Prior(mean, new double[0], sd);
        }
        double[] xMean = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                xMean[j] += row[j] / n;
            }
        }
        // (Xc'Xc + ridge sd^2 I) w = Xc'yc, solved by Cholesky (the matrix is positive definite)
        DMatrixRMaj a = new DMatrixRMaj(d, d);
        double[] b = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double xj = x[i][j] - xMean[j];
                b[j] += xj * (y[i] - mean);
                for (int k = 0; k < d; k++) {
                    a.data[j * d + k] += xj * (x[i][k] - xMean[k]);
                }
            }
        }
        for (int j = 0; j < d; j++) {
            a.data[j * d + j] += ridge;
        }
        CholeskyDecompositionInner_DDRM chol = new CholeskyDecompositionInner_DDRM(true);
        if (!chol.decompose(a)) {
            return new Prior(mean, new double[0], sd);
        }
        double[] l = chol.getT(null).data;
        TriangularSolver_DDRM.solveL(l, b, d);
        TriangularSolver_DDRM.solveTranL(l, b, d);
        double intercept = mean;
        for (int j = 0; j < d; j++) {
            intercept -= b[j] * xMean[j];
        }
        Prior plane = new Prior(intercept, b, sd);
        double rss = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - plane.at(x[i]);
            rss += r * r;
        }
        return new Prior(intercept, b, Math.max(Math.sqrt(rss / (n - 1)), RESIDUAL_FLOOR * sd));
    }

    /** Fits with a given prior (kriging believer refits keep the real data's). */
    static GaussianProcess fit(double[][] x, double[] y, Hyper hyper, Prior prior) {
        double scale = prior.scale();
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
        if (!choleskyLower(k.data, n)) {
            throw new IllegalStateException("kernel matrix is not positive definite");
        }
        double[] l = k.data;
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (y[i] - prior.at(x[i])) / scale;
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
        return new GaussianProcess(x, hyper, prior, l, a, lml);
    }

    /** The log marginal likelihood of the standardised targets: how well these hyperparameters explain them. */
    double logMarginalLikelihood() {
        return logMarginalLikelihood;
    }

    Hyper hyper() {
        return hyper;
    }

    Prior prior() {
        return prior;
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
        double[] out = new double[points.length];
        double[][] columns = columns();
        if ((long) points.length * x.length < PARALLEL_PAIRS) {
            means(columns, points, varianceBound, out, 0, points.length);
        } else {
            // each half writes its own range: the same numbers as one thread, in about half the wall time on 2 cores
            int half = points.length / 2;
            IntStream.range(0, 2).parallel().forEach(part -> means(columns, points, varianceBound, out,
                    part == 0 ? 0 : half, part == 0 ? half : points.length));
        }
        return out;
    }

    /**
     * Kernel evaluations (measurement x point) from which {@link #means} splits its points over two threads: at
     * 500 observations (128 training rows x about 2,000 open configs, for each model) the means of every open config
     * are two fifths of a proposal, and a kernel evaluation (a square root and an exponential) is the whole cost;
     * below this the split costs more than it saves.
     */
    static final long PARALLEL_PAIRS = 100_000;

    /** The training inputs by dimension (d rows of n), for {@link #means}. */
    private double[][] columns() {
        int d = x.length == 0 ? 0 : x[0].length;
        double[][] columns = new double[d][x.length];
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < d; k++) {
                columns[k][i] = x[i][k];
            }
        }
        return columns;
    }

    /**
     * {@link #kernel} of every measurement with one point at a time, the same arithmetic in the same order (so the
     * same bits), but the squared distances to all measurements a dimension at a time over contiguous columns,
     * which the JIT vectorises, before the square roots and exponentials that each pair needs anyway.
     */
    private void means(double[][] columns, double[][] points, double[] varianceBound, double[] out, int from, int to) {
        double[] inv = inverseLengths(hyper);
        double signal = hyper.signalVariance();
        double diagonal = signal + hyper.noiseVariance() + JITTER;
        int n = x.length;
        double[] r2 = new double[n];
        for (int j = from; j < to; j++) {
            double[] p = points[j];
            Arrays.fill(r2, 0);
            for (int d = 0; d < columns.length; d++) {
                double[] column = columns[d];
                double pd = p[d];
                double invd = inv[d];
                for (int i = 0; i < n; i++) {
                    double t = (column[i] - pd) * invd;
                    r2[i] += t * t;
                }
            }
            double s = 0;
            double nearest = 0;
            for (int i = 0; i < n; i++) {
                double k = matern(r2[i], signal);
                s += k * alpha[i];
                nearest = Math.max(nearest, k);
            }
            out[j] = prior.at(p) + yScale * s;
            varianceBound[j] = (signal - nearest * nearest / diagonal) * yScale * yScale;
        }
    }

    /**
     * Posterior mean and variance of the latent function (without measurement noise) at each point, in the
     * targets' units, written into {@code mean} and {@code variance}.
     */
    void predict(double[][] points, double[] mean, double[] variance) {
        int n = x.length;
        int m = points.length;
        double[] ks = solvedCrossKernel(points, mean);
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

    /**
     * The posterior means at the points, into {@code mean}, and L^-1 k* as an n x m row-major block (k* the kernel
     * between the training rows and the points): one triangular solve gives every point's variance reduction and
     * every pair's covariance reduction.
     */
    private double[] solvedCrossKernel(double[][] points, double[] mean) {
        int n = x.length;
        int m = points.length;
        double[] inv = inverseLengths(hyper);
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
            mean[j] = prior.at(points[j]) + yScale * s;
        }
        solveLowerByRows(lower, ks, n, m);
        return ks;
    }

    /**
     * Posterior means into {@code mean}, and the joint posterior covariance of the latent function at the points
     * (m x m row-major, in the targets' units): what correlated draws over many configs need ({@link JointChance}).
     */
    double[] covariance(double[][] points, double[] mean) {
        int n = x.length;
        int m = points.length;
        double[] inv = inverseLengths(hyper);
        double[] ks = solvedCrossKernel(points, mean);
        double[] cov = new double[m * m];
        double y2 = yScale * yScale;
        for (int a = 0; a < m; a++) {
            for (int b = 0; b <= a; b++) {
                double v = kernel(points[a], points[b], inv, hyper.signalVariance());
                for (int i = 0; i < n; i++) {
                    v -= ks[i * m + a] * ks[i * m + b];
                }
                cov[a * m + b] = v * y2;
                cov[b * m + a] = v * y2;
            }
        }
        return cov;
    }

    /**
     * Solves L X = B in place for the n x m row-major block {@code b} (L: n x n lower triangular, row-major): the
     * same arithmetic as EJML's {@code TriangularSolver_DDRM.solveL(L, b, n, m)}, in the same order for every
     * element (b[i][j] less L[i][k] b[k][j] for k = 0, 1, ..., then divided by L[i][i]), so the same bits, but a
     * row of b at a time instead of a column: EJML's column walk strides through b by m doubles per step, and at
     * 128 rows x 96 candidates the solves of the pruned argmax were most of its time; the row walk is sequential
     * and the JIT vectorises it. Four earlier rows are taken per pass over row i (still in order k, k+1, k+2, k+3
     * for each element), so row i is loaded and stored a quarter as often.
     */
    static void solveLowerByRows(double[] l, double[] b, int n, int m) {
        for (int i = 0; i < n; i++) {
            int row = i * m;
            int k = 0;
            for (; k + 3 < i; k += 4) {
                double l0 = l[i * n + k];
                double l1 = l[i * n + k + 1];
                double l2 = l[i * n + k + 2];
                double l3 = l[i * n + k + 3];
                int o0 = k * m;
                int o1 = o0 + m;
                int o2 = o1 + m;
                int o3 = o2 + m;
                for (int j = 0; j < m; j++) {
                    double v = b[row + j];
                    v -= l0 * b[o0 + j];
                    v -= l1 * b[o1 + j];
                    v -= l2 * b[o2 + j];
                    v -= l3 * b[o3 + j];
                    b[row + j] = v;
                }
            }
            for (; k < i; k++) {
                double lik = l[i * n + k];
                int other = k * m;
                for (int j = 0; j < m; j++) {
                    b[row + j] -= lik * b[other + j];
                }
            }
            double d = l[i * n + i];
            for (int j = 0; j < m; j++) {
                b[row + j] /= d;
            }
        }
    }

    /**
     * The Cholesky factor L of the symmetric n x n row-major matrix {@code t}, in place (zeros above the diagonal);
     * false when it is not positive definite. The same arithmetic as EJML's
     * {@code CholeskyDecompositionInner_DDRM(true)} (each entry t[i][j] less the products L[i][k] L[j][k] for
     * k = 0, 1, ... in turn; the diagonal's square root; the rest times 1 / L[i][i]), so the same bits, but four
     * entries of a column at a time: each sum is a chain of dependent subtractions, and four independent chains keep
     * the processor busy where one waits on each. A fit factorises a 128 x 128 matrix, and a hyperparameter
     * selection about 48 of 40 x 40 per model.
     */
    static boolean choleskyLower(double[] t, int n) {
        for (int i = 0; i < n; i++) {
            int rowI = i * n;
            double diagonal = t[rowI + i];
            for (int k = 0; k < i; k++) {
                diagonal -= t[rowI + k] * t[rowI + k];
            }
            if (diagonal <= 0) {
                return false;
            }
            double li = Math.sqrt(diagonal);
            t[rowI + i] = li;
            double inverse = 1.0 / li;
            int j = i + 1;
            for (; j + 3 < n; j += 4) {
                int r0 = j * n;
                int r1 = r0 + n;
                int r2 = r1 + n;
                int r3 = r2 + n;
                double s0 = t[rowI + j];
                double s1 = t[rowI + j + 1];
                double s2 = t[rowI + j + 2];
                double s3 = t[rowI + j + 3];
                for (int k = 0; k < i; k++) {
                    double lik = t[rowI + k];
                    s0 -= lik * t[r0 + k];
                    s1 -= lik * t[r1 + k];
                    s2 -= lik * t[r2 + k];
                    s3 -= lik * t[r3 + k];
                }
                t[r0 + i] = s0 * inverse;
                t[r1 + i] = s1 * inverse;
                t[r2 + i] = s2 * inverse;
                t[r3 + i] = s3 * inverse;
            }
            for (; j < n; j++) {
                int rj = j * n;
                double sum = t[rowI + j];
                for (int k = 0; k < i; k++) {
                    sum -= t[rowI + k] * t[rj + k];
                }
                t[rj + i] = sum * inverse;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                t[i * n + j] = 0;
            }
        }
        return true;
    }

    static double kernel(double[] a, double[] b, double[] inverseLengths, double signalVariance) {
        double r2 = 0;
        for (int d = 0; d < a.length; d++) {
            double t = (a[d] - b[d]) * inverseLengths[d];
            r2 += t * t;
        }
        return matern(r2, signalVariance);
    }

    /** The Matérn 5/2 kernel at squared scaled distance {@code r2}. */
    private static double matern(double r2, double signalVariance) {
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
