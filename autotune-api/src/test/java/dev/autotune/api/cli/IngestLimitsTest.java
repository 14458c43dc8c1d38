package dev.autotune.api.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 13 item 4 at the command line: devices and oversized reports get one line and exit 2. */
class IngestLimitsTest {
    @TempDir
    Path dir;

    @Test
    void ingestOfADeviceIsOneLineAndNothingIsCreated() {
        Path db = dir.resolve("a.db");
        Result r = run("ingest", "/dev/zero", "--db", db.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out().strip()).isEqualTo("autotune: /dev/zero: is not a regular file (a FIFO, device or socket),"
                + " expected a report file");
        assertThat(db).doesNotExist();
    }

    @Test
    void maxReportMbCapsTheReportAndRaisesTheCap() throws Exception {
        // 1.5 MB of valid JSON: a metric and padding
        Path report = dir.resolve("big.json");
        Files.writeString(report, "{\"latency_ms\": 90" + " ".repeat(1536 * 1024) + "}");
        Path db = dir.resolve("b.db");

        Result refused = run("ingest", report.toString(), "--max-report-mb", "1", "--db", db.toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.out().strip()).isEqualTo("autotune: " + report + ": is larger than 1 MB, the most a report"
                + " may be (ingest --max-report-mb N raises the limit)");

        Result accepted = run("ingest", report.toString(), "--max-report-mb", "2", "--db", db.toString());
        assertThat(accepted.exit()).as(accepted.out()).isZero();
        assertThat(run("ingest", report.toString(), "--max-report-mb", "0", "--db", db.toString()).out())
                .contains("--max-report-mb: must be between 1 and");
    }

    record Result(int exit, String out) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int exit = AutotuneCli.execute(both, both, StandardCharsets.UTF_8, args);
        return new Result(exit, bytes.toString(StandardCharsets.UTF_8));
    }
}
