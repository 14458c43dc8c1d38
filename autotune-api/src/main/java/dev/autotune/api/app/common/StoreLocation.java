package dev.autotune.api.app.common;

import dev.autotune.store.DatabaseUrl;

import java.nio.file.Path;

/**
 * Where the history is, as the adapters hold it: a SQLite file or a PostgreSQL database, from {@code --db} or
 * {@code AUTOTUNE_DB}. Its {@code toString()} never shows a password, so it can go into any message.
 */
public final class StoreLocation {
    private final DatabaseUrl url;

    private StoreLocation(DatabaseUrl url) {
        this.url = url;
    }

    /** Bad text is a {@link UserError} on {@code field}; the message masks a password. */
    public static StoreLocation of(String field, String text) {
        try {
            return new StoreLocation(DatabaseUrl.parse(text));
        } catch (IllegalArgumentException e) {
            throw new UserError(field, e.getMessage());
        }
    }

    public static StoreLocation file(Path file) {
        return new StoreLocation(DatabaseUrl.sqlite(file));
    }

    public DatabaseUrl url() {
        return url;
    }

    public boolean isServer() {
        return url.isPostgres();
    }

    /**
     * The directory files that belong with the history go to (uploads, the demo's files): the SQLite file's
     * directory, or for a server the working directory.
     */
    public Path localDirectory() {
        return url.localDirectory();
    }

    /** The absolute file path, or the masked URL. */
    public String describe() {
        return url.isPostgres() ? url.toString() : url.file().toAbsolutePath().normalize().toString();
    }

    @Override
    public String toString() {
        return url.toString();
    }
}
