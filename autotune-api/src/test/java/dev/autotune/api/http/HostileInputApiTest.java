package dev.autotune.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What the security review sent the HTTP API, each answered as bad input: a 400 naming the field, in one line. */
class HostileInputApiTest {
    @TempDir
    Path dir;
    TestServer api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void aFilterNestedPastTheLimitIsA400NotAnEmpty500() {
        api = TestServer.start(dir).withDemo();
        String deep = "(".repeat(1_300) + "knob.batch_size > 1" + ")".repeat(1_300);
        JsonNode error = api.assertError("/api/experiments?where=" + URLEncoder.encode(deep, StandardCharsets.UTF_8),
                400, "where");
        assertThat(error.get("error").asText()).contains("more than 1000 terms").hasSizeLessThan(200);
    }

    @Test
    void healthAndErrorBodiesNameNeitherTheDatabaseFileNorItsUrl() {
        api = TestServer.start(dir).withDemo();
        JsonNode health = api.json("/health");
        JsonNode missing = api.assertError("/api/experiments/999", 404, null);
        for (JsonNode body : new JsonNode[] {health, missing}) {
            assertThat(body.toString()).doesNotContain(dir.toString()).doesNotContain("postgresql://");
        }
        assertThat(missing.get("error").asText()).isEqualTo("no experiment 999 in the database");
    }
}
