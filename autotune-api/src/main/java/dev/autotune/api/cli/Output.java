package dev.autotune.api.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * Where a command writes: picocli's {@code getOut()}/{@code getErr()} of its command line, which
 * {@link AutotuneCli#execute(PrintStream, PrintStream, java.nio.charset.Charset, String...)} sets, so a caller
 * (the jar's main, or a test running the CLI in process) decides where output goes without swapping System.out.
 */
// picocli takes a mixin only as a command; this one adds no options or help text, and (as the commands that
// mix it in) has no method that is a subcommand, which picocli would otherwise look for on every start
@Command(addMethodSubcommands = false)
final class Output {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * Lines to {@code writer}, each flushed at once: for the application layer's notices (a new database created),
     * which come while a command runs and belong before what it prints next.
     */
    static Consumer<String> lines(PrintWriter writer) {
        return line -> {
            writer.println(line);
            writer.flush();
        };
    }

    /**
     * Prints a long text (a table of thousands of lines) as {@link #out()} would, encoded in one go and written
     * to the byte stream under it: the writer's encoder turns the text into bytes a buffer at a time, which for
     * the 1.2 MB of a 10,000-row list was 4% of a fresh JVM's samples; {@code getBytes} copies it in one go.
     */
    void print(String text) {
        if (spec.root().userObject() instanceof AutotuneCli cli) {
            out().flush();
            byte[] bytes = text.getBytes(cli.charset);
            cli.stdout.write(bytes, 0, bytes.length);
            cli.stdout.flush();
        } else {
            out().print(text);
        }
    }

    /**
     * The byte stream under {@link #out()}, for what writes bytes or takes a PrintStream (cloudai's relayed
     * output, the bench harnesses, the event log's UTF-8 lines); what {@link #out()} holds is flushed first so
     * the two keep their order.
     */
    PrintStream stream() {
        out().flush();
        // every tree autotune executes has AutotuneCli at its root; the process's stdout only for a tree built
        // some other way, where getOut() is picocli's default on that same stdout
        return spec.root().userObject() instanceof AutotuneCli cli ? cli.stdout : System.out;
    }
}
