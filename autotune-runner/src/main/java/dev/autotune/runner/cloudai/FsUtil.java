package dev.autotune.runner.cloudai;

import dev.autotune.domain.OneLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

final class FsUtil {
    private FsUtil() {
    }

    /** The real path when it exists (cloudai/click resolves symlinks), else the absolute normalized path. */
    static Path canon(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException | SecurityException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** The first line of a small text file, or "" when it cannot be read. */
    static String firstLine(Path file) {
        try {
            return OneLine.first(Files.readString(file), "");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
