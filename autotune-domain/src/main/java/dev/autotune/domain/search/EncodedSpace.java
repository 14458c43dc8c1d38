package dev.autotune.domain.search;

import java.util.List;
import java.util.Map;

/**
 * A space's configs as the model sees them: the {@link Encoding}, each config's point and, for a per-GPU objective,
 * the log of each config's GPU count ({@link #logGpus}, else null), in {@link Spaces#configs} order. All depend on the space's configs alone, not on what was measured, and building them (every config's
 * values hashed and compared per knob) was a tenth of a proposal at 500 observations; the last few spaces' are kept.
 * Kept only for a space whose configs {@link SpaceIndex} keeps (an immutable list, the same instance on every ask),
 * so a list that could change is never looked up. The points are shared: nothing may write into them.
 */
record EncodedSpace(Encoding encoding, double[][] points, double[] logGpus) {
    private static final int KEPT = 4;
    private static final Entry[] RECENT = new Entry[KEPT];
    private static int next;

    private record Entry(SearchSpace space, List<Map<String, Object>> configs, EncodedSpace encoded) {
    }

    static EncodedSpace of(SearchSpace space, List<Map<String, Object>> configs) {
        boolean kept = configs == SpaceIndex.of(space).configs();
        if (kept) {
            synchronized (RECENT) {
                for (Entry e : RECENT) {
                    if (e != null && e.space == space && e.configs == configs) {
                        return e.encoded;
                    }
                }
            }
        }
        Encoding encoding = Encoding.of(space, configs);
        double[][] points = new double[configs.size()][];
        for (int i = 0; i < points.length; i++) {
            points[i] = encoding.encode(configs.get(i));
        }
        EncodedSpace encoded = new EncodedSpace(encoding, points, logGpus(space, configs));
        if (kept) {
            synchronized (RECENT) {
                RECENT[next] = new Entry(space, configs, encoded);
                next = (next + 1) % KEPT;
            }
        }
        return encoded;
    }

    /**
     * The log of each config's GPU count when the objective is a per-GPU metric (the space's base metric over its
     * {@code gpus}), else null; also null when a count is not positive, where the log means nothing.
     */
    private static double[] logGpus(SearchSpace space, List<Map<String, Object>> configs) {
        if (space.gpus() == null || !Spaces.PER_GPU.containsKey(space.objective().metric())) {
            return null;
        }
        double[] out = new double[configs.size()];
        for (int i = 0; i < out.length; i++) {
            double g = Spaces.gpus(space, configs.get(i)).orElse(Double.NaN);
            if (!(g > 0)) {
                return null;
            }
            out[i] = Math.log(g);
        }
        return out;
    }
}
