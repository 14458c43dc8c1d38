package dev.autotune.api.cli;

import dev.autotune.api.cli.AutotuneProcess.Result;
import dev.autotune.store.testing.TestStores;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CLI run in this JVM: the same command tree, parsing, error handling and exit codes as the jar
 * ({@link AutotuneCli#execute}), with stdout and stderr captured, and none of the JVM start that spawning the jar
 * costs each time. What only a real process shows (the jar itself, its environment, signals, several processes at
 * once) stays in the {@code *IT} classes that use {@link AutotuneProcess}.
 *
 * <p>A JVM has one working directory, so the database a command would find in {@code cwd} is named for it: a
 * command without {@code --db} gets {@code --db cwd/autotune.db} ({@code autotune-demo.db} for demo), and a relative
 * {@code --db} is resolved against {@code cwd}; on PostgreSQL (the PostgreSQL pass) each becomes the database that
 * stands in for that file, as for the jar (and run artifacts go to {@code cwd/runs}, as the jar's would). Other
 * relative paths would resolve against this JVM's directory, so tests pass absolute ones.
 */
final class InProcessCli {
    /** Commands that open no database. */
    private static final Set<String> NO_DATABASE = Set.of("bench", "derive", "completion", "help");

    private InProcessCli() {
    }

    static synchronized Result run(Path cwd, String... args) {
        List<String> line = withDatabase(cwd, new ArrayList<>(List.of(args)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
        // every command writes through picocli's writers, given here, the store's "created new database" notice too
        int exit = AutotuneCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8), stderr,
                StandardCharsets.UTF_8, line.toArray(String[]::new));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * How messages name the store {@code --db file} opens in {@code cwd}: the path the test JVM passed (in the
     * jar's shell it would be the relative name), or on PostgreSQL the stand-in's masked URL.
     */
    static String shown(Path cwd, String file) {
        return TestStores.onPostgres() ? AutotuneProcess.shown(cwd, file) : AutotuneProcess.database(cwd, file);
    }

    /**
     * Run artifacts go beside the database, and a PostgreSQL database has no directory but the shell's: there, in
     * the PostgreSQL pass, {@code run} and {@code tune} are told {@code cwd/runs}, where the jar would put them.
     */
    private static List<String> withRunsDir(Path cwd, List<String> line) {
        boolean runs = line.get(0).equals("tune") || line.get(0).equals("run") && !line.contains("--recover");
        if (TestStores.onPostgres() && runs && !line.contains("--runs-dir")) {
            int end = line.indexOf("--");
            line.addAll(end >= 0 ? end : line.size(), List.of("--runs-dir", cwd.resolve("runs").toString()));
        }
        return line;
    }

    /**
     * A cloudai stand-in with these environment variables, which the jar's process would pass on to it: a script in
     * {@code dir} that sets them and runs {@code cloudai} as the same process (exec), given as --cloudai-bin.
     */
    static Path cloudai(Path dir, Path cloudai, Map<String, String> env) {
        if (env.isEmpty()) {
            return cloudai;
        }
        StringBuilder script = new StringBuilder("#!/bin/sh\n");
        env.forEach((k, v) -> script.append("export ").append(k).append("='").append(v).append("'\n"));
        script.append("exec '").append(cloudai).append("' \"$@\"\n");
        try {
            Path bin = Files.createTempDirectory(dir, "cloudai-").resolve("cloudai");
            Files.writeString(bin, script);
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwx------"));
            return bin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> withDatabase(Path cwd, List<String> line) {
        if (line.isEmpty() || !AutotuneCli.COMMANDS.containsKey(line.get(0)) || NO_DATABASE.contains(line.get(0))
                || line.contains("--help") || line.contains("-h")
                || line.contains("-V") || line.contains("--version")) {
            return line;
        }
        int db = line.indexOf("--db");
        if (db >= 0 && db + 1 < line.size()) {
            line.set(db + 1, AutotuneProcess.database(cwd, line.get(db + 1)));
            return withRunsDir(cwd, line);
        }
        // before `--`: what follows it is handed to cloudai
        int end = line.indexOf("--");
        int at = end >= 0 ? end : line.size();
        String file = line.get(0).equals("demo") ? "autotune-demo.db" : DbOption.DEFAULT;
        line.addAll(at, List.of("--db", AutotuneProcess.database(cwd, file)));
        return withRunsDir(cwd, line);
    }
}
