package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.common.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

@Command(name = "events", mixinStandardHelpOptions = true,
        description = "The whole event log as JSON Lines: export it, or import it into an empty store "
                + "(e.g. from the local file into the team's PostgreSQL database).",
        subcommands = {EventsCommand.Export.class, EventsCommand.Import.class},
        footerHeading = "%nExamples:%n", footer = {"  autotune events export --out history.jsonl",
                "  autotune events import history.jsonl --db postgresql://me@db.example:5432/autotune"})
final class EventsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write every event, oldest first, one JSON object per line with its metadata.",
            footerHeading = "%nExample:%n", footer = "  autotune events export --out history.jsonl")
    static final class Export implements Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Option(names = "--out", paramLabel = "FILE", description = "write to FILE instead of standard output")
        Path out;

        @Override
        public Integer call() {
            if (out != null && Files.isDirectory(out)) {
                throw new UserError("out", out + ": is a directory; name the file to write");
            }
            try (Autotune autotune = db.existing()) {
                if (out == null) {
                    Writer w = new BufferedWriter(new OutputStreamWriter(io.stream(), StandardCharsets.UTF_8));
                    autotune.eventLog().exportEvents(w);
                    w.flush();
                    return AutotuneCli.OK;
                }
                // written beside the target and moved into place: an export that fails leaves no half file
                Path target = out.toAbsolutePath();
                Path partial = target.resolveSibling(target.getFileName() + ".partial");
                long n;
                try (Writer w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                    n = autotune.eventLog().exportEvents(w);
                } catch (IOException e) {
                    throw new UserError("out", out + ": cannot write (" + e.getMessage() + ")", e);
                }
                try {
                    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    try {
                        Files.deleteIfExists(partial);
                    } catch (IOException ignored) {
                        // the message below names the target; a partial file that cannot be deleted is rare
                    }
                    throw new UserError("out", out + ": cannot write (" + e.getMessage() + ")", e);
                }
                io.out().println("exported " + n + " events from " + autotune.database() + " to " + out);
            } catch (java.io.UncheckedIOException e) {
                throw new UserError("out", (out == null ? "standard output" : out) + ": cannot write ("
                        + e.getCause().getMessage() + ")", e);
            } catch (IOException e) {
                throw new UserError("out", "standard output: cannot write (" + e.getMessage() + ")", e);
            }
            return AutotuneCli.OK;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Fill an empty store with the events of an export (all or nothing), then project them.",
            footerHeading = "%nExample:%n", footer = "  autotune events import history.jsonl --db postgresql://me@db.example:5432/autotune")
    static final class Import implements Callable<Integer> {
        @Mixin
        Output io;

        @Mixin
        DbOption db;

        @Parameters(paramLabel = "FILE", description = "what `events export` wrote")
        Path file;

        @Override
        public Integer call() {
            try (Autotune autotune = db.open()) {
                long n = autotune.eventLog().importEvents(file, position -> {
                });
                io.out().println("imported " + n + " events from " + file + " into " + autotune.database()
                        + "; the read models include them");
            }
            return AutotuneCli.OK;
        }
    }
}
