package dev.autotune.runner.config;

import org.tomlj.MutableTomlArray;
import org.tomlj.MutableTomlTable;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives a new TOML config from a base one by applying dotted-key overrides.
 *
 * <p>Writing uses tomlj 2.2.0's own source-preserving serializer ({@code TomlTable.toToml()}): untouched lines,
 * comments, table layout and arrays of tables come out as they were read, and changed values are written in place.
 * The output is re-parsed before it is written, so a file this class writes is always valid TOML.
 *
 * <p>Keys are TOML dotted keys ({@code cmd_args.decode.max_num_batched_tokens}, quoted segments allowed:
 * {@code a."b.c"}). A purely numeric segment indexes into an array of tables, 0-based, e.g.
 * {@code Tests.1.cmd_args.decode.tensor_parallel_size} or {@code cmd_args.aiperf_phases.0.args.concurrency}. Values
 * are typed by {@link TomlValues}.
 *
 * <p>Rules: a key that does not exist is an error unless {@code create} (then missing tables are created); an
 * existing {@code out} is only overwritten with {@code force}; a value that does not parse or does not fit the
 * existing type, a path through a non-table, replacing a table with a scalar, an unreadable or invalid base all throw
 * {@link ConfigException} with a one-line message naming the file and the key.
 */
public final class ConfigDeriver {

    /** The written file, its SHA-256, and the applied values (dotted key → plain Java value) in override order. */
    public record Derived(Path out, String sha256, Map<String, Object> applied) {
        public Derived {
            applied = Collections.unmodifiableMap(new LinkedHashMap<>(applied));
        }
    }

    /** A derived config as text, not yet written: the TOML and the applied values in override order. */
    public record Text(String toml, Map<String, Object> applied) {
        public Text {
            applied = Collections.unmodifiableMap(new LinkedHashMap<>(applied));
        }
    }

    public Derived derive(Path base, Path out, Map<String, String> overrides, boolean create, boolean force)
            throws ConfigException {
        if (out == null) {
            throw new ConfigException(null, null, "no output file given");
        }
        if (Files.exists(out) && !force) {
            throw new ConfigException(out, null, "already exists; pass --force to overwrite it");
        }
        if (Files.isDirectory(out)) {
            throw new ConfigException(out, null, "is a directory");
        }
        Text text = text(base, overrides, create, out);
        byte[] bytes = text.toml().getBytes(StandardCharsets.UTF_8);
        write(out, bytes);
        return new Derived(out, Hashing.sha256(bytes), text.applied());
    }

    /**
     * {@code base} with the overrides applied, as text: what {@link #derive} writes, for callers that hand the
     * config on instead of writing it (the dashboard's download).
     */
    public Text text(Path base, Map<String, String> overrides, boolean create) throws ConfigException {
        return text(base, overrides, create, base);
    }

    /**
     * A config holding only knob values, for when no base file is known: {@code knobs} (dotted keys, plain Java
     * values) with the overrides applied, one dotted key per line under the {@code header} comment lines.
     */
    public static Text knobValues(Map<String, Object> knobs, Map<String, String> overrides, List<String> header)
            throws ConfigException {
        Map<String, Object> values = new java.util.TreeMap<>(knobs);
        Map<String, Object> applied = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            Object value;
            try {
                value = TomlValues.parseFor(values.get(e.getKey()), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(null, e.getKey(), ex.getMessage());
            }
            values.put(e.getKey(), value);
            applied.put(e.getKey(), value);
        }
        StringBuilder toml = new StringBuilder();
        header.forEach(line -> toml.append("# ").append(line).append('\n'));
        values.forEach((k, v) -> toml.append(k).append(" = ").append(TomlValues.render(v)).append('\n'));
        TomlParseResult check = TomlFiles.parse(toml.toString());
        if (check.hasErrors()) {
            // a knob path that is not a valid TOML key, or a knob that is both a value and a table
            throw new ConfigException(null, null, "the knob values do not make a TOML file: " + check.errors().get(0));
        }
        return new Text(toml.toString(), applied);
    }

