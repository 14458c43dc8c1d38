package dev.autotune.api.http;

import dev.autotune.api.app.runs.Runs;
import dev.autotune.api.app.Autotune;
import dev.autotune.domain.query.ExperimentDetail;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * GET /api/experiments/{id}/log: the stdout.log of a run. The recorded paths come from the event log, which a
 * server must not trust with the file system, so a file is served only when its real path (symlinks resolved)
 * lies inside the run directory that `autotune run` recorded for that experiment; the run directory itself must
 * not be a symlink (see {@link #confinement}).
 */
final class RunLogs {
    private final Autotune autotune;

    RunLogs(Autotune autotune) {
        this.autotune = autotune;
    }

    /** The run directory `autotune run` recorded; ingested experiments have none (their metadata is the user's). */
    static Optional<Path> runDir(ExperimentDetail d) {
        String dir = d.metadata().get(Runs.RUN_DIR);
        if (!"run".equals(d.source()) || dir == null || dir.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Path.of(dir));
    }

    /** The log a run wrote: the recorded path when absolute, else stdout.log in its run directory. */
    static Path declaredLog(ExperimentDetail d, Path runDir) {
        if (d.logPath() != null) {
            Path recorded = Path.of(d.logPath());
            // a relative path was relative to the runner's working directory, which the server does not know
            return recorded.isAbsolute() ? recorded : runDir.resolve(recorded.getFileName().toString());
        }
        return runDir.resolve("stdout.log");
    }

    Map<String, Object> artifacts(ExperimentDetail d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reports", d.reports().stream().map(ExperimentDetail.Report::path).toList());
        Optional<Path> dir = runDir(d);
        m.put("run_dir", dir.map(Path::toString).orElse(null));
        m.put("log_path", dir.map(p -> declaredLog(d, p).toString()).orElse(d.logPath()));
        m.put("log_url", dir.isPresent() ? "/api/experiments/" + d.number() + "/log" : null);
        return m;
    }

    void serve(Context ctx) {
        Params.only(ctx, Set.of("offset"));
        ExperimentDetail d = autotune.history().show(ctx.pathParam("id"));
        Path dir = runDir(d).orElseThrow(() -> HttpProblem.notFound("experiment " + d.number()
                + " has no log: it was ingested from a report, not launched by `autotune run`"));
        Path realDir = confinement(d, dir);
        Path log = declaredLog(d, dir);
        if (!Files.exists(log, LinkOption.NOFOLLOW_LINKS)) {
            throw HttpProblem.notFound("experiment " + d.number() + " has no log yet (" + log + ")");
        }
        Path real;
        try {
            real = log.toRealPath();
        } catch (NoSuchFileException e) {
            throw HttpProblem.notFound("experiment " + d.number() + ": " + log + " points at a file that does not exist");
        } catch (IOException e) {
            throw HttpProblem.forbidden("experiment " + d.number() + ": cannot resolve " + log + " (" + e.getMessage() + ")");
        }
        if (!real.startsWith(realDir) || !Files.isRegularFile(real)) {
            throw HttpProblem.forbidden("experiment " + d.number() + ": refusing to serve " + log
                    + ": it lies outside the run directory " + dir + " (or is not a regular file)");
        }
        stream(ctx, real);
    }

    /**
     * The directory a served file must lie in: the run directory as recorded, with the symlinks above it resolved
     * (runs/ may live on another disk) but not its own. Following a run directory that was replaced by a link
     * would confine the log to wherever the link points, so such a directory serves nothing.
     */
    private static Path confinement(ExperimentDetail d, Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(absolute)) {
            throw HttpProblem.forbidden("experiment " + d.number() + ": refusing to serve a log: its run directory "
                    + dir + " is a symbolic link, so files outside the run directory could be served");
        }
        Path parent = absolute.getParent();
        try {
            Path real = (parent == null ? absolute : parent.toRealPath().resolve(absolute.getFileName()));
            if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(real.toString());
            }
            return real;
        } catch (IOException e) {
            throw HttpProblem.notFound("experiment " + d.number() + ": run directory " + dir + " no longer exists");
        }
    }

    /** From {@code offset} to the size the file has now; a follower asks again from X-Log-Size. */
    private static void stream(Context ctx, Path file) {
        long offset = Params.integer(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        try {
            long size = Files.size(file);
            long from = Math.min(offset, size);
            InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
            in.skipNBytes(from);
            ctx.header("X-Log-Size", Long.toString(size))
                    .header("Cache-Control", "no-store")
                    .contentType("text/plain; charset=utf-8")
                    .result(new BoundedInputStream(in, size - from));
        } catch (IOException e) {
            throw HttpProblem.notFound("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Stops at the length measured before streaming, so X-Log-Size is exactly where the next read starts. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long left;

        BoundedInputStream(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(buf, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
