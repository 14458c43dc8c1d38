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
 * an unknown platform) leaves the driver to do what it always does; so does a copy that fails to load (say a
 * home directory shared by a glibc and a musl machine): the driver then extracts its own as usual.
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
            // keyed by the JVM's own platform properties: the driver's platform check (OSInfo) starts a `uname`
            // process, which only the first start, the one that extracts the copy, pays for
            Path dir = cacheRoot().resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion())
                    .resolve(platform(System.getProperty("os.name")) + "-" + platform(System.getProperty("os.arch")));
            Path lib = dir.resolve(name);
            if (!Files.isRegularFile(lib)) {
                String folder = OSInfo.getNativeLibFolderPathForCurrentOS();
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

    private static String platform(String property) {
        return property == null ? "unknown" : property.replaceAll("[^A-Za-z0-9_.]", "_");
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "autotune");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "autotune");
    }
}
