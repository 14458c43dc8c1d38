package dev.autotune.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.store.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Issue 13 item 5: a malformed multipart body is a 400 with a JSON error, and nothing is recorded. */
class MultipartErrorsTest {
    @TempDir
    Path dir;
    TestServer api;

    @BeforeEach
    void start() {
        api = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static Stream<Arguments> malformed() {
        String part = "--B\r\nContent-Disposition: form-data; name=\"report\"; filename=\"r.json\"\r\n\r\n"
                + "{\"latency_ms\": 90}\r\n";
        return Stream.of(
                arguments("no boundary parameter", "multipart/form-data", part + "--B--\r\n"),
                arguments("empty boundary", "multipart/form-data; boundary=", part + "--B--\r\n"),
                arguments("boundary not in the body", "multipart/form-data; boundary=ZZZ", part + "--B--\r\n"),
                arguments("garbage body", "multipart/form-data; boundary=B", "\u0000\u0001garbage\r\n\r\n\u00ff"),
                arguments("empty body", "multipart/form-data; boundary=B", ""),
                arguments("no closing boundary", "multipart/form-data; boundary=B", part),
                arguments("100 KB part header", "multipart/form-data; boundary=B", "--B\r\nContent-Disposition: form-data;"
                        + " name=\"report\"; filename=\"r.json\"\r\nX-Pad: " + "a".repeat(100 * 1024) + "\r\n\r\n{}\r\n--B--\r\n"),
                arguments("part without headers", "multipart/form-data; boundary=B", "--B\r\n\r\n{}\r\n--B--\r\n"),
                arguments("part without a name", "multipart/form-data; boundary=B",
                        "--B\r\nContent-Disposition: form-data\r\n\r\n{}\r\n--B--\r\n"),
                arguments("boundary of 100 KB", "multipart/form-data; boundary=" + "b".repeat(100 * 1024),
                        part + "--B--\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void isA400WithAJsonErrorAndNothingRecorded(String name, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Response r = RawHttp.send(api.server.port(), "POST /api/experiments HTTP/1.1\r\nHost: 127.0.0.1:"
                + api.server.port() + "\r\nConnection: close\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + bytes.length, bytes, false);
        assertThat(r.status()).as(name + ": " + r.body()).isIn(400, 431, 413);
        JsonNode error = json(r);
        assertThat(error.path("error").asText()).as(r.body()).isNotBlank().doesNotContain("\n");
        assertThat(api.json("/api/experiments").get("total").asInt()).isZero();
    }

    @Test
    void aBodyShorterThanItsContentLengthIsA400() {
        String body = "--B\r\nContent-Disposition: form-data; name=\"report\"; filename=\"r.json\"\r\n\r\n{\"latency";
        long started = System.nanoTime();
        RawHttp.Response r = RawHttp.send(api.server.port(), "POST /api/experiments HTTP/1.1\r\nHost: 127.0.0.1:"
                + api.server.port() + "\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 5000",
                body.getBytes(StandardCharsets.ISO_8859_1), true);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(json(r).path("field").asText()).isEqualTo("report");
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms until the answer").isLessThan(10_000);
        assertThat(api.json("/api/experiments").get("total").asInt()).isZero();
    }

    @Test
    void aBodyThatStopsArrivingIsA400WhenTheConnectionTimesOut() {
        // the probe's case: the client keeps the connection open, so only Jetty's 30 s idle timeout ends the read
        String body = "--B\r\nContent-Disposition: form-data; name=\"report\"; filename=\"r.json\"\r\n\r\n{\"latency";
        RawHttp.Response r = RawHttp.send(api.server.port(), "POST /api/experiments HTTP/1.1\r\nHost: 127.0.0.1:"
                + api.server.port() + "\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 5000",
                body.getBytes(StandardCharsets.ISO_8859_1), false);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).contains("stopped arriving");
        assertThat(api.json("/api/experiments").get("total").asInt()).isZero();
    }

    private static JsonNode json(RawHttp.Response r) {
        assertThat(r.header("Content-Type")).as(r.body()).startsWith("application/json");
        try {
            return Json.mapper().readTree(r.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }
}
