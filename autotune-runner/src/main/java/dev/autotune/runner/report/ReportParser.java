package dev.autotune.runner.report;

import java.nio.file.Path;

/** Reads any supported benchmark report into the normalized metric set. */
public final class ReportParser {

    /** Detects the format from the content (the file name is only a hint). */
    public ParsedReport parse(Path file) throws ReportException {
        throw new ReportException(file, "report parsing is not implemented yet");
    }

    /** Parses as the given format, failing clearly when the content does not match it. */
    public ParsedReport parse(Path file, ReportFormat format) throws ReportException {
        throw new ReportException(file, "report parsing is not implemented yet");
    }
}
