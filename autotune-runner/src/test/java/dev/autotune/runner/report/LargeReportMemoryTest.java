package dev.autotune.runner.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.autotune.runner.report.ReportTesting.sample;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 item 4: a large per-request JSONL or log is read one line at a time, so its cost is the text plus the
 * samples, not a JSON tree per line (which took 2.4 GB of heap for a 200 MB report). Measured in a child JVM with
 * a heap well below what holding every line's tree needs.
 */
class LargeReportMemoryTest {
    private static final int HEAP_MB = 384;

    @TempDir
    Path dir;

    /** Entry point of the child JVM: parses the file with the given size limit, prints the metric count. */
    public static void main(String[] args) throws Exception {
        ParsedReport report = new ReportParser(Long.parseLong(args[1])).parse(Path.of(args[0]));
        System.out.println(report.format().code() + " " + report.metrics().size());
    }

    @Test
    void aHundredMegabyteAiperfJsonlParsesInASmallHeap() throws Exception {
        List<String> records = Files.readAllLines(sample("aiperf/run1-2025-10-03/profile_export.jsonl"));
        Path big = dir.resolve("profile_export.jsonl");
        long target = 100L * 1024 * 1024;
        try (BufferedWriter out = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            long written = 0;
            while (written < target) {
                for (String record : records) {
                    out.write(record);
                    out.write('\n');
                    written += record.length() + 1;
                }
            }
        }
        assertThat(childParse(big)).startsWith("aiperf-jsonl ");
    }

    @Test
    void aHundredMegabyteLogParsesInASmallHeap() throws Exception {
        String result = "============ Serving Benchmark Result ============\n"
                + "Successful requests:                     100\n"
                + "Output token throughput (tok/s):         330.5\n"
                + "Mean TTFT (ms):                          25.1\n";
        Path big = dir.resolve("server.log");
        String noise = "INFO 10-03 12:00:00 engine.py:300] Avg prompt throughput: 0.0 tokens/s, running: 8 reqs\n";
        try (BufferedWriter out = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            for (long written = 0; written < 100L * 1024 * 1024; written += noise.length()) {
                out.write(noise);
            }
            out.write(result);
        }
        assertThat(childParse(big)).startsWith("text-log ");
    }

    private static String childParse(Path file) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP_MB + "m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                LargeReportMemoryTest.class.getName(), file.toString(), Long.toString(200L * 1024 * 1024))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.strip();
    }
}
