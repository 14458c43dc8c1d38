package dev.autotune.api.bench;

import dev.autotune.runner.files.Directories;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a benchmark writes: the directory the user named, kept, or a new temporary one, deleted on close. */
public final class WorkDir implements AutoCloseable {
    private final Path path;
    private final boolean temporary;

    private WorkDir(Path path, boolean temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    /** {@code dir} (created when missing), or a new temporary directory named after {@code prefix} when null. */
    public static WorkDir of(Path dir, String prefix) throws IOException {
        return dir != null ? new WorkDir(Files.createDirectories(dir), false)
                : new WorkDir(Files.createTempDirectory(prefix), true);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        if (temporary) {
            Directories.deleteTree(path);
        }
    }
}
