package dev.autotune.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Java form for knob values wherever they come from: TOML gives Long and Double, but Jackson reads a JSON
 * integer back as Integer when it fits, so a config that went through the event store would no longer equal the same
 * config read from a space file. Every study event and every amended experiment config passes its values through
 * here: integers become Long, other numbers Double; strings and booleans stay as they are; lists and maps are
 * converted element by element (maps sorted by key, so stored JSON is deterministic).
 */
public final class CanonicalValues {
    private CanonicalValues() {
    }

    public static Object canonical(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger b) {
            return b.longValueExact();
        }
        if (value instanceof Float || value instanceof BigDecimal) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(canonical(v)));
            return Collections.unmodifiableList(out);
        }
        if (value instanceof Map<?, ?> map) {
            return config(map);
        }
        return value;
    }

    /** A config (knob path -> value) in canonical form, sorted by path. */
    public static Map<String, Object> config(Map<?, ?> config) {
        TreeMap<String, Object> out = new TreeMap<>();
        if (config != null) {
            config.forEach((k, v) -> out.put(String.valueOf(k), canonical(v)));
        }
        return Collections.unmodifiableSortedMap(out);
    }
}
