package dev.autotune.api.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Times `autotune list` as a user runs it: a fresh JVM from the jar, wall clock from fork to exit. */
public final class ListTiming {
    private final PrintStream out;

    public ListTiming(PrintStream out) {
        this.out = out;
    }

    public void run(Path db, int runs) throws IOException, InterruptedException {
        Path jar = ownJar();
        if (jar == null) {
            out.println("list timing skipped: not running from the autotune jar");
            return;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        // the JVM options ./autotune starts every command with (written beside the jar with its class-data
        // archive), plus the C1-only JIT it adds for short commands such as list
        List<String> cmd = new ArrayList<>(List.of(java));
        Path jvmOptions = jar.resolveSibling("autotune.jvm-options");
        if (Files.isRegularFile(jvmOptions)) {
            Files.readAllLines(jvmOptions).stream().filter(l -> !l.isBlank()).forEach(cmd::add);
        } else {
            out.println("no autotune.jvm-options yet: run ./autotune once to record them and the class-data archive;"
                    + " this times a plain JVM start");
        }
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(List.of("-jar", jar.toString(), "list", "--db", db.toString()));
        out.println("timing: " + String.join(" ", cmd));
        double[] millis = new double[runs];
        int lines = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            int exit = p.waitFor();
            millis[i] = (System.nanoTime() - t0) / 1e6;
            if (exit != 0) {
                throw new IOException("autotune list exited " + exit + ": " + new String(output));
            }
            lines = (int) new String(output).lines().count();
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        out.printf("`autotune list` over %d rows, %d runs, wall time incl. JVM start: median %.0f ms, max %.0f ms "
                + "(runs: %s)%n", lines - 1, runs, sorted[runs / 2], sorted[runs - 1], format(millis));
    }

    private static String format(double[] millis) {
        List<String> parts = new ArrayList<>();
        for (double m : millis) {
            parts.add(String.format("%.0f", m));
        }
        return String.join(", ", parts);
    }

    private static Path ownJar() {
        try {
            Path p = Path.of(ListTiming.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString().endsWith(".jar") ? p : null;
        } catch (Exception e) {
            return null;
        }
    }
}
