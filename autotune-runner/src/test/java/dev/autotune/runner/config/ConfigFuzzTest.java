package dev.autotune.runner.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Coverage-guided fuzz target for the TOML deriver ({@code autotune derive}, {@code recommend --derive-from}):
 * any base file, any dotted key, any value. The deriver must either refuse with a one-line {@link ConfigException}
 * or write a file that parses and still holds every key of the base outside the overridden one. Seeds: every real CloudAI TOML the tests carry,
 * each with its first key. In `mvn verify` the seeds run once; {@code .ci/fuzz} mutates them.
 */
class ConfigFuzzTest {
    private static final Path DIR = tempDir();
    private static final Path BASE = DIR.resolve("base.toml");
    private static final Path OUT = DIR.resolve("out.toml");

    @MethodSource("realTomls")
    @FuzzTest(maxDuration = "30s")
    void derive(byte @NotNull [] base, @NotNull String key, @NotNull String value, boolean create) throws IOException {
        Files.write(BASE, base);
        ConfigDeriver.Derived derived;
        try {
            derived = new ConfigDeriver().derive(BASE, OUT, Map.of(key, value), create, true);
        } catch (ConfigException e) {
            if (e.getMessage().contains("\n") || e.getMessage().contains("\r")) {
                throw new AssertionError("not one line: " + e.getMessage());
            }
            return;
        }
        TomlParseResult before = Toml.parse(new String(base, StandardCharsets.UTF_8));
        TomlParseResult after = Toml.parse(Files.readString(OUT, StandardCharsets.UTF_8));
        if (after.hasErrors()) {
            throw new AssertionError("derived TOML does not parse: " + after.errors().get(0));
        }
        // only the overridden key and what lies under it may change shape (a string replaced by an inline table
        // is taken as written, and an empty table has no dotted keys); every other key must survive
        List<String> overridden = Toml.parseDottedKey(key.strip());
        for (String kept : before.dottedKeySet()) {
            List<String> path = Toml.parseDottedKey(kept);
            boolean underOverride = path.size() >= overridden.size()
                    && path.subList(0, overridden.size()).equals(overridden);
            if (!underOverride && !after.dottedKeySet().contains(kept)) {
                throw new AssertionError("key " + kept + " of the base was lost deriving " + key + "=" + value);
            }
        }
        if (!derived.applied().containsKey(key.strip())) {
            throw new AssertionError("the override " + key + " is not among the applied values");
        }
    }

    static Stream<Arguments> realTomls() throws IOException {
        return ConfigDeriverTest.realTomls().map(file -> {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                String firstKey = Toml.parse(text).dottedKeySet().stream().sorted().findFirst().orElse("name");
                return arguments(text.getBytes(StandardCharsets.UTF_8), firstKey, "1", false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("autotune-config-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
