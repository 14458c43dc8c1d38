package dev.autotune.domain.analysis;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Knob values as they come back from JSON: Integer, Long, Double, Boolean, String or List. The same knob can
 * read back as 4 in one experiment and 4.0 or 4L in another, so comparisons go through the numeric value.
 */
public final class KnobValues {
    private KnobValues() {
    }

    /**
     * The knobs whose value differs between these configs, sorted: the ones a reader compares. A knob that holds one
     * value wherever it is recorded is a constant, not a knob of this set, even when some configs do not record it
     * at all: a run records every key of its test definition (docker_image_url, model, NUM_NODES) where an ingest
     * records only what was set, and those keys are not what the runs differ in. A constant is no column, axis or
     * series in any view (docs/KNOBS.md).
     */
    public static List<String> varying(Collection<? extends Map<String, Object>> configs) {
        TreeSet<String> keys = new TreeSet<>();
        configs.forEach(c -> keys.addAll(c.keySet()));
        List<String> varying = new ArrayList<>();
        for (String k : keys) {
            Object first = null;
            for (Map<String, Object> c : configs) {
                Object v = c.get(k);
                if (v == null) {
                    continue;
                }
                if (first == null) {
                    first = v;
                } else if (!same(first, v)) {
                    varying.add(k);
                    break;
                }
            }
        }
        return varying;
    }

    /**
     * The knobs that move together with {@code knob} over these configs: wherever both are recorded, each value of
     * one goes with exactly one value of the other, both ways ({@code concurrency} equal to {@code max_num_seqs} in
     * every run). The history cannot tell their effects apart, so a view that varies {@code knob} with the others
     * held still must let these move with it: held at one value, they would leave {@code knob} one value too.
     */
    public static List<String> movesWith(String knob, Collection<? extends Map<String, Object>> configs) {
        List<String> together = new ArrayList<>();
        for (String other : varying(configs)) {
            if (!other.equals(knob) && oneToOne(knob, other, configs)) {
                together.add(other);
            }
        }
        return together;
    }

    private static boolean oneToOne(String a, String b, Collection<? extends Map<String, Object>> configs) {
        Map<Object, Object> ab = new HashMap<>();
        Map<Object, Object> ba = new HashMap<>();
        for (Map<String, Object> c : configs) {
            Object x = c.get(a);
            Object y = c.get(b);
            if (x == null || y == null) {
                continue;
            }
            Object kx = key(x);
            Object ky = key(y);
            if (!Objects.equals(ab.computeIfAbsent(kx, k -> ky), ky)
                    || !Objects.equals(ba.computeIfAbsent(ky, k -> kx), kx)) {
                return false;
            }
        }
        // one shared value says nothing about moving together
        return ab.size() >= 2;
    }

    static boolean isNumber(Object value) {
        return value instanceof Number;
    }

    /**
     * Whether a value was written as an integer. JSON and TOML keep 4 and 4.0 apart, and an engineer who wrote
     * 0.5 or 4.0 means a float knob, so this looks at the type, not at whether the number happens to be whole.
     */
    static boolean isIntegerTyped(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger;
    }

    /** The exact decimal value of a number; doubles go through their shortest text so 0.8 stays 0.8. */
    static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (isIntegerTyped(n)) {
            return BigDecimal.valueOf(n.longValue());
        }
        return new BigDecimal(Double.toString(n.doubleValue()));
    }

    /**
     * Equality the way an engineer reads config: numbers by value (4 == 4L == 4.0), lists element by element,
     * anything else by equals.
     */
    public static boolean same(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return compare(x, y) == 0;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /**
     * A key under which values that are {@link #same} are equal, for grouping in a hash map instead of comparing
     * every value with every other: finite numbers as their exact decimal without trailing zeros, NaN and the
     * infinities as doubles, lists element by element, anything else as itself.
     */
    public static Object key(Object value) {
        if (value instanceof Number n) {
            return finite(n) ? decimal(n).stripTrailingZeros() : (Object) n.doubleValue();
        }
        if (value instanceof List<?> list) {
            List<Object> keys = new ArrayList<>(list.size());
            list.forEach(v -> keys.add(key(v)));
            return keys;
        }
        return value;
    }

    /** Numeric order by exact value; NaN and infinities, which have no decimal form, by their double order. */
    public static int compare(Number a, Number b) {
        if (!finite(a) || !finite(b)) {
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        return decimal(a).compareTo(decimal(b));
    }

    private static boolean finite(Number n) {
        double d = n.doubleValue();
        return !(n instanceof Double || n instanceof Float) || !(Double.isNaN(d) || Double.isInfinite(d));
    }
}
