package dev.autotune.domain.search;

import dev.autotune.domain.Budget;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Lookups over one space, built once: each knob's values by value, the space's parsed constraints and its candidates
 * (in the knobs' domains). A study's page and every ask test each recorded experiment against the space, and a space
 * may list 200,000 candidates and knobs with as many values: scanning them per experiment made one GET take minutes.
 * The last few spaces are kept by identity (a space is an immutable record, and the same instance is asked again and
 * again within a request), so nothing here hashes a whole space.
 */
final class SpaceIndex {
    private static final int KEPT = 4;
    private static final SpaceIndex[] RECENT = new SpaceIndex[KEPT];
    private static int next;

    private final SearchSpace space;
    private final Map<Knob, Values> knobs = new java.util.IdentityHashMap<>();
    private List<Expression> constraints;
    private Set<Map<String, Object>> candidates;
    private Optional<Expression> gpus;
    private List<Map<String, Object>> configs;
    private Map<Map<String, Object>, Integer> positions;
    private Map<List<Object>, Integer> positionsByValues;
    private List<Budget> budgets;

    private SpaceIndex(SearchSpace space) {
        this.space = space;
    }

    static SpaceIndex of(SearchSpace space) {
        synchronized (RECENT) {
            for (SpaceIndex i : RECENT) {
                if (i != null && i.space == space) {
                    return i;
                }
            }
            SpaceIndex index = new SpaceIndex(space);
            RECENT[next] = index;
            next = (next + 1) % KEPT;
            return index;
        }
    }

    synchronized List<Expression> constraints() {
        if (constraints == null) {
            constraints = Spaces.constraints(space);
        }
        return constraints;
    }

    /**
     * The parsed GPU-count expression, or null when the space has none. Every observation's per-GPU metrics need it
     * (twice per observation per proposal); parsing it each time was a twentieth of a proposal at 500 observations.
     */
    synchronized Expression gpus() {
        if (gpus == null) {
            gpus = Optional.ofNullable(Spaces.gpuExpression(space));
        }
        return gpus.orElse(null);
    }

    /** The parsed hard budgets (unmodifiable); every observation's evaluation checks them. */
    synchronized List<Budget> budgets() {
        if (budgets == null) {
            budgets = List.copyOf(Spaces.parseBudgets(space));
        }
        return budgets;
    }

    /**
     * Spaces with at most this many configs keep them ({@link #configs}); larger ones (up to
     * {@link Spaces#MAX_CONFIGS}) are enumerated on every call as before, so the few spaces kept here cannot hold
     * hundreds of megabytes.
     */
    static final int KEPT_CONFIGS = 10_000;

    /**
     * {@link Spaces#configs} (immutable: an unmodifiable list of unmodifiable maps), enumerated once for a space
     * of at most {@link #KEPT_CONFIGS}: every proposal enumerated and hashed all of them again (2,560 maps in the
     * proposal-time benchmark's space).
     */
    synchronized List<Map<String, Object>> configs() {
        if (configs != null) {
            return configs;
        }
        List<Map<String, Object>> all = Spaces.enumerate(space);
        if (all.size() <= KEPT_CONFIGS) {
            configs = all;
        }
        return all;
    }

    /** Each of {@link #configs} by value: its position (unmodifiable; kept like the configs). */
    synchronized Map<Map<String, Object>, Integer> positions() {
        if (positions != null) {
            return positions;
        }
        List<Map<String, Object>> all = configs();
        Map<Map<String, Object>, Integer> byConfig = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            byConfig.put(all.get(i), i);
        }
        Map<Map<String, Object>, Integer> out = java.util.Collections.unmodifiableMap(byConfig);
        if (all.size() <= KEPT_CONFIGS) {
            positions = out;
        }
        return out;
    }

    /**
     * Each of {@link #configs} by its values in knob order ({@link Spaces#domainValues}): its position (kept like the
     * configs). A proposal looks every observation up: a list of values hashes better than a config map (whose
     * hash, a sum over its entries, collides often) and needs no map built per lookup.
     */
    synchronized Map<List<Object>, Integer> positionsByValues() {
        if (positionsByValues != null) {
            return positionsByValues;
        }
        List<Map<String, Object>> all = configs();
        Map<List<Object>, Integer> byValues = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            byValues.put(List.copyOf(all.get(i).values()), i);
        }
        Map<List<Object>, Integer> out = java.util.Collections.unmodifiableMap(byValues);
        if (all.size() <= KEPT_CONFIGS) {
            positionsByValues = out;
        }
        return out;
    }

    /** The candidates in the knobs' domains; null when the space lists none. */
    synchronized Set<Map<String, Object>> candidates() {
        if (candidates == null && space.candidates() != null) {
            Set<Map<String, Object>> set = new HashSet<>();
            for (Map<String, Object> c : space.candidates()) {
                Spaces.inDomain(space, c).ifPresent(set::add);
            }
            candidates = set;
        }
        return candidates;
    }

    synchronized Values values(Knob knob) {
        return knobs.computeIfAbsent(knob, Values::new);
    }

    /** One knob's values, found by value in constant or logarithmic time. */
    static final class Values {
        private final Knob knob;
        /** Numbers: the values ascending, with each one's place in the knob's list. */
        private final double[] sorted;
        private final int[] place;
        /** Categories: by the value itself and by how it reads, the first listed winning as in a scan. */
        private final Map<Object, Object> byValue = new HashMap<>();
        private final Map<String, Object> byText = new HashMap<>();

        Values(Knob knob) {
            this.knob = knob;
            List<Object> values = knob.values();
            if (knob.kind() == Knob.Kind.NUMBER) {
                Integer[] order = new Integer[values.size()];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (a, b) -> Double.compare(((Number) values.get(a)).doubleValue(),
                        ((Number) values.get(b)).doubleValue()));
                sorted = new double[order.length];
                place = new int[order.length];
                for (int i = 0; i < order.length; i++) {
                    sorted[i] = ((Number) values.get(order[i])).doubleValue();
                    place[i] = order[i];
                }
            } else {
                sorted = null;
                place = null;
                for (Object d : values) {
                    byValue.putIfAbsent(d, d);
                    byText.putIfAbsent(String.valueOf(d), d);
                }
            }
        }

        /**
         * The first listed value within {@code 1e-9} (relative) of {@code x}, as a scan of the list in order finds
         * it: such values lie within a window of twice that around x, found by binary search.
         */
        Optional<Object> number(double x) {
            if (Double.isNaN(x)) {
                return Optional.empty();
            }
            double slack = 2e-9 * Math.abs(x);
            int i = lowerBound(x - slack);
            int best = -1;
            for (; i < sorted.length && sorted[i] <= x + slack; i++) {
                double y = sorted[i];
                if ((x == y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)))
                        && (best < 0 || place[i] < best)) {
                    best = place[i];
                }
            }
            return best < 0 ? Optional.empty() : Optional.of(knob.values().get(best));
        }

        private int lowerBound(double v) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] < v) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** The first listed category equal to {@code v} or reading as {@code text}. */
        Optional<Object> category(Object v, String text) {
            Object byV = byValue.get(v);
            Object byT = byText.get(text);
            if (byV == null || byT == null) {
                return Optional.ofNullable(byV != null ? byV : byT);
            }
            // both match: the one listed first, as a scan of the list finds it
            return Optional.of(knob.values().indexOf(byV) <= knob.values().indexOf(byT) ? byV : byT);
        }
    }
}
