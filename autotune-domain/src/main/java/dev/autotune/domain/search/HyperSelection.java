package dev.autotune.domain.search;

import dev.autotune.domain.search.GaussianProcess.Hyper;
import dev.autotune.domain.search.GaussianProcess.Prior;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link GaussianProcess}'s hyperparameters are chosen: maximum a-posteriori marginal likelihood over a fixed
 * grid, with the last selections kept by their exact inputs. Its own room: the regression (fit, predict, the
 * kernels) does not depend on how its length scales and noise were picked.
 */
final class HyperSelection {
    private HyperSelection() {
    }

    /** Length scales tried per dimension (inputs span [0, 1]): from a sharp local effect to almost none. */
    private static final double[] LENGTH_GRID = {0.08, 0.15, 0.3, 0.5, 0.8, 1.4, 3.0};
    /** Noise variances tried, in standardised units: from a nearly exact oracle to very noisy repeats. */
    private static final double[] NOISE_GRID = {1e-4, 1e-3, 1e-2, 0.05, 0.2};
    /** Where the coordinate search over length scales starts. */
    private static final double START_LENGTH = 0.5;
    /**
     * The length scale the prior favours, and the one used before there are enough points to choose: a smooth
     * response over the whole range of a knob (inputs span [0, 1]; log-encoded batch sizes and parallelism move
     * throughput and latency smoothly and mostly monotonically), which the ridge plane already carries and the
     * data can shorten where a knob acts locally.
     */
    static final double PRIOR_LENGTH = 1.4;
    /**
     * The noise before there are enough points to choose, and where the noise search starts (the length scales of
     * the first pass are chosen at it). The tables searched are measured to about a percent, and a plane through a
     * few points plus a wide residual floor ({@link GaussianProcess#RESIDUAL_FLOOR}) already keeps the model from being sure of
     * itself, so a small noise lets the first proposals trust what was measured near them (benchmarked with the
     * floor at 0.8: 1e-3 beats 1e-2 and 3e-3, and 1e-4 is alike).
     */
    private static final double DEFAULT_NOISE = 1e-3;
    /** Fewer points than this say nothing about the hyperparameters; the defaults are used. */
    static final int MIN_POINTS_TO_FIT = 5;

    /**
     * Hyperparameters by maximum a-posteriori marginal likelihood over a fixed grid, searched one coordinate at a
     * time (each length-scale group over the whole grid, then the noise; then once more, each length scale
     * against its grid neighbours only); deterministic. The log-normal prior on the
     * length scales (centred on {@link #PRIOR_LENGTH}, one e-fold wide) keeps a handful of points from picking degenerate scales.
     *
     * @param groups the length-scale group of each input dimension (the one-hot columns of a category share one)
     */
    static Hyper select(double[][] x, double[] y, int[] groups, int groupCount, double ridge) {
        SelectionKey key = new SelectionKey(x, y, groups, groupCount, ridge);
        synchronized (SELECTED) {
            Hyper known = SELECTED.get(key);
            if (known != null) {
                return known;
            }
        }
        Hyper chosen = choose(x, y, groups, groupCount, ridge);
        synchronized (SELECTED) {
            SELECTED.put(key, chosen);
        }
        return chosen;
    }

    /**
     * The hyperparameters last chosen, by their exact inputs. The selection is a pure function of them and takes
     * about a fifth of a proposal at 500 observations (each grid point costs a factorisation); asking again with
     * nothing newly measured (configs in flight, {@code ask} after a stop, {@code recommend --space} after
     * {@code ask}, a page that shows the next proposal) selects on the same rows, so it is looked up instead. A
     * new measurement changes the rows and misses. Small and bounded: one entry per model of the last few asks.
     */
    private static final int SELECTED_SIZE = 32;
    private static final Map<SelectionKey, Hyper> SELECTED = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SelectionKey, Hyper> eldest) {
            return size() > SELECTED_SIZE;
        }
    };

    /** The inputs of one selection, compared by value (copies, so a caller's later changes cannot alter a key). */
    private static final class SelectionKey {
        private final double[][] x;
        private final double[] y;
        private final int[] groups;
        private final int groupCount;
        private final double ridge;
        private final int hash;

        SelectionKey(double[][] x, double[] y, int[] groups, int groupCount, double ridge) {
            this.x = new double[x.length][];
            for (int i = 0; i < x.length; i++) {
                this.x[i] = x[i].clone();
            }
            this.y = y.clone();
            this.groups = groups.clone();
            this.groupCount = groupCount;
            this.ridge = ridge;
            this.hash = Objects.hash(Arrays.deepHashCode(this.x), Arrays.hashCode(this.y), Arrays.hashCode(this.groups),
                    groupCount, ridge);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SelectionKey k && k.hash == hash && k.groupCount == groupCount
                    && Double.compare(k.ridge, ridge) == 0 && Arrays.equals(k.y, y) && Arrays.equals(k.groups, groups)
                    && Arrays.deepEquals(k.x, x);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    static Hyper choose(double[][] x, double[] y, int[] groups, int groupCount, double ridge) {
        Prior prior = GaussianProcess.prior(x, y, ridge);
        double[] lengths = new double[groupCount];
        double noise = DEFAULT_NOISE;
        if (y.length < MIN_POINTS_TO_FIT) {
            Arrays.fill(lengths, PRIOR_LENGTH);
            return hyper(lengths, groups, noise);
        }
        Arrays.fill(lengths, START_LENGTH);
        double best = score(x, y, prior, lengths, groups, noise);
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
                    double s = score(x, y, prior, lengths, groups, noise);
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
                double s = score(x, y, prior, lengths, groups, v);
                if (s > best) {
                    best = s;
                    keepNoise = v;
                }
            }
            noise = keepNoise;
        }
        return hyper(lengths, groups, noise);
    }

    private static double score(double[][] x, double[] y, Prior mean, double[] lengths, int[] groups, double noise) {
        double prior = 0;
        for (double l : lengths) {
            double t = Math.log(l / PRIOR_LENGTH);
            prior -= 0.5 * t * t;
        }
        try {
            return GaussianProcess.fit(x, y, hyper(lengths, groups, noise), mean).logMarginalLikelihood() + prior;
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
}
