package dev.autotune.api.cli;

import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code --gpus EXPR} on the commands that read the history ({@code check}, {@code list}, {@code diff},
 * {@code export}, {@code recommend}): the GPU count of each experiment as an expression over its knobs, the language
 * of a space's {@code gpus}, which makes the per-GPU metrics available there.
 */
final class GpusOption {
    @Option(names = "--gpus", paramLabel = "EXPR", description = "the GPU count of each experiment from its knobs, "
            + "such as tp or \"tp * pp\"; gives throughput_tokens_per_sec_per_gpu and request_throughput_per_gpu")
    String expression;

    /** The notes on experiments whose knobs give no count, on stderr so a table or JSON on stdout stays clean. */
    static void printNotes(PrintWriter err, List<String> notes) {
        notes.forEach(n -> err.println("autotune: note: " + n));
    }
}
