package dev.autotune.runner.space;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.autotune.domain.search.Spaces;
import dev.autotune.runner.config.ConfigException;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Coverage-guided fuzz target for the search-space reader ({@code tune}, {@code study create}, {@code recommend
 * --space}, space uploads). Whatever the bytes, {@link SpaceFile#read} must end in one of two ways: a
 * {@link ConfigException} whose message is one line naming the file (any other exception is a reader bug), or a
 * space that has knobs and passes {@link Spaces#validate} as read. Seeds: the example spaces under
 * src/test/resources/spaces (copies of configs/examples/*space*.toml). In `mvn verify` the seeds run once;
 * {@code .ci/fuzz} mutates them.
 */
class SpaceFuzzTest {
    private static final Path DIR = tempDir();
    private static final Path FILE = DIR.resolve("space.toml");

    @MethodSource("exampleSpaces")
    @FuzzTest(maxDuration = "30s")
    void read(byte @NotNull [] toml) throws IOException {
        Files.write(FILE, toml);
        SpaceFile read;
        try {
            read = SpaceFile.read(FILE);
        } catch (ConfigException e) {
            String message = e.getMessage();
            if (!message.startsWith(FILE + ": ") || message.contains("\n") || message.contains("\r")) {
                throw new AssertionError("not one line naming the file: " + message);
            }
            return;
        }
        if (read.space().knobs().isEmpty()) {
            throw new AssertionError("a space without knobs was accepted");
        }
        Spaces.validate(read.space());
    }

    static Stream<Arguments> exampleSpaces() throws IOException, URISyntaxException {
        Path dir = Path.of(SpaceFuzzTest.class.getResource("/spaces").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".toml")).sorted().toList().stream()
                    .map(p -> arguments((Object) bytes(p)));
        }
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("autotune-space-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
