package dev.autotune.runner.space;

import dev.autotune.runner.config.ConfigDeriver;
import dev.autotune.runner.config.ConfigFile;
import dev.autotune.runner.config.Knobs;
import dev.autotune.runner.config.ConfigException;
import dev.autotune.runner.config.ScenarioFile;
import dev.autotune.runner.config.TomlValues;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CloudAI files of one trial: the space's one-test scenario and its test, each with the trial's knob values set
 * (knob paths are paths inside the test definition). The scenario entry carries the values too, because CloudAI
 * merges a scenario's overrides over the test and an override the space did not set would otherwise win. The
 * scenario is renamed to the space's scenario, so the experiment is recorded under it.
 */
public final class TrialFiles {
    private final ConfigDeriver deriver = new ConfigDeriver();

    /** Where the trial's files went: pass them to `cloudai run`. */
    public record Written(Path scenario, Path testsDir, Path test) {
    }

    /** The [cloudai] scenario of a space, checked to hold exactly one test. */
    public static ScenarioFile.TestEntry oneTest(SpaceFile space) throws ConfigException {
        SpaceFile.Cloudai cloudai = space.cloudai();
        if (cloudai == null) {
            throw new ConfigException(space.path(), "cloudai", "missing: tune needs a [cloudai] table with the "
                    + "one-test scenario each trial runs");
        }
        ScenarioFile scenario = ScenarioFile.read(cloudai.scenario(), cloudai.testsDir());
        if (scenario.tests().size() != 1) {
            throw new ConfigException(cloudai.scenario(), "Tests", "has " + scenario.tests().size()
                    + " entries; a space's scenario runs exactly one test");
        }
        if (scenario.tests().get(0).isSweep()) {
            throw new ConfigException(cloudai.scenario(), "Tests", "is a DSE sweep (list-valued "
                    + scenario.tests().get(0).sweepKnobs() + "); the space's knobs replace the sweep");
        }
        return scenario.tests().get(0);
    }

    /**
     * Checks a space against the CloudAI test it will run, before anything is recorded: every knob must be a key of
     * the merged test definition (the test file plus the scenario's overrides, and {@code base_test} when given),
     * else CloudAI would run the base value and the results would be filed under a config that never ran. A space
     * without {@code [cloudai]} runs nothing (ask and tell) and is not checked.
     *
     * @throws ConfigException naming the knob and the nearest key the test has
     */
    public static void checkKnobs(SpaceFile space) throws ConfigException {
        if (space.cloudai() == null) {
            return;
        }
        ScenarioFile.TestEntry test = oneTest(space);
        java.util.Set<String> keys = new java.util.TreeSet<>();
        test.knobs().keySet().forEach(k -> keys.add(spacePath(k)));
        if (space.baseTest() != null) {
            keys.addAll(ConfigFile.read(space.baseTest()).values().keySet());
        }
        for (dev.autotune.domain.search.Knob k : space.space().knobs()) {
            if (keys.contains(k.path())) {
                continue;
            }
            org.apache.commons.text.similarity.LevenshteinDistance distance =
                    org.apache.commons.text.similarity.LevenshteinDistance.getDefaultInstance();
            String nearest = keys.stream().min(java.util.Comparator.comparingInt(key -> distance.apply(key, k.path())))
                    .orElse(null);
            throw new ConfigException(space.path(), "knobs.\"" + k.path() + "\"", "is not a key of CloudAI test '"
                    + test.testName() + "' (" + (test.testFile() == null ? "the scenario's overrides"
                    : test.testFile().getFileName() + " with the scenario's overrides") + ")"
                    + (nearest == null ? "" : "; nearest: " + nearest)
                    + "; declare it in the test with its base value");
        }
    }

    /** A test-definition knob as a space names it: {@code serve.tp} is {@code cmd_args.serve.tp}. */
    private static String spacePath(String recorded) {
        if (recorded.startsWith(Knobs.BENCH_PREFIX) || recorded.startsWith(Knobs.EXTRA_ENV_PREFIX)) {
            return recorded;
        }
        return recorded.equals(Knobs.NUM_NODES) ? "num_nodes" : "cmd_args." + recorded;
    }

    /** The test TOML trials derive from: {@code base_test}, else the test the scenario names. */
    public static Path baseTest(SpaceFile space) throws ConfigException {
        if (space.baseTest() != null) {
            return space.baseTest();
        }
        if (space.cloudai() == null) {
            return null;
        }
        ScenarioFile.TestEntry test = oneTest(space);
        if (test.testFile() == null) {
            throw new ConfigException(space.cloudai().scenario(), "Tests.0.test_name", "test '" + test.testName()
                    + "' is not found in " + space.cloudai().testsDir() + "; set [cloudai] tests_dir or base_test");
        }
        return test.testFile();
    }

    public Written write(SpaceFile space, Map<String, Object> config, Path trialDir) throws ConfigException {
        oneTest(space);
        Path base = baseTest(space);
        Path testsDir = trialDir.resolve("tests");
        Path derivedTest = testsDir.resolve(base.getFileName());
        try {
            Files.createDirectories(testsDir);
        } catch (IOException e) {
            throw new ConfigException(testsDir, null, "cannot create: " + e.getMessage(), e);
        }
        deriver.derive(base, derivedTest, overrides("", config), true, true);
        Map<String, String> scenario = new LinkedHashMap<>();
        scenario.put("name", TomlValues.render(space.space().scenario()));
        // the derived test keeps the base's name, so test_name still finds it in the trial's tests dir
        scenario.putAll(overrides("Tests.0.", config));
        Path scenarioOut = trialDir.resolve("scenario.toml");
        deriver.derive(space.cloudai().scenario(), scenarioOut, scenario, true, true);
        return new Written(scenarioOut, testsDir, derivedTest);
    }

    /** A config written as a test TOML: the base test with the knob values set, or only the values without one. */
    /**
     * Whether {@link #writeConfig} could write {@code out}: not a directory, and its nearest existing ancestor is one
     * (the missing ones are created). Asked before a proposal is recorded, so a typo costs no trial.
     */
    public static void requireWritable(Path out) throws ConfigException {
        if (Files.isDirectory(out)) {
            throw new ConfigException(out, null, "is a directory");
        }
        for (Path dir = out.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new ConfigException(out, null, "cannot be written: " + dir + " is not a directory");
                }
                return;
            }
        }
    }

    public void writeConfig(Path baseTest, Map<String, Object> config, Path out, boolean force) throws ConfigException {
        Path base = baseTest;
        Path empty = null;
        try {
            if (base == null) {
                empty = Files.createTempFile("autotune-config", ".toml");
                base = empty;
            }
            deriver.derive(base, out, overrides("", config), true, force);
        } catch (IOException e) {
            throw new ConfigException(out, null, "cannot write: " + e.getMessage(), e);
        } finally {
            if (empty != null) {
                try {
                    Files.deleteIfExists(empty);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    private static Map<String, String> overrides(String prefix, Map<String, Object> config) {
        Map<String, String> out = new LinkedHashMap<>();
        config.forEach((k, v) -> out.put(prefix + k, TomlValues.render(v)));
        return out;
    }
}