    private Text text(Path base, Map<String, String> overrides, boolean create, Path blame) throws ConfigException {
        TomlFiles.Read read = TomlFiles.read(base);
        TomlParseResult toml = read.toml();
        Map<String, Object> applied = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : (overrides == null ? Map.<String, String>of() : overrides).entrySet()) {
            Object value = apply(base, toml, e.getKey(), e.getValue(), create);
            applied.put(e.getKey().strip(), TomlValues.toJava(value));
        }
        String text = toml.toToml();
        TomlParseResult check;
        try {
            check = TomlFiles.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(blame, null, "internal error: derived TOML does not re-parse: " + e.getMessage());
        }
        if (check.hasErrors()) {
            throw new ConfigException(blame, null, "internal error: derived TOML does not re-parse: "
                    + check.errors().get(0));
        }
        return new Text(text, applied);
    }

    private static Object apply(Path file, MutableTomlTable root, String dottedKey, String text, boolean create)
            throws ConfigException {
        if (dottedKey == null || dottedKey.isBlank()) {
            throw new ConfigException(file, String.valueOf(dottedKey), "empty key");
        }
        String key = dottedKey.strip();
        List<String> path;
        try {
            path = Toml.parseDottedKey(key);
        } catch (RuntimeException ex) {
            throw new ConfigException(file, key, "not a valid dotted key (" + ex.getMessage() + ")");
        }
        if (path.isEmpty()) {
            throw new ConfigException(file, key, "not a valid dotted key");
        }
        MutableTomlTable table = root;
        StringBuilder walked = new StringBuilder();
        for (int i = 0; i < path.size() - 1; i++) {
            String seg = path.get(i);
            Object child = table.get(List.of(seg));
            appendSeg(walked, seg);
            if (child == null) {
                if (!create) {
                    throw new ConfigException(file, key, "'" + walked + "' does not exist (derive --create adds it)");
                }
                table = table.getOrCreateTable(List.of(seg));
                continue;
            }
            if (child instanceof MutableTomlTable t) {
                table = t;
            } else if (child instanceof TomlArray arr && isArrayOfTables(arr)) {
                String idx = path.get(++i);
                appendSeg(walked, idx);
                int n = parseIndex(idx);
                if (n < 0) {
                    throw new ConfigException(file, key, "'" + walked.substring(0, walked.length() - idx.length() - 1)
                            + "' is an array of tables; index it with a number, e.g. " + walked.substring(0,
                            walked.length() - idx.length()) + "0");
                }
                if (n >= arr.size()) {
                    throw new ConfigException(file, key, "index " + n + " is out of range: '"
                            + walked.substring(0, walked.length() - idx.length() - 1) + "' has " + arr.size()
                            + " entries");
                }
                if (i == path.size() - 1) {
                    throw new ConfigException(file, key, "replacing a whole table in an array of tables is not"
                            + " supported; set one of its keys");
                }
                Object t = ((MutableTomlArray) arr).getTable(n);
                table = (MutableTomlTable) t;
            } else {
                throw new ConfigException(file, key, "'" + walked + "' is " + article(TomlValues.typeName(child))
                        + ", not a table, so it has no sub-keys");
            }
        }
        String last = path.get(path.size() - 1);
        Object existing = table.get(List.of(last));
        if (existing == null && !create) {
            throw new ConfigException(file, key, "does not exist (derive --create adds it)");
        }
        Object value;
        try {
            value = TomlValues.coerce(existing, TomlValues.parseNative(text));
        } catch (IllegalArgumentException ex) {
            throw new ConfigException(file, key, ex.getMessage());
        }
        if (existing instanceof TomlArray arr && isArrayOfTables(arr) && !(value instanceof TomlArray)) {
            throw new ConfigException(file, key, "is an array of tables; set keys inside it, e.g. " + key
                    + ".0.<key>, or give a whole array");
        }
        try {
            table.set(List.of(last), TomlValues.toTomlj(value));
        } catch (RuntimeException ex) {
            throw new ConfigException(file, key, "cannot set: " + ex.getMessage());
        }
        return value;
    }

    private static boolean isArrayOfTables(TomlArray arr) {
        if (arr.isEmpty()) {
            return false;
        }
        for (int i = 0; i < arr.size(); i++) {
            if (!arr.isTable(i)) {
                return false;
            }
        }
        return true;
    }

    private static int parseIndex(String s) {
        if (s.isEmpty() || s.length() > 6 || !s.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(s);
    }

    private static void appendSeg(StringBuilder sb, String seg) {
        if (!sb.isEmpty()) {
            sb.append('.');
        }
        sb.append(Flattener.join("", seg));
    }

    private static String article(String type) {
        return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
    }

    private static void write(Path out, byte[] bytes) throws ConfigException {
        Path abs = out.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (FileAlreadyExistsException e) {
            throw new ConfigException(out, null, "cannot write: a file is in the way: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(out, null, "cannot write: " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}
