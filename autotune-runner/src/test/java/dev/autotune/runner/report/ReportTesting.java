package dev.autotune.runner.report;

import dev.autotune.domain.Metric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

/** Shared test plumbing: sample lookup (from the test classpath only), exact metric expectations, error checks. */
final class ReportTesting {
    static final ReportParser PARSER = new ReportParser();

    private ReportTesting() {
    }

    /** A copied sample under src/test/resources/reports. */
    static Path sample(String relative) {
        URL url = ReportTesting.class.getResource("/reports/" + relative);
        assertThat(url).as("test resource reports/%s", relative).isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path write(Path dir, String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ParsedReport parse(Path file) {
        try {
            return PARSER.parse(file);
        } catch (ReportException e) {
            throw new AssertionError("expected " + file + " to parse, got: " + e.getMessage(), e);
        }
    }

    static ParsedReport parse(Path file, ReportFormat format) {
        try {
            return PARSER.parse(file, format);
        } catch (ReportException e) {
            throw new AssertionError("expected " + file + " to parse as " + format + ", got: " + e.getMessage(), e);
        }
    }

    /** Parsing must fail with a one-line message that starts with the file and contains {@code fragment}. */
    static String failure(Path file, String fragment) {
        ReportException e = catchThrowableOfType(ReportException.class, () -> PARSER.parse(file));
        return checkFailure(e, file, fragment);
    }

    static String failure(Path file, ReportFormat format, String fragment) {
        ReportException e = catchThrowableOfType(ReportException.class, () -> PARSER.parse(file, format));
        return checkFailure(e, file, fragment);
    }

    private static String checkFailure(ReportException e, Path file, String fragment) {
        assertThat(e).as("parsing %s should fail", file).isNotNull();
        assertThat(e.getMessage()).startsWith(file + ": ").contains(fragment).doesNotContain("\n", "\r");
        assertThat(e.file()).isEqualTo(file);
        return e.getMessage();
    }

    static Expected expect() {
        return new Expected();
    }

    /** The complete set of metrics a report must have: every other metric must be absent. */
    static final class Expected {
        private final Map<Metric, Double> metrics = new EnumMap<>(Metric.class);

        Expected with(Metric metric, double value) {
            metrics.put(metric, value);
            return this;
        }

        /** mean, p50, p90, p95, p99 of a latency metric. */
        Expected distribution(Metric mean, double avg, double p50, double p90, double p95, double p99) {
            with(mean, avg);
            with(Metric.percentile(mean, 50).orElseThrow(), p50);
            with(Metric.percentile(mean, 90).orElseThrow(), p90);
            with(Metric.percentile(mean, 95).orElseThrow(), p95);
            return with(Metric.percentile(mean, 99).orElseThrow(), p99);
        }

        void matches(ParsedReport report) {
            assertThat(report.metrics().keySet()).as("metrics present in %s", report.path())
                    .containsExactlyInAnyOrderElementsOf(metrics.keySet());
            metrics.forEach((metric, value) -> assertThat(report.get(metric)).as(metric.key())
                    .isCloseTo(value, within(1e-9 * Math.max(1, Math.abs(value)))));
        }
    }
}
