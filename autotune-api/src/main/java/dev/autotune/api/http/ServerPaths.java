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
    private final Pattern upload;
    private final String dataDir;

    ServerPaths(Path uploadsDir) {
        Path uploads = uploadsDir.toAbsolutePath().normalize();
        this.upload = Pattern.compile(Pattern.quote(uploads.toString()) + "/(\\.upload-[^/\\s:]*|[0-9a-f]{64}-)?");
        Path parent = uploads.getParent();
        this.dataDir = parent == null ? null : parent + "/";
    }

    /** The message with upload paths reduced to the uploaded name and the database directory left out. */
    String scrub(String message) {
        if (message == null) {
            return null;
        }
        String m = upload.matcher(message).replaceAll(Matcher.quoteReplacement(""));
        return dataDir == null ? m : m.replace(dataDir, "");
    }
}
