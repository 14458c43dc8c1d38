package dev.autotune.api.http;

import dev.autotune.api.http.TestServer.Multipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 13 item 9: the upload limit is the report's size, and error bodies name no server path. */
class UploadEdgesTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;
    TestServer api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    /** A valid JSON report of exactly {@code size} bytes. */
    private static byte[] report(int size) {
        byte[] head = "{\"latency_ms\": 90".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) ' ');
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[size - 1] = '}';
        return bytes;
    }

    @Test
    void aReportOfExactlyMaxUploadMbIsAcceptedAndOneByteMoreIsNot() {
        api = TestServer.start(dir, o -> o.withMaxUploadBytes(MIB));
        var exact = api.post(new Multipart().file("report", "one-mib.json", report(MIB)).field("scenario", "s"), null);
        assertThat(exact.statusCode()).as(exact.body()).isEqualTo(201);
        var over = api.post(new Multipart().file("report", "over.json", report(MIB + 1)), null);
        TestServer.assertError(over, 413, "report");
        assertThat(api.json("/api/experiments").get("total").asInt()).isEqualTo(1);
    }

    @Test
    void aRefusedReportIsNamedAsUploadedWithoutTheServersPaths() {
        api = TestServer.start(dir);
        var r = api.post(new Multipart().file("report", "broken.json",
                "{\"latency_ms\": ".getBytes(StandardCharsets.UTF_8)), null);
        var body = TestServer.assertError(r, 400, "report");
        assertThat(body.get("error").asText()).startsWith("broken.json: truncated JSON");
        assertThat(r.body()).doesNotContain(dir.toString()).doesNotContain("uploads").doesNotContainPattern("[0-9a-f]{64}");

        var config = api.post(new Multipart().file("report", TestServer.example("batch-4-aiperf.json"))
                .file("config", "c.toml", "[broken".getBytes(StandardCharsets.UTF_8)), null);
        var configError = TestServer.assertError(config, 400, "config");
        assertThat(configError.get("error").asText()).startsWith("c.toml: ");
        assertThat(config.body()).doesNotContain(dir.toString()).doesNotContainPattern("[0-9a-f]{64}");
    }
}
