package dev.autotune.runner.report;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.autotune.domain.Metric;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Coverage-guided fuzz targets for the format detector and every report reader. In `mvn verify` each runs once
 * per seed (every real sample under src/test/resources/reports and cloudai-fixtures); {@code .ci/fuzz} mutates
 * them (@FuzzTest must be the last annotation, after the seed source). Whatever the bytes, the parser must end in one of two ways: a {@link ReportException} whose message is one
 * line naming the file (never an internal error, which is a reader bug), or a report whose every metric lies in
 * its physical range.
 */
class ReportFuzzTest {
    private static final Path JSON_NAME = Path.of("fuzzed-report.json");
    private static final Path JSONL_NAME = Path.of("fuzzed-report.jsonl");

    /** The format detector, then whichever reader claims the content. */
    @MethodSource("samples")
    @FuzzTest(maxDuration = "30s")
    void detectedFormat(boolean jsonlName, byte @NotNull [] report) {
        check(jsonlName ? JSONL_NAME : JSON_NAME, report, null);
    }

    /** Each reader forced on any content, as `ingest --format F` does. */
    @MethodSource("samplesForEveryFormat")
    @FuzzTest(maxDuration = "30s")
    void everyReader(@NotNull ReportFormat format, byte @NotNull [] report) {
        check(JSON_NAME, report, format);
    }

    static void check(Path name, byte[] bytes, ReportFormat format) {
        ParsedReport parsed;
        try {
            parsed = ReportParser.parse(name, bytes, format);
        } catch (ReportException e) {
            String message = e.getMessage();
            // ReportParser wraps a RuntimeException from a reader (a bug) as the cause; expected problems have none
            if (e.getCause() != null) {
                throw new AssertionError("reader bug: " + message, e.getCause());
            }
            if (!message.startsWith(name + ": ") || message.contains("\n") || message.contains("\r")) {
                throw new AssertionError("not one line naming the file: " + message);
            }
            return;
        }
        if (parsed.metrics().isEmpty()) {
            throw new AssertionError("a report without metrics was accepted");
        }
        for (Map.Entry<Metric, Double> e : parsed.metrics().entrySet()) {
            String problem = MetricRange.problem(e.getKey(), e.getValue());
            if (problem != null) {
                throw new AssertionError(e.getKey().key() + " = " + e.getValue() + " was accepted: " + problem);
            }
        }
    }

    static Stream<Arguments> samples() {
        return sampleFiles().stream().map(f -> arguments(f.toString().endsWith(".jsonl"), bytes(f)));
    }

    static Stream<Arguments> samplesForEveryFormat() {
        List<Path> files = sampleFiles();
        return Stream.of(ReportFormat.values()).flatMap(format -> files.stream().map(f -> arguments(format, bytes(f))));
    }

    /** Every real report the tests carry, found on the test class path so the seeds follow the samples. */
    static List<Path> sampleFiles() {
        try {
            Path root = Path.of(ReportFuzzTest.class.getResource("/reports").toURI()).getParent();
            try (Stream<Path> walk = Stream.concat(Files.walk(root.resolve("reports")),
                    Files.walk(root.resolve("cloudai-fixtures")))) {
                return walk.filter(Files::isRegularFile)
                        .filter(f -> !f.getFileName().toString().endsWith(".md"))
                        .sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
