package dev.autotune.domain.search;

import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GP's fast numeric kernels (issue 22, item 9) give the very bits of the plain arithmetic they replace, so a
 * speed-up cannot change a proposal: {@code ProposalSequenceTest} pins whole searches, these pin each kernel on
 * random inputs of many shapes.
 */
class GaussianProcessKernelsTest {
    @Test
    void theRowWiseTriangularSolveGivesEjmlsColumnWiseBitsForEveryShape() {
        SplittableRandom random = new SplittableRandom(3);
        for (int n = 1; n <= 40; n += 3) {
            for (int m = 1; m <= 50; m += 7) {
                double[] l = lowerFactor(n, random);
                double[] b = new double[n * m];
                for (int k = 0; k < b.length; k++) {
                    b[k] = random.nextDouble(-2, 2);
                }
                double[] expected = b.clone();
                TriangularSolver_DDRM.solveL(l, expected, n, m);
                double[] actual = b.clone();
                GaussianProcess.solveLowerByRows(l, actual, n, m);
                assertThat(actual).as("n=%d m=%d", n, m).isEqualTo(expected);
            }
        }
    }

    @Test
    void theCholeskyFactorIsEjmlsToTheBitAndRefusesWhatEjmlRefuses() {
        SplittableRandom random = new SplittableRandom(7);
        for (int n = 1; n <= 130; n += n < 12 ? 1 : 13) {
            double[] spd = symmetric(n, random, n);
            double[] expected = spd.clone();
            DMatrixRMaj m = DMatrixRMaj.wrap(n, n, expected);
            CholeskyDecompositionInner_DDRM chol = new CholeskyDecompositionInner_DDRM(true);
            assertThat(chol.decompose(m)).isTrue();
            double[] actual = spd.clone();
            assertThat(GaussianProcess.choleskyLower(actual, n)).isTrue();
            assertThat(actual).as("n=%d", n).isEqualTo(chol.getT(null).data);
            // no diagonal boost: indefinite for n > 1, and both stop at the same pivot
            double[] indefinite = symmetric(n, random, 0);
            boolean ejml = new CholeskyDecompositionInner_DDRM(true).decompose(DMatrixRMaj.wrap(n, n, indefinite.clone()));
            assertThat(GaussianProcess.choleskyLower(indefinite.clone(), n)).as("n=%d", n).isEqualTo(ejml);
        }
    }

    @Test
    void meansAreThePredictedMeansToTheBitOnOneThreadAndOnTwo() {
        SplittableRandom random = new SplittableRandom(5);
        for (int dims : new int[]{1, 3, 7}) {
            // 128 rows: 200 points stay on one thread, 1,000 points pass PARALLEL_PAIRS and split over two
            for (int points : new int[]{200, 1_000}) {
                double[][] x = uniform(128, dims, random);
                double[] y = new double[x.length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = Math.sin(5 * x[i][0]) + (dims > 1 ? x[i][1] * x[i][1] : 0) + 0.1 * random.nextGaussian();
                }
                double[] lengths = new double[dims];
                for (int d = 0; d < dims; d++) {
                    lengths[d] = 0.1 + random.nextDouble();
                }
                GaussianProcess gp = GaussianProcess.fit(x, y, new GaussianProcess.Hyper(lengths, 1, 0.01),
                        GaussianProcess.prior(x, y, 0.1));
                double[][] at = uniform(points, dims, random);
                assertThat((long) points * x.length >= GaussianProcess.PARALLEL_PAIRS).isEqualTo(points == 1_000);
                double[] bound = new double[points];
                double[] means = gp.means(at, bound);
                double[] mean = new double[points];
                double[] variance = new double[points];
                gp.predict(at, mean, variance);
                assertThat(means).as("dims=%d points=%d", dims, points).isEqualTo(mean);
                for (int j = 0; j < points; j++) {
                    assertThat(bound[j]).isGreaterThanOrEqualTo(variance[j] - 1e-12);
                }
            }
        }
    }

    private static double[][] uniform(int rows, int dims, SplittableRandom random) {
        double[][] x = new double[rows][dims];
        for (double[] row : x) {
            for (int d = 0; d < dims; d++) {
                row[d] = random.nextDouble();
            }
        }
        return x;
    }

    /** A random symmetric n x n matrix A A' / n + boost I, row-major (positive definite with a boost of n). */
    private static double[] symmetric(int n, SplittableRandom random, double boost) {
        double[] a = new double[n * n];
        for (int k = 0; k < a.length; k++) {
            a[k] = random.nextDouble(-1, 1);
        }
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += a[i * n + k] * a[j * n + k];
                }
                out[i * n + j] = s / n - (i == j ? 0.3 - boost : 0);
                out[j * n + i] = out[i * n + j];
            }
        }
        return out;
    }

    /** The Cholesky factor of a random well-conditioned positive definite matrix, row-major. */
    private static double[] lowerFactor(int n, SplittableRandom random) {
        double[] a = new double[n * n];
        for (int k = 0; k < a.length; k++) {
            a[k] = random.nextDouble(-1, 1);
        }
        DMatrixRMaj spd = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? n : 0;
                for (int k = 0; k < n; k++) {
                    s += a[i * n + k] * a[j * n + k];
                }
                spd.data[i * n + j] = s;
            }
        }
        CholeskyDecompositionInner_DDRM chol = new CholeskyDecompositionInner_DDRM(true);
        assertThat(chol.decompose(spd)).isTrue();
        return chol.getT(null).data;
    }
}
