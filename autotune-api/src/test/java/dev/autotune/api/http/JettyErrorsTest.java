package dev.autotune.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.store.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 13 item 9: what Jetty refuses before Javalin sees it (414, 431, a broken request line) is JSON too. */
class JettyErrorsTest {
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

    @Test
    void aUriTooLongIsA414InJson() throws Exception {
        RawHttp.Response r = RawHttp.get(api.server.port(), "/api/experiments?scenario=" + "a".repeat(100_000));
        assertThat(r.status()).isEqualTo(414);
        assertJson(r, "uri");
    }

    @Test
    void headersTooLargeAreA431InJson() throws Exception {
        RawHttp.Response r = RawHttp.get(api.server.port(), "/api/experiments", "X-Big: " + "b".repeat(100_000));
        assertThat(r.status()).isEqualTo(431);
        assertJson(r, "headers");
    }

    @Test
    void anUnparseableRequestIsA400InJson() throws Exception {
        RawHttp.Response r = RawHttp.send(api.server.port(), "GET /api/experiments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Bad Header Without Colon", new byte[0], false);
        assertThat(r.status()).isEqualTo(400);
        assertJson(r, null);
    }

    private static void assertJson(RawHttp.Response r, String field) throws Exception {
        assertThat(r.header("Content-Type")).as(r.body()).startsWith("application/json");
        JsonNode body = Json.mapper().readTree(r.body());
        assertThat(body.path("error").asText()).isNotBlank().doesNotContain("<");
        if (field != null) {
            assertThat(body.path("field").asText()).isEqualTo(field);
        }
    }
}
