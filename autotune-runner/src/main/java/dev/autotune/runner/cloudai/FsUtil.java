package dev.autotune.runner.cloudai;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

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

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }

    /** The first line of a small text file, or "" when it cannot be read. */
    static String firstLine(Path file) {
        try {
            String s = Files.readString(file);
            for (String l : s.split("\\R")) {
                if (!l.isBlank()) {
                    return l.strip();
                }
            }
            return "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
