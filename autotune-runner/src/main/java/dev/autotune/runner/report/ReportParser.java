package dev.autotune.runner.report;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads any supported benchmark report into the normalized metric set. A file that cannot be read fully
 * (unknown format, truncated, wrong types, no recognizable metric) is a {@link ReportException} with a one-line
 * message; there is never a partially filled report.
 */
public final class ReportParser {
    /**
     * The default cap on a report file. A report's text is held while it is parsed (JSON lines and log lines one
     * at a time, see TextLines), so the heap a report needs grows with its size; the largest real ones
     * (per-request JSONL of long runs) are a few MB, and ingest --max-report-mb raises the cap.
     */
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

    private final long maxBytes;

    public ReportParser() {
        this(DEFAULT_MAX_BYTES);
    }

    /** @param maxBytes the largest report read; a bigger one is refused with a message naming the limit */
    public ReportParser(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("the report size limit must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The limit as the user set it: in MB (--max-report-mb), or in bytes when it is not whole MB. */
    static String limitText(long bytes) {
        long mb = 1024 * 1024;
        return bytes % mb == 0 ? bytes / mb + " MB" : bytes + " bytes";
    }

    /** Detects the format from the content (the file name is only a hint). */
    public ParsedReport parse(Path file) throws ReportException {
        return parse(ReportContent.load(file, maxBytes), null);
    }

    /** Parses as the given format, failing clearly when the content does not match it. */
    public ParsedReport parse(Path file, ReportFormat format) throws ReportException {
        Objects.requireNonNull(format, "format");
        return parse(ReportContent.load(file, maxBytes), format);
    }

    /** Bytes already in memory (the fuzz targets); {@code format} null detects it. */
    static ParsedReport parse(Path name, byte[] bytes, ReportFormat format) throws ReportException {
        return parse(ReportContent.of(name, bytes), format);
    }

    private static ParsedReport parse(ReportContent content, ReportFormat format) throws ReportException {
        Path file = content.path();
        try {
            if (format == null) {
                return read(content, FormatDetector.detect(content));
            }
            FormatReader reader = FormatDetector.reader(format);
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
                readings.warnings(), readings.facts());
    }

    // A reader bug must still reach the user as one line naming the file; the cause keeps the trace for logs.
    private static ReportException internalError(Path file, RuntimeException bug) {
        return new ReportException(file, "cannot be read (internal error: " + bug + ")", bug);
    }

    private static String article(String title) {
        return ("AEIOU".indexOf(Character.toUpperCase(title.charAt(0))) >= 0 ? "an " : "a ") + title;
    }
}
