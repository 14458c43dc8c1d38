package dev.autotune.api.cli;

import dev.autotune.api.app.UserError;
import dev.autotune.domain.KnobPath;
import dev.autotune.runner.config.TomlValues;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code key=value} options: {@code --set} knob values (typed like TOML) and {@code --metadata} strings. */
final class KeyValues {
    private KeyValues() {
    }

    static Map<String, String> raw(String option, List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : pairs == null ? List.<String>of() : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UserError(option + " '" + pair + "' must look like key=value");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return out;
    }

    static Map<String, Object> knobs(List<String> pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        raw("--set", pairs).forEach((key, text) -> {
            try {
                new KnobPath(key);
                out.put(key, TomlValues.toJava(TomlValues.parse(text)));
            } catch (IllegalArgumentException e) {
                throw new UserError("--set " + key + ": " + e.getMessage(), e);
            }
        });
        return out;
    }
}
