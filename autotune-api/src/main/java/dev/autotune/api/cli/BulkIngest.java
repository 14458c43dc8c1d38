package dev.autotune.api.cli;

import dev.autotune.api.app.recording.Recording;
import dev.autotune.api.app.Autotune;
import dev.autotune.domain.OneLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * `autotune ingest` over several files, directories and globs: each report is recorded on its own (one atomic
 * check-and-append each, so nothing is ever half-recorded), with a progress bar on a terminal or a line per file
 * otherwise, then a summary: recorded, duplicates skipped, refused with the reason per file.
 */
final class BulkIngest {
    /** What became of one file. */
    record Outcome(Path file, String status, String detail, List<String> rows) {
        Outcome(Path file, String status, String detail) {
            this(file, status, detail, List.of());
        }
    }

    private final Autotune autotune;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;

    /** The summary goes to {@code out}; each refusal's reason to {@code err} too, one line each. */
    BulkIngest(Autotune autotune, PrintWriter out, PrintWriter err, boolean terminal) {
        this.autotune = autotune;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** An argument with a wildcard, unless a file of exactly that name exists (names may contain brackets). */
    static boolean isGlob(String arg) {
        if (!(arg.contains("*") || arg.contains("?") || arg.contains("[") || arg.contains("{"))) {
            return false;
        }
        try {
            return !Files.exists(Path.of(arg));
        } catch (java.nio.file.InvalidPathException e) {
            return true;
        }
    }

    private static boolean hasWildcard(String part) {
        return part.contains("*") || part.contains("?") || part.contains("[") || part.contains("{");
    }

    /** Records every report the arguments name; returns the exit code. */
    int run(List<String> args, Function<Path, Recording.IngestInput> input) {
        List<Outcome> outcomes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (String arg : args) {
            try {
                List<Path> found = expand(arg);
                if (!isGlob(arg) && Files.isDirectory(Path.of(arg))) {
                    // a results dir cloudai wrote: its own files (test-run.toml, the best config, ...) are no reports
                    List<Path> reports = new ArrayList<>();
                    for (Path f : found) {
                        String own = Recording.cloudaiOwnFile(f);
                        if (own == null) {
                            reports.add(f);
                        } else {
                            outcomes.add(new Outcome(f, "skipped", own));
                        }
                    }
                    if (reports.isEmpty()) {
                        outcomes.add(new Outcome(Path.of(arg).normalize(), "refused", found.isEmpty()
                                ? "no report files in it" : "no report files in it, only CloudAI's own files"));
                    }
                    found = reports;
                } else if (found.isEmpty()) {
                    outcomes.add(new Outcome(Path.of(arg.isEmpty() ? "." : arg).normalize(), "refused",
                            isGlob(arg) ? "no file matches" : "no report files in it"));
                }
                files.addAll(found);
            } catch (IOException | UncheckedIOException | java.nio.file.InvalidPathException e) {
                outcomes.add(new Outcome(Path.of("."), "refused", arg + ": " + OneLine.first(e.getMessage(), "unreadable")));
            }
        }
        files = new ArrayList<>(new LinkedHashSet<>(files));
        int total = files.size();
        int[] done = {0};
        new dev.autotune.api.app.recording.BulkIngest(autotune.recording()).record(files, input, o -> {
            Outcome shown = shown(o);
            outcomes.add(shown);
            progress(++done[0], total, shown);
        });
        if (terminal && !files.isEmpty()) {
            out.println();
        }
        return summary(outcomes);
    }

    /** An outcome of the application's bulk ingest as this command words it. */
    private static Outcome shown(dev.autotune.api.app.recording.BulkIngest.Outcome<Path> o) {
        Path file = o.item();
        return switch (o.status()) {
            case RECORDED -> {
                var r = o.result();
                yield new Outcome(file, "recorded", (r.numbers().size() == 1 ? "experiment " + r.number()
                        : "experiments " + r.numbers().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                        + " (" + r.format() + ")", r.rows());
            }
            case DUPLICATE -> new Outcome(file, "duplicate", withoutFile(file, o.reason()));
            case REFUSED -> new Outcome(file, "refused", withoutFile(file, o.reason()));
        };
    }

    /** The summary names the file already. */
    private static String withoutFile(Path file, String reason) {
        return reason.startsWith(file + ": ") ? reason.substring(file.toString().length() + 2) : reason;
    }

    private void progress(int done, int total, Outcome o) {
        if (!terminal) {
            out.println("[" + done + "/" + total + "] " + o.status() + " " + o.file() + ": " + o.detail());
            return;
        }
        int width = 30;
        int filled = total == 0 ? width : done * width / total;
        String name = o.file().getFileName() == null ? o.file().toString() : o.file().getFileName().toString();
        if (name.length() > 40) {
            name = "…" + name.substring(name.length() - 39);
        }
        out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total + " "
                + String.format("%-41s", name));
        out.flush();
    }

    private int summary(List<Outcome> outcomes) {
        long recorded = outcomes.stream().filter(o -> o.status().equals("recorded")).count();
        long duplicates = outcomes.stream().filter(o -> o.status().equals("duplicate")).count();
        List<Outcome> skipped = outcomes.stream().filter(o -> o.status().equals("skipped")).toList();
        List<Outcome> refused = outcomes.stream().filter(o -> o.status().equals("refused")).toList();
        out.println("recorded " + recorded + ", duplicates skipped " + duplicates
                + (skipped.isEmpty() ? "" : ", CloudAI's own files skipped " + skipped.size())
                + ", refused " + refused.size());
        boolean rowRefused = false;
        for (Outcome o : outcomes) {
            // a sweep: what became of each of its trajectory rows
            for (String row : o.rows()) {
                out.println("  " + o.file() + ": " + row);
                if (row.contains(": refused")) {
                    rowRefused = true;
                    err.println("autotune: refused " + o.file() + " " + row);
                }
            }
        }
        for (Outcome o : skipped) {
            out.println("  skipped " + o.file() + ": " + o.detail());
        }
        for (Outcome o : refused) {
            out.println("  refused " + o.file() + ": " + o.detail());
            err.println("autotune: refused " + o.file() + ": " + o.detail());
        }
        return refused.isEmpty() && !rowRefused ? AutotuneCli.OK : AutotuneCli.BAD_INPUT;
    }

    /**
     * A DSE sweep in a directory is recorded through its trajectory.csv, one experiment per step: the files of its
     * step dirs ({@code <iteration>/<step>/...} beside the trajectory) are left to it rather than recorded again
     * as reports of their own.
     */
    private static List<Path> withoutSweepSteps(List<Path> files) {
        List<Path> sweeps = files.stream().filter(f -> f.getFileName().toString().equals(Recording.TRAJECTORY))
                .map(Path::getParent).toList();
        return files.stream().filter(f -> sweeps.stream().noneMatch(iteration -> f.getParent() != null
                && !f.getParent().equals(iteration) && f.startsWith(iteration)
                && iteration.relativize(f).getName(0).toString().matches("\\d+"))).toList();
    }

    /** A file as given; a directory's regular files, recursively, in name order; a glob's matches, in name order. */
    static List<Path> expand(String arg) throws IOException {
        if (!isGlob(arg)) {
            Path p = Path.of(arg);
            if (!Files.isDirectory(p)) {
                return List.of(p);
            }
            try (Stream<Path> walk = Files.walk(p)) {
                List<Path> files = walk.filter(Files::isRegularFile)
                        .filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
                return withoutSweepSteps(files);
            }
        }
        // the directory part before the first component with a wildcard is where the search starts
        String[] parts = arg.split("/", -1);
        StringBuilder fixed = new StringBuilder(arg.startsWith("/") ? "/" : "");
        for (int i = 0; i < parts.length - 1 && !hasWildcard(parts[i]); i++) {
            if (!parts[i].isEmpty()) {
                fixed.append(parts[i]).append('/');
            }
        }
        Path base = fixed.length() == 0 ? Path.of(".") : Path.of(fixed.toString());
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        String rest = arg.substring(Math.min(arg.length(), fixed.length()));
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        Set<Path> matches = new LinkedHashSet<>();
        try (Stream<Path> walk = Files.walk(base)) {
            walk.filter(Files::isRegularFile).forEach(f -> {
                if (matcher.matches(base.relativize(f))) {
                    matches.add(fixed.length() == 0 ? base.relativize(f) : f);
                }
            });
        }
        return matches.stream().sorted().toList();
    }
}
