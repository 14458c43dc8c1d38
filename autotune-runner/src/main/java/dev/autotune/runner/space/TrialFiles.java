package dev.autotune.runner.space;

import dev.autotune.runner.config.ConfigDeriver;
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
