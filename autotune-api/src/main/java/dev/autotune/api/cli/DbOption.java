package dev.autotune.api.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --db PATH} on every command; {@code AUTOTUNE_DB} sets the default. */
final class DbOption {
    static final String DEFAULT = "autotune.db";

    @Option(names = "--db", paramLabel = "PATH",
            description = "database file (default: $AUTOTUNE_DB, else ./" + DEFAULT + ")")
    Path db;

    Path path() {
        return path(DEFAULT);
    }

    /**
     * Where run and trial artifacts go: {@code given} (--runs-dir), else {@code runs/} beside the database. The
     * database records the run directories, so they belong with it, wherever the command happens to be started.
     */
    Path runsDir(Path given) {
        if (given != null) {
            return given;
        }
        Path parent = path().toAbsolutePath().normalize().getParent();
        return parent == null ? Path.of("runs") : parent.resolve("runs");
    }

    Path path(String fallback) {
        if (db != null) {
            return db;
        }
        String env = System.getenv("AUTOTUNE_DB");
        return Path.of(env != null && !env.isBlank() ? env : fallback);
    }
}
