package dev.autotune.runner.report;

/**
 * What is wrong with a report, raised deep inside a reader. {@link ReportParser} turns it into a
 * {@link ReportException} naming the file, so the helpers below it never need to know the path.
 */
final class ReportProblem extends RuntimeException {
    ReportProblem(String problem) {
        // No stack trace: this is an expected outcome for a bad file, not a bug.
        super(problem, null, false, false);
    }
}
