package dev.autotune.api.app;

import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.common.StoreLocation;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.autotune.domain.query.ListFilter;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Coverage-guided fuzz target for {@code events import}. Whatever the file holds, the import ends in one of two ways:
 * refused with one line naming the file (and the line, for a bad event) and nothing stored, or every event stored and
 * taken by the read models, which a rebuild reproduces. Anything else (an internal error, a store left holding part
 * of the file, read models that fail afterwards) is a bug. Seeds: a real export of a small history (two experiments,
 * a tag, a budget profile, a study with a trial), built when the class loads. In `mvn verify` the seeds run once;
 * {@code .ci/fuzz EventImportFuzzTest#importFile} mutates them.
 */
class EventImportFuzzTest {
    private static final Path DIR = tempDir();
    private static final byte[] EXPORT = export();
    private static int stores;
    private static Autotune target = fresh();

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void importFile(byte @NotNull [] bytes) throws IOException {
        Path file = Files.write(DIR.resolve("in.jsonl"), bytes);
        long imported;
        try {
            imported = target.eventLog().importEvents(file, p -> {
            });
        } catch (UserError e) {
            String m = e.getMessage();
            if (!m.startsWith(file + ": ") || m.contains("\n") || m.contains("\r") || m.length() > 600) {
                throw new AssertionError("not one line naming the file: " + m);
            }
            if (target.eventLog().eventCount() != 0 || !target.history().list(ListFilter.ALL, null).isEmpty()) {
                throw new AssertionError("a refused import left events behind: " + m);
            }
            return;
        }
        // the read models hold everything stored (indexes may have gaps: the head is not a count), and a rebuild
        // gets there again
        if (imported > 0 && target.history().projectedPosition() != target.eventLog().eventCount()) {
            throw new AssertionError("imported " + imported + " but the read models are at "
                    + target.history().projectedPosition() + " of " + target.eventLog().eventCount());
        }
        target.history().list(ListFilter.ALL, null);
        target.studies().list();
        target.eventLog().rebuild(p -> {
        });
        target.close();
        target = fresh();
    }

    static Stream<Arguments> seeds() {
        String text = new String(EXPORT, StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        return Stream.of(EXPORT, String.join("\n", List.of(lines).subList(0, lines.length / 2)).getBytes(
                StandardCharsets.UTF_8), lines[0].getBytes(StandardCharsets.UTF_8)).map(b -> arguments((Object) b));
    }

    private static Autotune fresh() {
        return new Autotune(StoreLocation.of("db", DIR.resolve("target-" + (stores++) + ".db").toString()));
    }

    private static byte[] export() {
        try (Autotune autotune = new Autotune(StoreLocation.of("db", DIR.resolve("source.db").toString()))) {
            return EventImportTest.history(autotune, DIR).getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the seed export", e);
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("autotune-import-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
