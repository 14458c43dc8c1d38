package dev.autotune.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.autotune.api.http.ExperimentsApiTest.ids;
import static org.assertj.core.api.Assertions.assertThat;

/** The corrections over HTTP and the list filter (issue 14), against a real server on the demo history. */
class CorrectionsApiTest {
    @TempDir
    Path dir;
    TestServer api;

    @BeforeEach
    void start() {
        api = TestServer.start(dir).withDemo();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    HttpResponse<String> post(String path, String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return api.send(b);
    }

    JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestServer.parse(r).get("experiment");
    }

    static String where(String filter) {
        return "/api/experiments?where=" + URLEncoder.encode(filter, StandardCharsets.UTF_8);
    }

    @Test
    void tagsNotesAndAmendmentsAreRecordedAndShown() {
        assertThat(ok(post("/api/experiments/1/tags", "{\"tags\": {\"gpu\": \"H100\", \"node\": \"dgx-3\"}}"))
                .get("tags").get("gpu").asText()).isEqualTo("H100");
        assertThat(ok(post("/api/experiments/1/untag", "{\"keys\": [\"node\"]}")).get("tags").has("node")).isFalse();
        ok(post("/api/experiments/1/notes", "{\"note\": \"node dgx-3 was throttling\"}"));
        JsonNode amended = ok(post("/api/experiments/2/amend",
                "{\"scenario\": \"chat-h100\", \"set\": {\"serving.batch_size\": 6, \"kv_cache_dtype\": \"fp8\"}}"));
        assertThat(amended.get("scenario").asText()).isEqualTo("chat-h100");
        assertThat(amended.get("knobs").get("serving.batch_size").asInt()).isEqualTo(6);
        assertThat(amended.get("knobs").get("kv_cache_dtype").asText()).isEqualTo("fp8");

        JsonNode detail = api.json("/api/experiments/1");
        assertThat(detail.get("tags").get("gpu").asText()).isEqualTo("H100");
        assertThat(detail.get("timeline").toString()).contains("NoteAdded").contains("node dgx-3 was throttling")
                .contains("ExperimentUntagged");
        // the note added later is one of the experiment's notes, not only a timeline entry
        assertThat(detail.get("notes").asText()).endsWith("\nnode dgx-3 was throttling");
        assertThat(detail.get("notes_added").get(0).get("note").asText()).isEqualTo("node dgx-3 was throttling");
        assertThat(detail.get("notes_added").get(0).get("at").asText()).isNotEmpty();
        assertThat(ids(api.json("/api/experiments?scenario=chat-h100"))).containsExactly(2);
    }

    @Test
    void anExcludedExperimentLeavesTheListAndTheCheckUnlessAsked() {
        JsonNode excluded = ok(post("/api/experiments/3/exclude", "{\"reason\": \"wrong model loaded\"}"));
        assertThat(excluded.get("excluded_reason").asText()).isEqualTo("wrong model loaded");
        assertThat(ids(api.json("/api/experiments"))).containsExactly(2, 1);
        assertThat(ids(api.json("/api/experiments?include_excluded=true"))).containsExactly(3, 2, 1);
        assertThat(api.json("/api/check?latency_budget_ms=200").toString()).doesNotContain("\"id\":3");
        assertThat(api.json("/api/check?latency_budget_ms=200&include_excluded=true").toString()).contains("\"id\":3");
        TestServer.assertError(post("/api/experiments/3/exclude", "{\"reason\": \"again\"}"), 400, "experiment");
        ok(post("/api/experiments/3/include", ""));
        assertThat(ids(api.json("/api/experiments"))).containsExactly(3, 2, 1);
    }

    @Test
    void whereFiltersTheListAndAFilterThatCannotBeReadIsA400NamingThePosition() {
        ok(post("/api/experiments/2/tags", "{\"tags\": {\"gpu\": \"H100\"}}"));
        ok(post("/api/experiments/3/tags", "{\"tags\": {\"gpu\": \"H100\"}}"));
        JsonNode page = api.json(where("knob.batch_size >= 2 and metric.latency_ms < 200 and tag.gpu = 'H100'"));
        assertThat(ids(page)).containsExactly(2);
        assertThat(page.get("total").asInt()).isEqualTo(1);
        JsonNode sorted = api.json(where("tag.gpu = 'H100'") + "&sort=latency_ms&order=desc&limit=1");
        assertThat(ids(sorted)).containsExactly(3);
        assertThat(sorted.get("total").asInt()).isEqualTo(2);
        JsonNode error = api.assertError(where("metric.latency_ms < 200 and (tag.gpu = 'H100'"), 400, "where");
        assertThat(error.get("error").asText()).isEqualTo("position 46: missing ')'");
        api.assertError("/api/experiments?include_excluded=maybe", 400, "include_excluded");
    }

    @Test
    void badCorrectionsAreOne400Or404AndForeignOriginsAreRefused() {
        TestServer.assertError(post("/api/experiments/9/tags", "{\"tags\": {\"gpu\": \"H100\"}}"), 404, null);
        TestServer.assertError(post("/api/experiments/1/tags", "{\"tag\": {\"gpu\": \"H100\"}}"), 400, "tag");
        TestServer.assertError(post("/api/experiments/1/tags", "{\"tags\": \"gpu=H100\"}"), 400, "tags");
        TestServer.assertError(post("/api/experiments/1/exclude", "{}"), 400, "reason");
        TestServer.assertError(post("/api/experiments/1/amend", "{}"), 400, "set");
        TestServer.assertError(post("/api/experiments/1/notes", "not json"), 400, null);
        TestServer.assertError(post("/api/experiments/1/exclude", "{\"reason\": \"x\"}", "Origin", "http://evil.example"),
                403, "Origin");
        assertThat(ids(api.json("/api/experiments"))).containsExactly(3, 2, 1);
    }
}
