package dev.autotune.runner.cloudai;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one rule for the files a step's results name: a file is read only when it lies inside the directory the results
 * were read from, both as named and after symlinks. A step's {@code test-run.toml} names files itself (an AIPerf
 * phase's {@code report-name}, an AI Dynamo test's {@code cmd_args.workloads}), and results come from other machines
 * and from uploads, so a name such as {@code /etc/passwd} or {@code ../../x} must not make autotune open, parse or
 * record a file the results do not hold. Each file turned away is kept (once per name) as an {@link Outside}, for the caller to
 * warn about (a results dir on the user's disk) or to refuse (an upload). One instance per analysis.
 */
public final class ReadBoundary {
    /**
     * A file a step named outside the boundary; it was not read.
     *
     * @param source the file that names it (a step's test-run.toml), or the step dir for a file the workload reads
     * @param key    the key naming it ({@code cmd_args.aiperf_phases[1].report-name}), or null for a file the workload
     *               always reads (then a symlink leads outside)
     * @param file   the file as named, absolute and normalized
     */
    public record Outside(Path source, String key, Path file) {
    }

    private final Path dir;
    private final Path real;
    private final Set<Outside> outside = new LinkedHashSet<>();

    /** Everything under {@code dir}; a null dir admits nothing (there are no results to read from). */
    ReadBoundary(Path dir) {
        this.dir = dir == null ? null : dir.toAbsolutePath().normalize();
        this.real = dir == null ? null : FsUtil.canon(dir);
    }

    /**
     * Whether {@code file} may be read; when not, it is remembered as named by {@code key} of {@code source}. A file
     * that does not exist is judged by its nearest existing parent, so a name outside is refused whether or not
     * something is there (an upload must not learn which server paths exist).
     */
    boolean admit(Path file, Path source, String key) {
        Path named = file.toAbsolutePath().normalize();
        if (inside(named)) {
            return true;
        }
        outside.add(new Outside(source, key, named));
        return false;
    }

    private boolean inside(Path named) {
        if (dir == null || !named.startsWith(dir) && !named.startsWith(real)) {
            return false;
        }
        Path existing = named;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return false;
        }
        try {
            return existing.toRealPath().startsWith(real);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** The directory files must lie in, as given. */
    Path dir() {
        return dir;
    }

    List<Outside> outside() {
        return new ArrayList<>(outside);
    }

    /** What a person reads about a file not read (after "warning: "). */
    static String warning(Outside o, Path boundary) {
        String what = o.key() == null ? o.source() + " holds " + o.file() : o.source() + " names " + o.file()
                + " (" + o.key() + ")";
        return what + (o.file().startsWith(boundary) ? ", a link to a file outside " : ", outside ") + boundary
                + "; not read (pass the file to `autotune ingest` to record it)";
    }
}
