package dev.autotune.api.cli;

import dev.autotune.api.app.StoreLocation;
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

    StoreLocation path(String fallback) {
        if (db != null) {
            return StoreLocation.of("db", db);
        }
        String env = System.getenv("AUTOTUNE_DB");
        return StoreLocation.of("AUTOTUNE_DB", env != null && !env.isBlank() ? env : fallback);
    }
}
