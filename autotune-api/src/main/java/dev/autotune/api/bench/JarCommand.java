package dev.autotune.api.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs an autotune command as a user runs it: a fresh JVM from this jar, with the options `./autotune` uses. */
public final class JarCommand {
    private JarCommand() {
    }

    /**
     * {@code java <the options ./autotune wrote beside the jar> -jar autotune.jar}, or null when not running from
     * the jar.
     */
    public static List<String> base() throws IOException {
        Path jar = ownJar();
        if (jar == null) {
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        Path jvmOptions = jar.resolveSibling("autotune.jvm-options");
        if (Files.isRegularFile(jvmOptions)) {
            Files.readAllLines(jvmOptions).stream().filter(l -> !l.isBlank()).forEach(cmd::add);
        }
        // the C1-only JIT ./autotune adds for short commands
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(List.of("-jar", jar.toString()));
        return cmd;
    }

    /** Wall time of one run in milliseconds, fork to exit; a non-zero exit is an error. */
    public static double time(List<String> base, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(base);
        cmd.addAll(args);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        int exit = p.waitFor();
        double millis = (System.nanoTime() - t0) / 1e6;
        if (exit != 0) {
            throw new IOException(String.join(" ", args) + " exited " + exit + ": " + new String(output));
        }
        return millis;
    }

    static Path ownJar() {
        try {
            Path p = Path.of(JarCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString().endsWith(".jar") ? p : null;
        } catch (Exception e) {
            return null;
        }
    }
}
