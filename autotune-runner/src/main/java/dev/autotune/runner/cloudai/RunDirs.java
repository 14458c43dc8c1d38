package dev.autotune.runner.cloudai;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Allocates autotune run dirs: {@code <runs>/<NNNN>_<scenario>_<YYYY-MM-DD_HH-MM-SS>/}. */
public final class RunDirs {
    private static final Pattern NUMBERED = Pattern.compile("^(\\d{4,})_.*");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss");

    private RunDirs() {
    }

    /**
     * Creates and returns the next numbered run dir (one more than the highest number present). Safe against a
     * concurrent allocation in the same dir: a name that already exists is skipped.
     */
    public static Path allocate(Path runsRoot, String scenario, LocalDateTime now) throws IOException {
        Files.createDirectories(runsRoot);
        int next = highest(runsRoot) + 1;
        String safe = sanitize(scenario);
        String stamp = STAMP.format(now);
        for (int attempt = 0; attempt < 1000; attempt++, next++) {
            Path dir = runsRoot.resolve(String.format("%04d_%s_%s", next, safe, stamp));
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // taken by a concurrent run; try the next number
            }
        }
        throw new IOException("cannot allocate a run dir in " + runsRoot);
    }

    static int highest(Path runsRoot) throws IOException {
        int max = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(runsRoot)) {
            for (Path p : ds) {
                Matcher m = NUMBERED.matcher(p.getFileName().toString());
                if (m.matches()) {
                    try {
                        max = Math.max(max, Integer.parseInt(m.group(1)));
                    } catch (NumberFormatException ignored) {
                        // absurdly long number: not ours
                    }
                }
            }
        }
        return max;
    }

    /** A scenario name made safe for a dir name: anything but letters, digits, '.', '_' and '-' becomes '-'. */
    static String sanitize(String scenario) {
        String s = scenario == null || scenario.isBlank() ? "scenario" : scenario.strip();
        s = s.replaceAll("[^A-Za-z0-9._-]+", "-");
        if (s.startsWith(".")) {
            s = "_" + s.substring(1);
        }
        return s.length() > 80 ? s.substring(0, 80) : s;
    }
}
