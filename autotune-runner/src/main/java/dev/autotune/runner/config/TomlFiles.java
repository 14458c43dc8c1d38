package dev.autotune.runner.config;

import dev.autotune.domain.OneLine;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads TOML files with one-line errors that name the file. */
public final class TomlFiles {
    /** Configs are hand-written, a few KB; the cap only keeps a wrong path from filling the heap. */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private TomlFiles() {
    }

    /**
     * tomlj's parser, whose own failures on input it does not expect become an IllegalArgumentException with a
     * one-line message. Fuzzing found a malformed table header ({@code [a.b#\0]} after an array of tables) that
     * trips an internal assertion in tomlj 2.2.0, so a user's file could otherwise end in an AssertionError.
     */
    static TomlParseResult parse(String text) {
        try {
            return Toml.parse(text);
        } catch (RuntimeException | AssertionError e) {
            throw new IllegalArgumentException("the TOML parser failed on this input (" + OneLine.of(String.valueOf(e)) + ")");
        }
    }

    /** A parsed file with the bytes it was parsed from. */
    public record Read(Path path, byte[] bytes, TomlParseResult toml) {
        public String sha256() {
            return Hashing.sha256(bytes);
        }
    }

    public static Read read(Path file) throws ConfigException {
        if (file == null) {
            throw new ConfigException(null, null, "no file given");
        }
        if (Files.isDirectory(file)) {
            throw new ConfigException(file, null, "is a directory, not a TOML file");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // a FIFO would block the read forever and a device would never end
            throw new ConfigException(file, null, "is not a regular file (a FIFO, device or socket), expected a TOML file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new ConfigException(file, null, "is larger than " + MAX_BYTES / (1024 * 1024)
                        + " MB, too large for a config");
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, null, "file does not exist");
        } catch (IOException e) {
            throw new ConfigException(file, null, "cannot read: " + e, e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, null, "is not UTF-8 text, so not TOML");
        }
        TomlParseResult r;
        try {
            r = parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, null, "invalid TOML: " + e.getMessage());
        }
        if (r.hasErrors()) {
            TomlParseError err = r.errors().get(0);
            String where = err.position() == null ? ""
                    : " at line " + err.position().line() + ", column " + err.position().column();
            String more = r.errors().size() > 1 ? " (and " + (r.errors().size() - 1) + " more errors)" : "";
            throw new ConfigException(file, null, "invalid TOML" + where + ": " + err.getMessage() + more);
        }
        return new Read(file, bytes, r);
    }
}
