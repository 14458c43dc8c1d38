package dev.autotune.runner.space;

import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;
import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.Objective;
import dev.autotune.domain.search.SearchSpace;
import dev.autotune.domain.search.SoftSlo;
import dev.autotune.domain.search.SpaceError;
import dev.autotune.domain.search.Spaces;
import dev.autotune.domain.search.Strategies;
import dev.autotune.runner.config.ConfigException;
import dev.autotune.runner.config.TomlFiles;
import dev.autotune.runner.config.TomlValues;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A search space declared in TOML, read into a {@link SearchSpace} and checked with {@link Spaces#validate}. Every
 * problem is one {@link ConfigException} naming the file and the key, e.g. {@code vllm.toml: key
 * 'knobs."cmd_args.tp"': empty range: end 1 is below start 8}.
 *
 * <pre>
 * scenario = "gptoss-120b-h200-1k1k"                 # the experiments' scenario
 * objective = "maximize throughput_tokens_per_sec_per_gpu"
 * gpus = "cmd_args.serve.tensor_parallel_size * cmd_args.serve.pipeline_parallel_size"   # optional
 * budgets = ["latency_p95_ms &lt;= 200"]             # optional, `check --metric` syntax
 * constraints = ["cmd_args.serve.max_num_batched_tokens &gt;= cmd_args.serve.max_num_seqs"]   # optional
 * soft_slos = ["ttft_ms &lt;= 50"]                    # optional, or {slo = "ttft_ms &lt;= 50", weight = 2.0}
 * soft_slo_weight = 1.0                              # optional, the weight of plain-string soft SLOs
 * pareto = "latency_p95_ms"                          # optional second objective ("minimize ..." also accepted)
 * strategy = "model"                                 # optional default for studies of this space
 * seed = 7                                           # optional default seed
 * base_test = "conf/tests/vllm.toml"                 # optional; else the [cloudai] scenario's test
 * candidates = [{ "cmd_args.serve.tensor_parallel_size" = 1, ... }]   # optional, or [[candidates]] tables
 *
 * [knobs]
 * "cmd_args.serve.tensor_parallel_size" = [1, 2, 4, 8]                # listed values
 * "cmd_args.serve.max_num_seqs" = { start = 16, end = 512, step = 16 } # a range (log = true allowed)
 * "cmd_args.serve.max_num_batched_tokens" = { values = [2048, 4096], log = true }
 *
 * [cloudai]                 # what `tune` runs; relative paths are relative to this file
 * scenario = "conf/scenario.toml"
 * tests_dir = "conf/tests"
 * </pre>
 *
 * @param strategy  the space's default strategy, null when it names none
 * @param seed      the space's default seed, null when it names none
 * @param baseTest  {@code base_test} resolved against the file's directory, null when not given
 * @param cloudai   the {@code [cloudai]} table, null when absent
 */
public record SpaceFile(Path path, SearchSpace space, String strategy, Long seed, Path baseTest, Cloudai cloudai,
                        String sha256) {

    /** What `tune` runs: a one-test CloudAI scenario and the tests dir its test_name is looked up in. */
    public record Cloudai(Path scenario, Path testsDir) {
    }

    private static final Set<String> KEYS = Set.of("scenario", "objective", "gpus", "budgets", "constraints",
            "soft_slos", "soft_slo_weight", "pareto", "second_objective", "strategy", "seed", "base_test",
            "candidates", "knobs", "cloudai");
    private static final Set<String> RANGE_KEYS = Set.of("start", "end", "step", "values", "log");

    public static SpaceFile read(Path file) throws ConfigException {
        return read(file, null);
    }

    /**
     * A space file whose paths ({@code base_test}, {@code [cloudai]}) must lie under one of {@code within} (a server
     * reads spaces for clients: a path elsewhere is refused whether or not it exists, so no client learns what the
     * server's disk holds); null for the user's own files.
     */
    public static SpaceFile read(Path file, List<Path> within) throws ConfigException {
        TomlFiles.Read read = TomlFiles.read(file);
        try {
            return parse(file, read.toml(), read.sha256(), within);
        } catch (SpaceError e) {
            throw new ConfigException(file, e.field(), problem(e));
        }
    }

    private static SpaceFile parse(Path file, TomlParseResult toml, String sha256, List<Path> within)
            throws ConfigException {
        for (String key : toml.keySet()) {
            if (!KEYS.contains(key)) {
                throw new SpaceError(key, "unknown key (known: " + String.join(", ", KEYS.stream().sorted().toList())
                        + ")");
            }
        }
        String scenario = string(toml, "scenario", true);
        Objective objective = Objective.parse(string(toml, "objective", true), "objective");
        String gpus = string(toml, "gpus", false);
        List<String> budgets = strings(toml, "budgets");
        for (int i = 0; i < budgets.size(); i++) {
            try {
                Budget.parse(budgets.get(i));
            } catch (IllegalArgumentException e) {
                throw new SpaceError("budgets[" + i + "]", e.getMessage());
            }
        }
        List<String> constraints = strings(toml, "constraints");
        List<SoftSlo> softSlos = softSlos(toml);
        Objective second = second(toml);
        String strategy = string(toml, "strategy", false);
        if (strategy != null) {
            Strategies.byName(strategy);
        }
        Long seed = null;
        if (toml.contains("seed")) {
            if (!(toml.get("seed") instanceof Long l)) {
                throw new SpaceError("seed", "must be an integer");
            }
            seed = l;
        }
        List<Knob> knobs = knobs(toml);
        List<Map<String, Object>> candidates = candidates(toml);
        Path dir = file.toAbsolutePath().normalize().getParent();
        String baseTestText = string(toml, "base_test", false);
        Path baseTest = baseTestText == null ? null : existing(dir, baseTestText, "base_test", false, within);
        Cloudai cloudai = null;
        if (toml.contains("cloudai")) {
            if (!(toml.get("cloudai") instanceof TomlTable t)) {
                throw new SpaceError("cloudai", "must be a table: [cloudai] with scenario and tests_dir");
            }
            for (String key : t.keySet()) {
                if (!Set.of("scenario", "tests_dir").contains(key)) {
                    throw new SpaceError("cloudai." + key, "unknown key (known: scenario, tests_dir)");
                }
            }
            String scenarioFile = string(t, "scenario", "cloudai.scenario", true);
            String testsDir = string(t, "tests_dir", "cloudai.tests_dir", false);
            cloudai = new Cloudai(existing(dir, scenarioFile, "cloudai.scenario", false, within),
                    testsDir == null ? null : existing(dir, testsDir, "cloudai.tests_dir", true, within));
        }
        SearchSpace space = new SearchSpace(scenario, knobs, constraints, gpus, objective, budgets, softSlos, second,
                candidates, baseTestText);
        Spaces.validate(space);
        return new SpaceFile(file, space, strategy, seed, baseTest, cloudai, sha256);
    }

    private static String problem(SpaceError e) {
        String prefix = e.field() + ": ";
        String m = e.getMessage();
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private static Path existing(Path dir, String text, String field, boolean directory, List<Path> within) {
        Path p;
        try {
            p = dir.resolve(text).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new SpaceError(field, "not a path");
        }
        if (within != null && !under(p, within)) {
            throw new SpaceError(field, "must lie under the server's own directories");
        }
        if (directory ? !Files.isDirectory(p) : !Files.isRegularFile(p)) {
            throw new SpaceError(field, p + (directory ? " is not a directory" : " does not exist"));
        }
        return p;
    }

    /** Whether {@code p} lies under one of {@code roots}, as written and after symlinks; never says if it exists. */
    public static boolean under(Path p, List<Path> roots) {
        Path abs = p.toAbsolutePath().normalize();
        for (Path root : roots) {
            Path r = root.toAbsolutePath().normalize();
            Path real;
            try {
                real = r.toRealPath();
            } catch (java.io.IOException e) {
                continue;
            }
            if (!abs.startsWith(r) && !abs.startsWith(real)) {
                continue;
            }
            Path existing = abs;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            try {
                if (existing != null && existing.toRealPath().startsWith(real)) {
                    return true;
                }
            } catch (java.io.IOException e) {
                // unreadable: not under
            }
        }
        return false;
    }

    private static String string(TomlTable toml, String key, boolean required) {
        return string(toml, key, key, required);
    }

    private static String string(TomlTable toml, String key, String field, boolean required) {
        Object v = toml.get(List.of(key));
        if (v == null) {
            if (required) {
                throw new SpaceError(field, "missing");
            }
            return null;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw new SpaceError(field, "must be a non-empty string");
        }
        return s.strip();
    }

    private static List<String> strings(TomlTable toml, String key) {
        Object v = toml.get(List.of(key));
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof TomlArray arr)) {
            throw new SpaceError(key, "must be a list of strings, e.g. [\"latency_p95_ms <= 200\"]");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            if (!(arr.get(i) instanceof String s) || s.isBlank()) {
                throw new SpaceError(key + "[" + i + "]", "must be a non-empty string");
            }
            out.add(s.strip());
        }
        return out;
    }

    private static List<SoftSlo> softSlos(TomlTable toml) {
        double defaultWeight = 1.0;
        Object w = toml.get("soft_slo_weight");
        if (w != null) {
            if (!(w instanceof Number n)) {
                throw new SpaceError("soft_slo_weight", "must be a number");
            }
            defaultWeight = n.doubleValue();
        }
        Object v = toml.get("soft_slos");
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof TomlArray arr)) {
            throw new SpaceError("soft_slos", "must be a list, e.g. [\"ttft_ms <= 50\"]");
        }
        List<SoftSlo> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            String field = "soft_slos[" + i + "]";
            Object item = arr.get(i);
            String text;
            double weight = defaultWeight;
            if (item instanceof String s) {
                text = s;
            } else if (item instanceof TomlTable t) {
                text = string(t, "slo", field + ".slo", true);
                if (t.contains("weight")) {
                    if (!(t.get("weight") instanceof Number n)) {
                        throw new SpaceError(field + ".weight", "must be a number");
                    }
                    weight = n.doubleValue();
                }
            } else {
                throw new SpaceError(field, "must be \"metric <= value\" or {slo = \"...\", weight = 1.0}");
            }
            Budget b;
            try {
                b = Budget.parse(text);
            } catch (IllegalArgumentException e) {
                throw new SpaceError(field, e.getMessage());
            }
            out.add(new SoftSlo(b.metric().key(), b.bound(), b.limit(), weight));
        }
        return out;
    }

    /** {@code pareto = "latency_p95_ms"} (the metric's own direction) or a full "minimize latency_p95_ms". */
    private static Objective second(TomlTable toml) {
        if (toml.contains("pareto") && toml.contains("second_objective")) {
            throw new SpaceError("pareto", "give pareto or second_objective, not both");
        }
        String key = toml.contains("pareto") ? "pareto" : "second_objective";
        String text = string(toml, key, false);
        if (text == null) {
            return null;
        }
        if (text.trim().contains(" ")) {
            return Objective.parse(text, key);
        }
        Metric m = Metric.byKey(text).orElse(null);
        boolean maximize = m == null ? text.contains("throughput") : m.direction() == Metric.Direction.HIGHER_IS_BETTER;
        return new Objective(text, maximize);
    }

    private static List<Knob> knobs(TomlTable toml) {
        Object v = toml.get("knobs");
        if (v == null) {
            throw new SpaceError("knobs", "missing: a space needs a [knobs] table");
        }
        if (!(v instanceof TomlTable table)) {
            throw new SpaceError("knobs", "must be a table: [knobs] with \"dotted.path\" = [values]");
        }
        List<Knob> out = new ArrayList<>();
        // quoted keys are one dotted path each; an unquoted a.b.c = ... makes nested tables, flattened here
        flattenKnobs(table, "", out);
        if (out.isEmpty()) {
            throw new SpaceError("knobs", "no knobs declared");
        }
        return out;
    }

    private static void flattenKnobs(TomlTable table, String prefix, List<Knob> out) {
        for (String key : table.keySet()) {
            String path = prefix + key;
            Object v = table.get(List.of(key));
            if (v instanceof TomlArray arr) {
                out.add(Knob.of(path, values(arr), false));
            } else if (v instanceof TomlTable t && !t.keySet().isEmpty() && RANGE_KEYS.containsAll(t.keySet())) {
                out.add(knob(path, t));
            } else if (v instanceof TomlTable t) {
                flattenKnobs(t, path + ".", out);
            } else {
                throw new SpaceError("knobs.\"" + path + "\"", "must be a list of values, {start, end, step} or "
                        + "{values = [...], log = true}");
            }
        }
    }

    private static Knob knob(String path, TomlTable t) {
        String field = "knobs.\"" + path + "\"";
        boolean log = false;
        if (t.contains("log")) {
            if (!(t.get("log") instanceof Boolean b)) {
                throw new SpaceError(field + ".log", "must be true or false");
            }
            log = b;
        }
        if (t.contains("values")) {
            if (t.contains("start") || t.contains("end") || t.contains("step")) {
                throw new SpaceError(field, "give values or start/end/step, not both");
            }
            if (!(t.get("values") instanceof TomlArray arr)) {
                throw new SpaceError(field + ".values", "must be a list");
            }
            return Knob.of(path, values(arr), log);
        }
        for (String k : List.of("start", "end", "step")) {
            if (!(t.get(k) instanceof Number)) {
                throw new SpaceError(field + "." + k, t.contains(k) ? "must be a number" : "missing");
            }
        }
        return Knob.range(path, (Number) t.get("start"), (Number) t.get("end"), (Number) t.get("step"), log);
    }

    private static List<Object> values(TomlArray arr) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            out.add(TomlValues.toJava(arr.get(i)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> candidates(TomlTable toml) {
        Object v = toml.get("candidates");
        if (v == null) {
            return null;
        }
        if (!(v instanceof TomlArray arr)) {
            throw new SpaceError("candidates", "must be a list of tables ([[candidates]] or [{...}, ...])");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            if (!(arr.get(i) instanceof TomlTable t)) {
                throw new SpaceError("candidates[" + i + "]", "must be a table of knob path = value");
            }
            Map<String, Object> config = new LinkedHashMap<>();
            flattenCandidate((Map<String, Object>) TomlValues.toJava(t), "", config);
            out.add(config);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void flattenCandidate(Map<String, Object> table, String prefix, Map<String, Object> out) {
        table.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                flattenCandidate((Map<String, Object>) m, prefix + k + ".", out);
            } else {
                out.put(prefix + k, v);
            }
        });
    }
}
