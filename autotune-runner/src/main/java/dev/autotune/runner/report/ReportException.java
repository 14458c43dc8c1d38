package dev.autotune.runner.report;

import dev.autotune.domain.OneLine;

import java.nio.file.Path;

/** A report that cannot be read. The message is one line naming the file and what was wrong. */
public class ReportException extends Exception {
    private final Path file;

    public ReportException(Path file, String problem) {
        super(file + ": " + oneLine(problem));
        this.file = file;
    }

    public ReportException(Path file, String problem, Throwable cause) {
        super(file + ": " + oneLine(problem), cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }

    // Problems can quote library messages or file content; the CLI prints this message as one line.
    private static String oneLine(String problem) {
        return problem == null ? "unknown problem" : OneLine.of(problem);
    }
}
