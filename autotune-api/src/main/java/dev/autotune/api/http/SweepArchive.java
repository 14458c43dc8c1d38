package dev.autotune.api.http;

import dev.autotune.api.app.recording.Recording;
import dev.autotune.api.app.Autotune;
import dev.autotune.domain.OneLine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * A CloudAI DSE sweep uploaded as a zip of its results: {@code trajectory.csv} is recorded with the step directories
 * beside it ({@code <step>/}, each with its test-run.toml and reports), which one file part cannot carry. The zip is
 * unpacked next to the uploads, into {@code <sha256>-<name>/}, so the report paths the events record stay valid,
 * and the one {@code trajectory.csv} inside is what {@link dev.autotune.api.app.recording.Recording#ingest} records, exactly as `autotune ingest`
 * records it from disk.
 */
final class SweepArchive {
    /**
     * A zip entry count no results dir of a sweep comes near (a step dir holds a dozen files); more is a zip bomb, not
     * a sweep, and each entry is a file on the server's disk.
     */
    static final int MAX_ENTRIES = 5_000;
    /** The most step dirs one sweep may record (each is an experiment). */
    static final int MAX_STEPS = 1_000;
    /** Entry names: no file system takes a longer segment, and no results dir nests deeper. */
    static final int MAX_SEGMENT_BYTES = 255;
    static final int MAX_DEPTH = 16;
    static final int MAX_NAME = 1_024;

    private SweepArchive() {
    }

    /** A zip by its first bytes, whatever the client named it. */
    static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        }
    }

    /**
     * Unpacks {@code zip} into {@code into} (unless an upload of the same bytes already did: the directory is then
     * reused and left alone, as a kept report is) and returns the trajectory inside. Entries that would land outside
     * {@code into}, more than {@code maxBytes} unpacked in all, or a zip without exactly one trajectory refuse the
     * upload as the {@code report} field's fault; a directory created here is added to {@code created}.
     */
    static Path unpack(Path zip, Path into, long maxBytes, Supplier<HttpProblem> tooLarge, List<Path> created)
            throws IOException {
        if (!Files.isDirectory(into)) {
            Path temp = Files.createTempDirectory(into.getParent(), ".sweep-");
            try {
                extract(zip, temp, maxBytes, tooLarge);
                steps(trajectory(temp).getParent());
                Files.move(temp, into, StandardCopyOption.ATOMIC_MOVE);
                created.add(into);
            } finally {
                deleteTree(temp);
            }
        }
        return trajectory(into);
    }

    private static void extract(Path zip, Path into, long maxBytes, Supplier<HttpProblem> tooLarge) throws IOException {
        long total = 0;
        int entries = 0;
        java.util.Set<Path> seen = new java.util.HashSet<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (++entries > MAX_ENTRIES) {
                    throw HttpProblem.badRequest("report", "the zip has more than " + MAX_ENTRIES + " entries;"
                            + " upload one sweep's results dir");
                }
                String name = entry.getName();
                Path target = into.resolve(checkedName(name)).normalize();
                if (target.equals(into)) {
                    continue; // "./" itself
                }
                if (!target.startsWith(into)) {
                    throw HttpProblem.badRequest("report", "the zip entry '" + shown(name)
                            + "' points outside the archive; refused");
                }
                if (!seen.add(target)) {
                    throw HttpProblem.badRequest("report", "the zip holds '" + shown(name) + "' twice; refused");
                }
                // a name that was a file before and is a directory now (or under one): the zip contradicts itself
                for (Path p = entry.isDirectory() ? target : target.getParent(); !p.equals(into); p = p.getParent()) {
                    if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        throw HttpProblem.badRequest("report", "the zip entry '" + shown(name) + "' lies under '"
                                + into.relativize(p) + "', which the zip holds as a file; refused");
                    }
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                if (Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw HttpProblem.badRequest("report", "the zip entry '" + shown(name) + "' is a file where it"
                            + " also holds a directory; refused");
                }
                Files.createDirectories(target.getParent());
                // counted while copying: the sizes a zip declares are the sender's word
                long room = maxBytes - total;
                long written;
                try (var out = Files.newOutputStream(target)) {
                    written = copy(in, out, room + 1);
                }
                total += written;
                if (total > maxBytes) {
                    throw tooLarge.get();
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            throw HttpProblem.badRequest("report", "the zip cannot be read: " + OneLine.first(e.getMessage(),
                    "it ends early"));
        } catch (IllegalArgumentException e) {
            // ZipInputStream's word for an entry name that is not UTF-8
            throw HttpProblem.badRequest("report", "the zip cannot be read: an entry name is not UTF-8 ("
                    + OneLine.first(e.getMessage(), "malformed") + ")");
        }
    }

    /** The entry name, refused when no file system here could hold it. */
    private static String checkedName(String name) {
        if (name.length() > MAX_NAME) {
            throw HttpProblem.badRequest("report", "the zip entry '" + shown(name) + "' has a name longer than "
                    + MAX_NAME + " characters; refused");
        }
        String[] segments = name.split("[/\\\\]");
        if (segments.length > MAX_DEPTH) {
            throw HttpProblem.badRequest("report", "the zip entry '" + shown(name) + "' is nested deeper than "
                    + MAX_DEPTH + " directories; refused");
        }
        for (String segment : segments) {
            if (segment.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw HttpProblem.badRequest("report", "the zip entry '" + shown(name) + "' has a name part longer"
                        + " than " + MAX_SEGMENT_BYTES + " bytes; refused");
            }
            if (segment.indexOf('\0') >= 0) {
                throw HttpProblem.badRequest("report", "the zip entry '" + shown(name) + "' has a NUL in its name");
            }
        }
        return name;
    }

    /** An entry name as an error quotes it: never a kilobyte of it. */
    private static String shown(String name) {
        return name.length() <= 120 ? name : name.substring(0, 120) + "...";
    }

    private static long copy(InputStream in, java.io.OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long written = 0;
        int n;
        while (written < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - written))) > 0) {
            out.write(buffer, 0, n);
            written += n;
        }
        return written;
    }

    /** Refuses a sweep of more than {@link #MAX_STEPS} step dirs: each one is recorded as an experiment. */
    private static void steps(Path iterationDir) throws IOException {
        long steps;
        try (Stream<Path> dirs = Files.list(iterationDir)) {
            steps = dirs.filter(p -> p.getFileName().toString().matches("\\d{1,9}") && Files.isDirectory(p)).count();
        }
        if (steps > MAX_STEPS) {
            throw HttpProblem.badRequest("report", "the sweep has " + steps + " step dirs; an upload records at most "
                    + MAX_STEPS);
        }
    }

    /** The one trajectory.csv in the unpacked tree. */
    private static Path trajectory(Path root) throws IOException {
        List<Path> found;
        try (Stream<Path> files = Files.walk(root)) {
            found = files.filter(p -> p.getFileName().toString().equals(Recording.TRAJECTORY) && Files.isRegularFile(p))
                    .sorted().toList();
        }
        if (found.isEmpty()) {
            throw HttpProblem.badRequest("report", "the zip holds no " + Recording.TRAJECTORY + "; a zip upload is a"
                    + " CloudAI DSE sweep: zip the iteration dir that holds trajectory.csv and its step dirs");
        }
        if (found.size() > 1) {
            List<String> names = new ArrayList<>();
            found.forEach(p -> names.add(root.relativize(p).toString()));
            throw HttpProblem.badRequest("report", "the zip holds " + found.size() + " trajectories ("
                    + String.join(", ", names) + "); upload one sweep iteration per zip");
        }
        return found.get(0);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
