package dev.autotune.runner.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.autotune.runner.report.ReportTesting.sample;
import static dev.autotune.runner.report.ReportTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Issue 13 item 4: only regular files are read, and never more than the size limit. */
class ReportLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aFifoIsRefusedInsteadOfBlockingForever() throws Exception {
        Path fifo = dir.resolve("report.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is available");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(() -> new ReportParser().parse(fifo))
                        .isInstanceOf(ReportException.class)
                        .hasMessage(fifo + ": is not a regular file (a FIFO, device or socket), expected a report file"));
    }

    @Test
    void endlessDevicesAreRefusedWithoutReadingThem() {
        for (String device : new String[] {"/dev/zero", "/dev/urandom"}) {
            Path path = Path.of(device);
            assumeTrue(Files.exists(path), device);
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    assertThatThrownBy(() -> new ReportParser().parse(path))
                            .isInstanceOf(ReportException.class).hasMessageContaining("not a regular file"));
        }
    }

    @Test
    void aReportOverTheLimitIsRefusedNamingTheLimitAndTheOverride() {
        Path report = sample("cloudai/extracted_from_tests/vllm/vllm-bench.json");
        assertThatThrownBy(() -> new ReportParser(100).parse(report))
                .isInstanceOf(ReportException.class)
                .hasMessage(report + ": is larger than 100 bytes, the most a report may be"
                        + " (ingest --max-report-mb N raises the limit)");
        assertThatThrownBy(() -> new ReportParser(100).parse(report, ReportFormat.VLLM_JSON))
                .isInstanceOf(ReportException.class).hasMessageContaining("larger than 100 bytes");
    }

    @Test
    void theDefaultLimitIsWholeMegabytesAndAReportAtTheLimitIsRead() throws Exception {
        assertThat(ReportParser.limitText(ReportParser.DEFAULT_MAX_BYTES)).isEqualTo("64 MB");
        Path report = write(dir, "r.json", "{\"latency_ms\": 90}");
        assertThat(new ReportParser(Files.size(report)).parse(report).metrics()).hasSize(1);
    }

    @Test
    void aSymlinkToARegularFileIsStillRead() throws Exception {
        Path report = write(dir, "r.json", "{\"latency_ms\": 90}");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), report);
        assertThat(new ReportParser().parse(link).metrics()).hasSize(1);
    }
}
