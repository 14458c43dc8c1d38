package dev.autotune.api.http;

import dev.autotune.api.http.TestServer.Multipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 items 6 and 8: on the default loopback server, web pages of other sites can neither write (Origin)
 * nor read through DNS rebinding (Host), and every response carries the security headers.
 */
class BrowserSafetyTest {
    @TempDir
    Path dir;
    TestServer api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private HttpResponse<String> post(String... headers) {
        Multipart form = new Multipart().file("report", TestServer.example("batch-4-aiperf.json"))
                .field("allow_duplicate", "true");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + "/api/experiments"))
                .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes()));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return api.send(b);
    }

    private int total() {
        return api.json("/api/experiments").get("total").asInt();
    }

    @Test
    void aWriteFromAForeignOriginIsRefusedAndNothingIsRecorded() {
        api = TestServer.start(dir);
        for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:"
                + api.server.port(), "http://localhost.evil.example:" + api.server.port())) {
            var r = post("Origin", origin);
            TestServer.assertError(r, 403, "Origin");
        }
        TestServer.assertError(post("Sec-Fetch-Site", "cross-site"), 403, "Origin");
        assertThat(total()).isZero();
    }

    @Test
    void writesFromTheDashboardItselfAndFromScriptsStillWork() {
        api = TestServer.start(dir);
        var own = post("Origin", "http://127.0.0.1:" + api.server.port(), "Sec-Fetch-Site", "same-origin");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
        assertThat(post("Origin", "http://localhost:" + api.server.port()).statusCode()).isEqualTo(201);
        assertThat(post().statusCode()).isEqualTo(201);
        assertThat(total()).isEqualTo(3);
    }

    @Test
    void aForeignHostIsRefusedSoARebindingPageCannotRead() {
        api = TestServer.start(dir).withDemo();
        int port = api.server.port();
        for (String host : List.of("evil.example", "evil.example:" + port, "127.0.0.1.evil.example:" + port,
                "localhost.evil.example")) {
            RawHttp.Response r = RawHttp.get(port, "/api/experiments", "Host: " + host);
            assertThat(r.status()).as(host + ": " + r.body()).isEqualTo(403);
            assertThat(r.body()).contains("\"field\":\"Host\"").doesNotContain("chat");
        }
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port)) {
            assertThat(RawHttp.get(port, "/api/experiments", "Host: " + host).status()).as(host).isEqualTo(200);
        }
    }

    @Test
    void allowHostAddsANameAndTheTokenRulesStayAsTheyWere() {
        api = TestServer.start(dir, o -> o.withAllowedHosts(List.of("autotune.internal")).withToken("s3cret"));
        int port = api.server.port();
        assertThat(RawHttp.get(port, "/api/experiments", "Host: autotune.internal:" + port).status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/api/experiments", "Host: other.internal").status()).isEqualTo(403);
        TestServer.assertError(post(), 401, "Authorization");
        assertThat(post("Authorization", "Bearer s3cret").statusCode()).isEqualTo(201);
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        api = TestServer.start(dir);
        int port = api.server.port();
        List<RawHttp.Response> responses = List.of(
                RawHttp.get(port, "/"), RawHttp.get(port, "/js/app.js"), RawHttp.get(port, "/api/experiments"),
                RawHttp.get(port, "/api/experiments/999"), RawHttp.get(port, "/no-such-page"),
                RawHttp.get(port, "/api/experiments?limit=abc"), RawHttp.get(port, "/health"),
                RawHttp.get(port, "/api/experiments", "Host: evil.example"),
                RawHttp.get(port, "/" + "a".repeat(20_000)), RawHttp.get(port, "/", "X-Big: " + "b".repeat(20_000)));
        for (RawHttp.Response r : responses) {
            assertThat(r.header("X-Content-Type-Options")).as(r.status() + " " + r.body()).isEqualTo("nosniff");
            assertThat(r.header("X-Frame-Options")).as(r.status() + " " + r.body()).isEqualTo("DENY");
            assertThat(r.header("Referrer-Policy")).as(r.status() + " " + r.body()).isEqualTo("no-referrer");
            assertThat(r.header("Content-Security-Policy")).as(r.status() + " " + r.body())
                    .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:", "*");
        }
    }

    @Test
    void theDashboardHasNoInlineScriptOrStyleTheCspWouldBlock() {
        api = TestServer.start(dir);
        String page = RawHttp.get(api.server.port(), "/").body();
        assertThat(page).contains("<script type=\"module\" src=\"/js/app.js\">");
        assertThat(page.replaceAll("<script[^>]*src=\"/[^\"]*\"[^>]*></script>", ""))
                .doesNotContain("<script").doesNotContain("<style").doesNotContain(" style=")
                .doesNotContainPattern("\\son[a-z]+=").doesNotContain("javascript:");
    }
}
