package dev.autotune.runner.cloudai;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Installs the stand-in cloudai (src/test/resources/fake-cloudai) into a temp dir, made executable (Maven's resource
 * copy drops the executable bit), and writes wrapper executables that select its behaviour through environment
 * variables, so the code under test launches a real process tree exactly as it would launch cloudai.
 */
final class FakeCloudai {
    final Path home;
    final Path script;

    private FakeCloudai(Path home) {
        this.home = home;
        this.script = home.resolve("cloudai");
    }

    static FakeCloudai install(Path tmp) {
        try {
            Path src = resource("fake-cloudai/cloudai").getParent();
            Path home = tmp.resolve("fake-cloudai");
            try (Stream<Path> files = Files.walk(src)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path dst = home.resolve(src.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(dst);
                    } else {
                        Files.copy(p, dst, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            FakeCloudai f = new FakeCloudai(home);
            executable(f.script);
            executable(f.scancel());
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stand-in {@code scancel}: it records the job ids it is given in {@link #cancelled()}'s file. */
    Path scancel() {
        return home.resolve("scancel");
    }

    /** Every job id the stand-in scancel was given, in order (by the stand-in cloudai or by autotune). */
    java.util.List<String> cancelled() {
        Path log = home.resolve("scancel.log");
        try {
            return Files.exists(log) ? Files.readAllLines(log) : java.util.List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code <dir>/cloudai} executable that runs the fake with the given environment. */
    Path wrapper(Path dir, Map<String, String> env) {
        try {
            Files.createDirectories(dir);
            StringBuilder sb = new StringBuilder("#!/bin/sh\n");
            env.forEach((k, v) -> sb.append("export ").append(k).append("='").append(v.replace("'", "'\\''"))
                    .append("'\n"));
            sb.append("exec '").append(script).append("' \"$@\"\n");
            Path w = dir.resolve("cloudai");
            Files.writeString(w, sb.toString());
            executable(w);
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void executable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static Path resource(String name) {
        URL url = FakeCloudai.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource missing: " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a test resource file into dir (keeping its file name) and returns the copy. */
    static Path copyResource(String name, Path dir) {
        try {
            Files.createDirectories(dir);
            Path src = resource(name);
            return Files.copy(src, dir.resolve(src.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
