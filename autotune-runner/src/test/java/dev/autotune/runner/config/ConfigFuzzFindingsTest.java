package dev.autotune.runner.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Findings of {@link ConfigFuzzTest}, each as a readable regression test (the raw crash inputs stay under
 * src/test/resources/dev/autotune/runner/config/ConfigFuzzTestInputs, which the fuzz target replays).
 */
class ConfigFuzzFindingsTest {
    @TempDir
    Path dir;

    @Test
    void aTableHeaderWithACommentInsideAfterAnArrayOfTablesIsOneLineNotAnAssertionError() throws Exception {
        Path base = dir.resolve("base.toml");
        Files.writeString(base, "name = \"sleep-dse\"\n\n[[Tests]]\nid = \"dse.sleep\"\n  [Tests.cmd_ar#\u0000]\n"
                + "  seconds = 1\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new ConfigDeriver().derive(base, dir.resolve("out.toml"), Map.of("name", "1"), false, true))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(base + ": invalid TOML")
                .hasMessageNotContaining("\n");
    }
}
