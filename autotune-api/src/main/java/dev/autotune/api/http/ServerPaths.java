package dev.autotune.api.http;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the server's file system layout out of error bodies. Messages from the parsers name the file they read,
 * which for an upload is {@code <db dir>/uploads/<sha256>-<name>}; the client only knows {@code <name>}, and a
 * web client has no business learning where the database lives.
 */
final class ServerPaths {
    private final java.util.List<Pattern> uploads = new java.util.ArrayList<>();
    private final java.util.List<String> dataDirs = new java.util.ArrayList<>();

    ServerPaths(Path uploadsDir) {
        Path given = uploadsDir.toAbsolutePath().normalize();
        add(given);
        // a path read back from the file system (a sweep's step dirs) is canonical: a symlinked data dir differs
        try {
            Path real = given.getParent() == null ? given
                    : given.getParent().toRealPath().resolve(given.getFileName());
            if (!real.equals(given)) {
                add(real);
            }
        } catch (java.io.IOException e) {
            // no data dir yet: nothing canonical to hide
        }
    }

    private void add(Path uploads) {
        this.uploads.add(Pattern.compile(Pattern.quote(uploads.toString())
                + "/(\\.upload-[^/\\s:]*|[0-9a-f]{64}-)?"));
        Path parent = uploads.getParent();
        if (parent != null) {
            dataDirs.add(parent + "/");
        }
    }

    /** The message with upload paths reduced to the uploaded name and the database directory left out. */
    String scrub(String message) {
        if (message == null) {
            return null;
        }
        String m = message;
        for (Pattern p : uploads) {
            m = p.matcher(m).replaceAll(Matcher.quoteReplacement(""));
        }
        for (String d : dataDirs) {
            m = m.replace(d, "");
        }
        return m;
    }
}
