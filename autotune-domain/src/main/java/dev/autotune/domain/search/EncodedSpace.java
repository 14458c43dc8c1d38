package dev.autotune.domain.search;

import java.util.List;
import java.util.Map;

/**
 * A space's configs as the model sees them: the {@link Encoding} and each config's point, in {@link Spaces#configs}
 * order. Both depend on the space's configs alone, not on what was measured, and building them (every config's
 * values hashed and compared per knob) was a tenth of a proposal at 500 observations; the last few spaces' are kept.
 * Kept only for a space whose configs {@link SpaceIndex} keeps (an immutable list, the same instance on every ask),
 * so a list that could change is never looked up. The points are shared: nothing may write into them.
 */
record EncodedSpace(Encoding encoding, double[][] points) {
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
        EncodedSpace encoded = new EncodedSpace(encoding, points);
        if (kept) {
            synchronized (RECENT) {
                RECENT[next] = new Entry(space, configs, encoded);
                next = (next + 1) % KEPT;
            }
        }
        return encoded;
    }
}
