package dev.autotune.runner.config;

import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A CloudAI test scenario TOML read for tracking: its name, and per {@code [[Tests]]} entry the knob values that run
 * will use.
 *
 * <p>Knobs of an entry are the {@code cmd_args} and {@code extra_env_vars} of the referenced test (found in the tests
 * dir by its top-level {@code name}; like CloudAI only {@code *.toml} directly in that dir are read), deep-merged
 * with the entry's own {@code [Tests.cmd_args]}/{@code [Tests.extra_env_vars]} overrides (tables merge, anything else
 * replaces), plus {@code NUM_NODES} when the entry or test sets {@code num_nodes}. An entry defined inline
 * ({@code test_template_name} instead of {@code test_name}) uses its own tables. Knob names follow {@link Knobs}.
 *
 * <p>A list-valued knob is a DSE sweep dimension, exactly as in CloudAI's {@code TestRun.param_space}: any list under
 * {@code cmd_args} not excluded by a {@code dse_excluded_args} prefix and not env-sampled ({@code env_params}), any
 * list under {@code extra_env_vars}, and a list {@code num_nodes}.
 *
 * <p>Problems that CloudAI itself would reject but that do not stop tracking (a test name not found, an unreadable
 * test TOML in the tests dir) are reported in {@link #warnings()} instead of failing.
 */
public record ScenarioFile(Path path, String name, List<TestEntry> tests, List<String> warnings, String sha256) {
    public ScenarioFile {
        tests = List.copyOf(tests);
        warnings = List.copyOf(warnings);
    }

    /**
     * One {@code [[Tests]]} entry.
     *
     * @param id           the entry id (also the results dir name)
     * @param testName     {@code test_name}, or null for an inline definition
     * @param templateName {@code test_template_name} of the resolved test, null when the test was not found
     * @param backend      {@link Backends#fromTemplate} of the template, else a guess from the test name; may be null
     * @param testFile     the test TOML the entry refers to, null for inline definitions or when not found
     * @param iterations   {@code iterations} (default 1)
     * @param knobs        knob name → value (lists for sweep dimensions), in file order
     * @param sweepKnobs   the knob names that are DSE sweep dimensions, in CloudAI's action order
     */
    public record TestEntry(String id, String testName, String templateName, String backend, Path testFile,
                            int iterations, Map<String, Object> knobs, List<String> sweepKnobs) {
        public TestEntry {
            knobs = Collections.unmodifiableMap(new LinkedHashMap<>(knobs));
            sweepKnobs = List.copyOf(sweepKnobs);
        }

        public boolean isSweep() {
            return !sweepKnobs.isEmpty();
        }

        /** How many grid-search steps the sweep has (product of the dimension sizes), 1 when not a sweep. */
        public int sweepSize() {
            int n = 1;
            for (String k : sweepKnobs) {
                n *= Math.max(1, ((List<?>) knobs.get(k)).size());
            }
            return n;
        }
    }

    public boolean isSweep() {
        return tests.stream().anyMatch(TestEntry::isSweep);
    }

    public TestEntry test(String id) {
        return tests.stream().filter(t -> t.id().equals(id)).findFirst().orElse(null);
    }

    public static ScenarioFile read(Path scenarioToml, Path testsDir) throws ConfigException {
        TomlFiles.Read read = TomlFiles.read(scenarioToml);
        TomlParseResult toml = read.toml();
        List<String> warnings = new ArrayList<>();
        String name = ConfigFile.string(toml, "name");
        if (name == null) {
            throw new ConfigException(scenarioToml, "name", "missing: a CloudAI scenario needs a top-level name");
        }
        Object testsValue = toml.get(List.of("Tests"));
        if (!(testsValue instanceof TomlArray testsArr) || testsArr.isEmpty()) {
            throw new ConfigException(scenarioToml, "Tests", "missing: a CloudAI scenario needs [[Tests]] entries");
        }
        Map<String, TestDef> defs = testsDir == null ? Map.of() : readTestsDir(testsDir, warnings);

        List<TestEntry> entries = new ArrayList<>();
        for (int i = 0; i < testsArr.size(); i++) {
            if (!testsArr.isTable(i)) {
                throw new ConfigException(scenarioToml, "Tests", "must be an array of tables ([[Tests]])");
            }
            entries.add(entry(scenarioToml, i, testsArr.getTable(i), defs, testsDir, warnings));
        }
        return new ScenarioFile(scenarioToml, name, entries, warnings, read.sha256());
    }

    private record TestDef(Path file, Map<String, Object> data) {
    }

    @SuppressWarnings("unchecked")
    private static TestEntry entry(Path file, int index, TomlTable t, Map<String, TestDef> defs, Path testsDir,
                                   List<String> warnings) throws ConfigException {
        Map<String, Object> entry = (Map<String, Object>) TomlValues.toJava(t);
        Object idValue = entry.get("id");
        if (!(idValue instanceof String id) || id.isBlank()) {
            throw new ConfigException(file, "Tests." + index + ".id", "missing: every [[Tests]] entry needs an id");
        }
        String testName = entry.get("test_name") instanceof String s ? s : null;
        Map<String, Object> base = Map.of();
        Path testFile = null;
        if (testName != null) {
            TestDef def = defs.get(testName);
            if (def != null) {
                base = def.data();
                testFile = def.file();
            } else if (testsDir == null) {
                warnings.add("test '" + testName + "' of " + id + " not looked up: no tests dir given;"
                        + " knobs come from the scenario overrides only");
            } else {
                warnings.add("test '" + testName + "' of " + id + " is not defined in " + testsDir
                        + "; knobs come from the scenario overrides only");
            }
        } else if (!(entry.get("test_template_name") instanceof String)) {
            warnings.add("[[Tests]] " + id + " has neither test_name nor test_template_name");
        }
        Map<String, Object> merged = deepMerge(base, entry);
        String template = merged.get("test_template_name") instanceof String s ? s : null;
        String backend = Backends.fromTemplate(template);
        if (backend == null && testName != null) {
            backend = guessBackend(testName);
        }
        Object numNodes = entry.containsKey("num_nodes") ? entry.get("num_nodes") : base.get("num_nodes");
        Map<?, ?> cmdArgs = merged.get("cmd_args") instanceof Map<?, ?> m ? m : null;
        Map<?, ?> env = merged.get("extra_env_vars") instanceof Map<?, ?> m ? m : null;
        Map<?, ?> bench = merged.get("bench_cmd_args") instanceof Map<?, ?> m ? m : null;
        Map<String, Object> knobs = Knobs.of(cmdArgs, env, bench, numNodes);

        List<String> excluded = new ArrayList<>();
        Object ex = merged.get("dse_excluded_args");
        if (ex instanceof String s) {
            excluded.add(s.strip());
        } else if (ex instanceof List<?> l) {
            l.forEach(o -> excluded.add(String.valueOf(o).strip()));
        }
        Set<String> envSampled = merged.get("env_params") instanceof Map<?, ?> m
                ? ((Map<String, Object>) m).keySet() : Set.of();
        List<String> sweep = new ArrayList<>();
        if (cmdArgs != null) {
            for (Map.Entry<String, Object> e : Flattener.flatten(cmdArgs).entrySet()) {
                String full = "cmd_args." + e.getKey();
                boolean isExcluded = excluded.stream().anyMatch(p -> full.equals(p) || full.startsWith(p + "."));
                if (e.getValue() instanceof List && !isExcluded && !envSampled.contains(e.getKey())) {
                    sweep.add(e.getKey());
                }
            }
        }
        if (env != null) {
            Flattener.flatten(env).forEach((k, v) -> {
                if (v instanceof List) {
                    sweep.add(Knobs.EXTRA_ENV_PREFIX + k);
                }
            });
        }
        if (numNodes instanceof List) {
            sweep.add(Knobs.NUM_NODES);
        }
        int iterations = entry.get("iterations") instanceof Long l ? l.intValue() : 1;
        return new TestEntry(id, testName, template, backend, testFile, iterations, knobs, sweep);
    }

    private static String guessBackend(String testName) {
        String n = testName.toLowerCase(java.util.Locale.ROOT);
        if (n.contains("sglang")) {
            return "sglang";
        }
        if (n.contains("dynamo")) {
            return "dynamo";
        }
        if (n.contains("vllm")) {
            return "vllm";
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, TestDef> readTestsDir(Path dir, List<String> warnings) throws ConfigException {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(dir, null, "tests dir does not exist or is not a directory");
        }
        Map<String, TestDef> defs = new LinkedHashMap<>();
        Map<Path, Boolean> files = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.toml")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    files.put(p, true);
                }
            }
        } catch (IOException e) {
            throw new ConfigException(dir, null, "cannot list tests dir: " + e, e);
        }
        for (Path p : files.keySet()) {
            try {
                TomlParseResult t = TomlFiles.read(p).toml();
                String name = ConfigFile.string(t, "name");
                if (name == null) {
                    warnings.add(p + ": test TOML without a name, ignored");
                    continue;
                }
                TestDef prev = defs.put(name, new TestDef(p, (Map<String, Object>) TomlValues.toJava(t)));
                if (prev != null) {
                    warnings.add("test '" + name + "' is defined twice (" + prev.file() + ", " + p + "); using "
                            + p);
                }
            } catch (ConfigException e) {
                warnings.add(e.getMessage());
            }
        }
        return defs;
    }

    /** CloudAI's deep_merge: tables merge recursively, anything else in {@code over} replaces. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        for (Map.Entry<String, Object> e : over.entrySet()) {
            Object b = out.get(e.getKey());
            if (b instanceof Map<?, ?> bm && e.getValue() instanceof Map<?, ?> om) {
                out.put(e.getKey(), deepMerge((Map<String, Object>) bm, (Map<String, Object>) om));
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
