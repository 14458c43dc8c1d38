package dev.autotune.domain.search;

import java.util.Arrays;

/**
 * The exact argmax of a value that is costly to compute (a posterior variance each: a triangular solve), over
 * candidates whose upper bounds are cheap: values are computed a chunk at a time in descending order of the bound,
 * until no bound left can beat the best value found. Exact as long as every bound is at least its value; ties in
 * value go to the lower candidate index. In a large space only a small part of it is ever computed.
 */
final class PrunedArgmax {
    private PrunedArgmax() {
    }

    /** The values of some candidates (positions into the bounds), in the order given. */
    interface Values {
        double[] of(int[] candidates);
    }

    /** @param index the candidate with the largest value (-1 when there is none); @param value that value */
    record Best(int index, double value) {
    }

    /**
     * @param bound an upper bound of each candidate's value; values are never below 0 and start from -1, so the
     *              first chunk is always computed
     */
    static Best argmax(double[] bound, int chunk, Values values) {
        return argmax(bound, chunk, values, Double.POSITIVE_INFINITY);
    }

    /**
     * {@link #argmax}, but done as soon as a value reaches {@code enough}: then the best found so far, which is
     * at least {@code enough} (for a caller that only asks whether the largest is below it).
     */
    static Best argmax(double[] bound, int chunk, Values values, double enough) {
        Integer[] order = new Integer[bound.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> bound[a] != bound[b] ? Double.compare(bound[b], bound[a]) : Integer.compare(a, b));
        int choice = -1;
        double top = -1;
        for (int from = 0; from < order.length && bound[order[from]] > top && top < enough; from += chunk) {
            int to = Math.min(order.length, from + chunk);
            int[] part = new int[to - from];
            for (int r = 0; r < part.length; r++) {
                part[r] = order[from + r];
            }
            double[] v = values.of(part);
            for (int r = 0; r < part.length; r++) {
                if (v[r] > top || v[r] == top && part[r] < choice) {
                    top = v[r];
                    choice = part[r];
                }
            }
        }
        return new Best(choice, top);
    }
}
