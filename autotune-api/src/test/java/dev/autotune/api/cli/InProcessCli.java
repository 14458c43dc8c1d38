package dev.autotune.api.cli;

import dev.autotune.api.cli.AutotuneProcess.Result;
import dev.autotune.store.testing.TestStores;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * stands in for that file, as for the jar. Other relative paths would resolve against this JVM's directory, so
 * tests pass absolute ones.
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
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = AutotuneCli.execute(line.toArray(String[]::new));
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * How messages name the store {@code --db file} opens in {@code cwd}: the path the test JVM passed (in the
     * jar's shell it would be the relative name), or on PostgreSQL the stand-in's masked URL.
     */
    static String shown(Path cwd, String file) {
        return TestStores.onPostgres() ? AutotuneProcess.shown(cwd, file) : AutotuneProcess.database(cwd, file);
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
            return line;
        }
        // before `--`: what follows it is handed to cloudai
        int end = line.indexOf("--");
        int at = end >= 0 ? end : line.size();
        String file = line.get(0).equals("demo") ? "autotune-demo.db" : DbOption.DEFAULT;
        line.addAll(at, List.of("--db", AutotuneProcess.database(cwd, file)));
        return line;
    }
}
