package dev.autotune.runner.config;

import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads TOML files with one-line errors that name the file. */
public final class TomlFiles {
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
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
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
