package dev.autotune.api.app.studies;

import dev.autotune.domain.search.SearchSpace;
import dev.autotune.runner.config.ConfigException;
import dev.autotune.runner.space.TrialFiles;

import java.nio.file.Path;
import java.util.Map;

/** A proposal or a best config written as a test TOML (`ask`, `tune` and `recommend --space` with --out-config). */
public final class ConfigOut {
    private ConfigOut() {
    }

    /** Refuses a file {@link #write} could not write, so a typo is refused before a proposal is recorded. */
    public static void requireWritable(Path out) {
        if (out == null) {
            return;
        }
        try {
            TrialFiles.requireWritable(out);
        } catch (ConfigException e) {
            throw Studies.badInput("out_config", e.getMessage(), e);
        }
    }

    /** Writes a config as a test TOML: the study's base test with the values set, else the values alone. */
    public static void write(SearchSpace space, Map<String, Object> config, Path out) {
        try {
            new TrialFiles().writeConfig(space.baseTest() == null ? null : Path.of(space.baseTest()), config, out, true);
        } catch (ConfigException e) {
            throw Studies.badInput("out_config", e.getMessage(), e);
        }
    }
}
