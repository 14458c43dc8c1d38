package dev.autotune.api.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times `autotune list` as a user runs it: a fresh JVM from the jar with `./autotune`'s options, wall clock from fork to
 * exit, its table written to a file. This JVM waits to be idle first and reports the CPU it used meanwhile.
 */
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
        // The output goes to a file, as `./autotune list > file` would: read through a pipe, this JVM would wake up
        // for every 64 KiB of the table and compete with the child it is timing.
        Path output = db.resolveSibling("list-timing.out");
        Path errors = db.resolveSibling("list-timing.err");
        long settledMillis = settle();
        long parentCpu = 0;
        double[] millis = new double[runs];
        long lines = 0;
        for (int i = 0; i < runs; i++) {
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectOutput(output.toFile())
                    .redirectError(errors.toFile());
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            Process p = builder.start();
            int exit = p.waitFor();
            millis[i] = (System.nanoTime() - t0) / 1e6;
            // only while the child runs: counting its lines afterwards competes with nothing
            parentCpu += processCpuNanos() - cpu0;
            if (exit != 0) {
                throw new IOException("autotune list exited " + exit + ": " + Files.readString(errors));
            }
            try (var l = Files.lines(output)) {
                lines = l.count();
            }
        }
        long parentCpuMillis = parentCpu / 1_000_000;
        Files.deleteIfExists(output);
        Files.deleteIfExists(errors);
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        out.printf("`autotune list` over %d rows, %d runs, wall time incl. JVM start: median %.0f ms, max %.0f ms "
                + "(runs: %s)%n", lines - 1, runs, sorted[runs / 2], sorted[runs - 1], format(millis));
        // said so that a reader can tell the timing was not shared with this JVM's own work
        out.printf("this JVM: idle after %d ms of waiting; %d ms of CPU while the %d runs ran%n", settledMillis,
                parentCpuMillis, runs);
    }

    /**
     * Waits until this JVM is idle: populating the store leaves the JIT compiling, garbage to collect and the store's
     * threads winding down, which would take one of a small machine's cores from the `list` being timed. Returns the
     * milliseconds waited; gives up after 10 s (a machine busy with something else would never look idle).
     */
    private static long settle() throws InterruptedException {
        long start = System.nanoTime();
        System.gc();
        long window = 100;
        long deadline = start + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            long cpu0 = processCpuNanos();
            Thread.sleep(window);
            // under 5% of one core over the window: only this loop and the JVM's housekeeping
            if (processCpuNanos() - cpu0 < window * 1_000_000 / 20) {
                break;
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** CPU time of this whole JVM (all its threads, the JIT's and GC's included). */
    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
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
