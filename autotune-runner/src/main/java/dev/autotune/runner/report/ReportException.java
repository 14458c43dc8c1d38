package dev.autotune.runner.report;

import java.nio.file.Path;

/** A report that cannot be read. The message is one line naming the file and what was wrong. */
public class ReportException extends Exception {
    private final Path file;

    public ReportException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ReportException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
