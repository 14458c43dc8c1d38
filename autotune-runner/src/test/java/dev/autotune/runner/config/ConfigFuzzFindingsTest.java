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
 * src/test/resources/dev/autotune/runner/config/ConfigFuzzTestInputs, which the fuzz target replays), and the
 * unbounded-input rules of issue 13 item 4 applied to configs.
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

    @Test
    void aFifoOrDeviceAsConfigIsRefusedInsteadOfBlockingOrNeverEnding() throws Exception {
        Path fifo = dir.resolve("config.fifo");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is available");
        for (Path notAFile : new Path[] {fifo, Path.of("/dev/zero")}) {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () ->
                    assertThatThrownBy(() -> ConfigFile.read(notAFile))
                            .isInstanceOf(ConfigException.class)
                            .hasMessage(notAFile + ": is not a regular file (a FIFO, device or socket), expected a TOML file"));
        }
    }

    @Test
    void aStringReplacedByAnInlineTableIsTakenAsWrittenAndTheOtherKeysStay() throws Exception {
        // found by ConfigFuzzTest (crash-b2863f92...): not a deriver bug but a too strict check in the target,
        // which counted the replaced key as lost because an empty table has no dotted keys
        Path base = dir.resolve("base.toml");
        Files.writeString(base, "name = \"fake-\"\ndefault_partition = \"pion_1\"\nmpiname = \"partin_1\"\n",
                StandardCharsets.UTF_8);
        Path out = dir.resolve("out.toml");
        new ConfigDeriver().derive(base, out, Map.of("default_partition", "{}"), true, true);
        org.tomlj.TomlParseResult derived = org.tomlj.Toml.parse(Files.readString(out));
        org.assertj.core.api.Assertions.assertThat(derived.isTable("default_partition")).isTrue();
        org.assertj.core.api.Assertions.assertThat(derived.getString("name")).isEqualTo("fake-");
        org.assertj.core.api.Assertions.assertThat(derived.getString("mpiname")).isEqualTo("partin_1");
    }
}
