package dev.autotune.runner.config;

import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TOML config an engineer passes to {@code autotune ingest --config}: any CloudAI test, scenario or test-run TOML,
 * or a plain TOML of knob values.
 *
 * @param path     the file
 * @param scenario top-level {@code scenario}, else top-level {@code name}; null when neither is a string
 * @param backend  top-level {@code backend}; else derived ({@link Backends#fromTemplate}) from top-level
 *                 {@code test_template_name}, else from {@code test_definition.test_template_name} (a CloudAI
 *                 {@code test-run.toml}); null when none is present
 * @param values   the whole file flattened to dotted keys ({@link Flattener}): Long, Double, Boolean, String, List
 * @param sha256   SHA-256 of the file's bytes
 */
public record ConfigFile(Path path, String scenario, String backend, Map<String, Object> values, String sha256) {
    public ConfigFile {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static ConfigFile read(Path file) throws ConfigException {
        TomlFiles.Read read = TomlFiles.read(file);
        TomlParseResult toml = read.toml();
        String scenario = named(file, toml, "scenario");
        if (scenario == null) {
            scenario = string(toml, "name");
        }
        String backend = named(file, toml, "backend");
        if (backend == null) {
            String template = string(toml, "test_template_name");
            if (template == null && toml.get(List.of("test_definition")) instanceof TomlTable td) {
                template = string(td, "test_template_name");
            }
            backend = Backends.fromTemplate(template);
        }
        return new ConfigFile(file, scenario, backend, Flattener.flatten(toml), read.sha256());
    }

    /**
     * autotune's own top-level keys: absent is fine, but one that is there must be a name, or the experiment would
     * silently be recorded under another scenario or backend than the file says.
     */
    private static String named(Path file, TomlTable t, String key) throws ConfigException {
        Object v = t.get(List.of(key));
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw new ConfigException(file, key, "must be a non-empty string, got " + (v instanceof String ? "\"\""
                    : TomlValues.render(v)));
        }
        return s;
    }

    static String string(TomlTable t, String key) {
        Object v = t.get(List.of(key));
        return v instanceof String s && !s.isBlank() ? s : null;
    }
}
