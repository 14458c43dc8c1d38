package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.common.StoreLocation;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

    /** The command this option is mixed into: its stderr writer gets the store's notices. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The store this option names, for a command that may create it; its notices go to the command's stderr. */
    Autotune open() {
        return notices(new Autotune(path()));
    }

    /**
     * The store this option names, for a command that reads it or acts on what it holds (a study, a trial, a
     * profile, a run): a file that is not there is a mistyped --db, refused in one line, never created.
     */
    Autotune existing() {
        return notices(Autotune.existing(path()));
    }

    /** The same, reading reports up to {@code maxReportBytes}. */
    Autotune open(long maxReportBytes) {
        return notices(new Autotune(path(), maxReportBytes));
    }

    /** Routes {@code autotune}'s notices to the command's stderr writer (picocli's getErr()). */
    Autotune notices(Autotune autotune) {
        return mixee == null ? autotune : autotune.noticesTo(Output.lines(mixee.commandLine().getErr()));
    }

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
