package dev.autotune.api.cli;

import dev.autotune.api.app.common.StoreLocation;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --db PATH|URL} on every command; {@code AUTOTUNE_DB} sets the default. A path (or {@code sqlite:PATH}) is a
 * SQLite file, {@code postgresql://user@host:port/db} a PostgreSQL database; the password never comes from a flag.
 */
final class DbOption {
    static final String DEFAULT = "autotune.db";

    @Option(names = "--db", paramLabel = "PATH|URL",
            description = "database: a SQLite file or postgresql://user@host:port/db (password from the URL, "
                    + "PGPASSWORD or ~/.pgpass) (default: $AUTOTUNE_DB, else ./" + DEFAULT + ")")
    String db;

    StoreLocation path() {
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
        return path().localDirectory().resolve("runs");
    }

    StoreLocation path(String fallback) {
        if (db != null) {
            return StoreLocation.of("db", db);
        }
        String env = System.getenv("AUTOTUNE_DB");
        return StoreLocation.of("AUTOTUNE_DB", env != null && !env.isBlank() ? env : fallback);
    }
}
