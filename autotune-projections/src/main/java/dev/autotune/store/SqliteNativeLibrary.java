package dev.autotune.store;

import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * sqlite-jdbc copies its native library out of the jar into a new temporary file on every start, which costs a
 * short command more than its own work. The first start keeps one copy per driver version in the user's cache
 * directory, and later starts load that copy. Anything unusual (a property already set, no writable cache,
 * an unknown platform) leaves the driver to do what it always does.
 */
final class SqliteNativeLibrary {
    private static boolean prepared;

    private SqliteNativeLibrary() {
    }

    static synchronized void useCachedCopy() {
        if (prepared || System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        prepared = true;
        try {
            String name = System.mapLibraryName("sqlitejdbc");
            String folder = OSInfo.getNativeLibFolderPathForCurrentOS();
            Path dir = cacheRoot().resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion()).resolve(folder);
            Path lib = dir.resolve(name);
            if (!Files.isRegularFile(lib)) {
                try (InputStream in = SqliteNativeLibrary.class.getResourceAsStream("/org/sqlite/native/" + folder + "/" + name)) {
                    if (in == null) {
                        return;
                    }
                    Files.createDirectories(dir);
                    // write aside and move, so a concurrent start never loads half a file
                    Path part = Files.createTempFile(dir, name, ".part");
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", name);
        } catch (IOException | RuntimeException e) {
            // the driver's own extraction still works
        }
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "autotune");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "autotune");
    }
}
