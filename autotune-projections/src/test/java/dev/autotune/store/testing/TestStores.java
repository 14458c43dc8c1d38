package dev.autotune.store.testing;

import dev.autotune.store.Database;
import dev.autotune.store.DatabaseUrl;

import java.nio.file.Path;
import java.util.Map;

/**
 * The store the test suites run on: SQLite files by default; a database of the throwaway PostgreSQL cluster per
 * call with {@code -Dautotune.test.store=postgresql} (the second surefire/failsafe execution CI runs).
 */
public final class TestStores {
    public static final String PROPERTY = "autotune.test.store";

    private TestStores() {
    }

    public static boolean onPostgres() {
        return "postgresql".equals(System.getProperty(PROPERTY));
    }

    /**
     * Where a test's database {@code name} lives: {@code dir/name} on SQLite, a fresh database on PostgreSQL
     * (the password in the URL). What {@code --db} would be given.
     */
    public static String location(Path dir, String name) {
        if (onPostgres()) {
            PostgresCluster pg = PostgresCluster.get();
            return pg.url(pg.freshDatabase(name));
        }
        return dir.resolve(name).toString();
    }

    public static DatabaseUrl url(Path dir, String name) {
        return DatabaseUrl.parse(location(dir, name), Map.of());
    }

    public static Database open(Path dir, String name) {
        return Database.open(url(dir, name));
    }
}
