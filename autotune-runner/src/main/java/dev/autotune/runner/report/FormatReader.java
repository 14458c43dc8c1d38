package dev.autotune.runner.report;

/**
 * One report format family. Readers are stateless; they raise {@link ReportProblem} for a broken file and
 * never leave half a report behind, because {@link ReportParser} only builds a report after {@link #read}
 * returns.
 */
interface FormatReader {
    ReportFormat format();

    /** The name people know the format by, e.g. "AIPerf JSON". */
    String title();

    /** What a file of this format looks like, for "is not a ... report" and "no recognizable metric" messages. */
    String expectation();

    /** True when the content has this format's structure, so it can be read as this format when forced. */
    boolean matches(ReportContent content);

    /**
     * True when this is the best reading of the content during detection. Only formats that share a structure
     * with another format (AIPerf/GenAI-Perf, vLLM/SGLang) need to be pickier than {@link #matches}.
     */
    default boolean claims(ReportContent content) {
        return matches(content);
    }

    void read(ReportContent content, Readings out);
}
