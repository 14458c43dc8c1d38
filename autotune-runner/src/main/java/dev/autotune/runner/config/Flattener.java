package dev.autotune.runner.config;

import org.tomlj.Toml;
import org.tomlj.TomlTable;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Flattens nested tables into dotted keys, the way CloudAI's {@code flatten_dict} names DSE actions:
 * {@code {serving = {batch_size = 4}}} becomes {@code serving.batch_size -> 4}.
 *
 * <ul>
 *   <li>Nested tables (including inline tables) are walked; an empty table contributes nothing.</li>
 *   <li>Arrays are leaves and become Java lists (arrays of tables become lists of maps).</li>
 *   <li>Values are Long, Double, Boolean, String or List (dates become ISO text).</li>
 *   <li>A key segment that is not a TOML bare key ({@code A-Za-z0-9_-}) is written TOML-quoted, e.g.
 *       {@code a."b.c"}, so every flattened key is also a valid dotted key for {@link ConfigDeriver}.</li>
 *   <li>Order is the file's order.</li>
 * </ul>
 */
public final class Flattener {
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_\\-]+");

    private Flattener() {
    }

    public static Map<String, Object> flatten(TomlTable table) {
        return flatten((Map<?, ?>) TomlValues.toJava(table));
    }

    public static Map<String, Object> flatten(Map<?, ?> nested) {
        Map<String, Object> out = new LinkedHashMap<>();
        walk(nested, "", out);
        return Collections.unmodifiableMap(out);
    }

    /** Joins one more key segment onto a dotted prefix, quoting the segment when it is not a bare key. */
    public static String join(String prefix, String segment) {
        String seg = BARE.matcher(segment).matches() ? segment : Toml.joinKeyPath(List.of(segment));
        return prefix.isEmpty() ? seg : prefix + "." + seg;
    }

    private static void walk(Map<?, ?> m, String prefix, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = join(prefix, String.valueOf(e.getKey()));
            Object v = TomlValues.toJava(e.getValue());
            if (v instanceof Map<?, ?> sub) {
                walk(sub, key, out);
            } else {
                out.put(key, v);
            }
        }
    }
}
