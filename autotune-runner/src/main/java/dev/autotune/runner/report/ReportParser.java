package dev.autotune.runner.report;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads any supported benchmark report into the normalized metric set. A file that cannot be read fully
 * (unknown format, truncated, wrong types, no recognizable metric) is a {@link ReportException} with a one-line
 * message; there is never a partially filled report.
 */
public final class ReportParser {

    /** Detects the format from the content (the file name is only a hint). */
    public ParsedReport parse(Path file) throws ReportException {
        ReportContent content = ReportContent.load(file);
        try {
            return read(content, FormatDetector.detect(content));
        } catch (ReportProblem problem) {
            throw new ReportException(file, problem.getMessage());
        } catch (RuntimeException bug) {
            throw internalError(file, bug);
        }
    }

    /** Parses as the given format, failing clearly when the content does not match it. */
    public ParsedReport parse(Path file, ReportFormat format) throws ReportException {
        Objects.requireNonNull(format, "format");
        ReportContent content = ReportContent.load(file);
        FormatReader reader = FormatDetector.reader(format);
        try {
            if (!reader.matches(content)) {
                throw new ReportProblem("is not " + article(reader.title()) + " report: expected "
                        + reader.expectation());
            }
            return read(content, reader);
        } catch (ReportProblem problem) {
            throw new ReportException(file, problem.getMessage());
        } catch (RuntimeException bug) {
            throw internalError(file, bug);
        }
    }

    private static ParsedReport read(ReportContent content, FormatReader reader) {
        Readings readings = new Readings();
        reader.read(content, readings);
        if (readings.isEmpty()) {
            throw new ReportProblem("no recognizable metric (expected " + reader.expectation() + ")");
        }
        MetricRange.check(readings.metrics());
        return new ParsedReport(content.path(), content.sha256(), reader.format(), readings.metrics(),
                readings.warnings());
    }

    // A reader bug must still reach the user as one line naming the file; the cause keeps the trace for logs.
    private static ReportException internalError(Path file, RuntimeException bug) {
        return new ReportException(file, "cannot be read (internal error: " + bug + ")", bug);
    }

    private static String article(String title) {
        return ("AEIOU".indexOf(Character.toUpperCase(title.charAt(0))) >= 0 ? "an " : "a ") + title;
    }
}
