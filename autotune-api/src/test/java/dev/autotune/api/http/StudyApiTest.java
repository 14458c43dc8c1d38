package dev.autotune.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.api.http.TestServer.Multipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The study routes on a real server and SQLite file, used the way an external loop uses them: create a study of a
 * space, ask for a config, run the benchmark and record it (POST /api/experiments), tell, and show.
 */
class StudyApiTest {
    /** The demo's batch sizes 1, 4 and 8 (scenario chat) are warm-start observations of this space. */
    static final String SPACE = """
            scenario = "chat"
            objective = "maximize throughput_tokens_per_sec"
            budgets = ["latency_ms <= 200"]
            pareto = "latency_ms"
            strategy = "grid"

            [knobs]
            "serving.batch_size" = [1, 2, 4, 6, 8]
            """;

    @TempDir
    Path dir;
    TestServer api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    HttpResponse<String> postJson(String path, String json) {
        return api.send(HttpRequest.newBuilder(URI.create(api.base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    HttpResponse<String> postForm(String path, String form) {
        return api.send(HttpRequest.newBuilder(URI.create(api.base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)));
    }

    HttpResponse<String> postMultipart(String path, Multipart form) {
        return api.send(HttpRequest.newBuilder(URI.create(api.base() + path)).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())));
    }

    static JsonNode ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.uri() + " -> " + r.body()).isEqualTo(status);
        return TestServer.parse(r);
    }

    @Test
    void anExternalLoopCreatesAsksRecordsTellsAndShows() throws Exception {
        api = TestServer.start(dir).withDemo();
        Path space = Files.writeString(dir.resolve("batch-space.toml"), SPACE);

        JsonNode created = ok(postJson("/api/studies", "{\"space_path\": \"" + space + "\"}"), 201);
        assertThat(created.get("created").asBoolean()).isTrue();
        assertThat(created.get("url").asText()).isEqualTo("/api/studies/1");
        assertThat(created.get("study").get("name").asText()).isEqualTo("batch-space");
        assertThat(created.get("study").get("scenario").asText()).isEqualTo("chat");
        assertThat(created.get("study").get("status").asText()).isEqualTo("open");

        // the same space uploaded finds the same study; the upload is kept next to the database
        JsonNode again = ok(postMultipart("/api/studies", new Multipart()
                .file("space", "batch-space.toml", SPACE.getBytes(StandardCharsets.UTF_8))), 200);
        assertThat(again.get("created").asBoolean()).isFalse();
        assertThat(again.get("study").get("number").asInt()).isEqualTo(1);
        try (var kept = Files.walk(dir.resolve("uploads/spaces"))) {
            assertThat(kept.filter(p -> p.getFileName().toString().equals("batch-space.toml")).count()).isEqualTo(1);
        }

        JsonNode list = api.json("/api/studies");
        assertThat(list.get("studies")).hasSize(1);
        assertThat(list.get("studies").get(0).get("study_id").asText())
                .isEqualTo(created.get("study").get("study_id").asText());

        JsonNode before = api.json("/api/studies/1");
        assertThat(before.get("observations").asInt()).isEqualTo(3);
        assertThat(before.get("best").get("experiment").asInt()).as("batch 4: 330 tok/s within 200 ms").isEqualTo(2);
        assertThat(before.get("pareto").size()).isGreaterThanOrEqualTo(2);
        assertThat(before.get("next").get("config").has("serving.batch_size")).isTrue();
        assertThat(before.get("trials")).isEmpty();

        // ask: the grid proposes a batch size not measured yet, recorded as trial 1
        JsonNode asked = ok(postJson("/api/studies/1/ask", "{\"n\": 1}"), 200);
        assertThat(asked.get("proposals")).hasSize(1);
        JsonNode proposal = asked.get("proposals").get(0);
        assertThat(proposal.get("trial").asInt()).isEqualTo(1);
        assertThat(proposal.get("reason").asText()).isNotBlank();
        long batch = proposal.get("config").get("serving.batch_size").asLong();
        assertThat(batch).isIn(2L, 6L);
        JsonNode waiting = api.json("/api/studies/1").get("trials").get(0);
        assertThat(waiting.get("status").asText()).isEqualTo("proposed");

        // the loop runs the benchmark and records it, then tells the study (a form, as curl -d sends it)
        var recorded = api.post(new Multipart().file("report", TestServer.example("batch-4-aiperf.json"))
                .field("scenario", "chat").field("backend", "vllm").field("set", "serving.batch_size=" + batch)
                .field("allow_duplicate", "true"), null);
        int experiment = ok(recorded, 201).get("id").asInt();
        JsonNode told = ok(postForm("/api/studies/1/tell", "experiment=" + experiment), 200);
        assertThat(told.get("trial").asInt()).isEqualTo(1);
        assertThat(told.get("experiment").asInt()).isEqualTo(experiment);
        assertThat(told.get("proposed_now").asBoolean()).isFalse();

        JsonNode shown = api.json("/api/studies/1");
        JsonNode trial = shown.get("trials").get(0);
        assertThat(trial.get("status").asText()).isEqualTo("completed");
        assertThat(trial.get("experiment").asInt()).isEqualTo(experiment);
        assertThat(trial.get("feasible").asBoolean()).isTrue();
        assertThat(trial.get("objective").asDouble()).isEqualTo(330.0);
        assertThat(trial.get("verdict").asText()).isNotBlank();
        assertThat(shown.get("observations").asInt()).isEqualTo(4);
        assertThat(shown.get("study").get("trials").asInt()).isEqualTo(1);

        // telling the same experiment twice is a conflict with the study's state
        TestServer.assertError(postJson("/api/studies/1/tell", "{\"experiment\": " + experiment + "}"), 409,
                "experiment");

        // a trial that crashed without a report, told by an external loop: failed, and told once
        JsonNode second = ok(postJson("/api/studies/1/ask", "{}"), 200).get("proposals").get(0);
        int crashed = second.get("trial").asInt();
        TestServer.assertError(postJson("/api/studies/1/tell", "{\"trial\": " + crashed + "}"), 400, "trial");
        TestServer.assertError(postJson("/api/studies/1/tell", "{\"trial\": " + crashed + ", \"failed\": \"maybe\"}"),
                400, "failed");
        JsonNode failed = ok(postJson("/api/studies/1/tell", "{\"trial\": " + crashed
                + ", \"failed\": true, \"reason\": \"CUDA out of memory\"}"), 200);
        assertThat(failed.get("trial").asInt()).isEqualTo(crashed);
        JsonNode crashedTrial = api.json("/api/studies/1").get("trials").get(crashed - 1);
        assertThat(crashedTrial.get("status").asText()).isEqualTo("failed");
        assertThat(crashedTrial.get("experiment").asInt()).isEqualTo(failed.get("experiment").asInt());
        TestServer.assertError(postForm("/api/studies/1/tell", "trial=" + crashed + "&failed=true"), 409, "trial");

        // stop, and the finished study refuses more asks
        JsonNode stopped = ok(postJson("/api/studies/1/stop", "{\"message\": \"enough\"}"), 200);
        assertThat(stopped.get("status").asText()).isEqualTo("finished");
        assertThat(stopped.get("finish_message").asText()).isEqualTo("enough");
        TestServer.assertError(postJson("/api/studies/1/ask", "{}"), 409, null);
        assertThat(api.json("/api/studies/1").get("next").isNull()).isTrue();
    }

    @Test
    void refusalsNameTheFieldAndUseTheApisStatuses() throws Exception {
        api = TestServer.start(dir).withDemo();
        Path space = Files.writeString(dir.resolve("space.toml"), SPACE);
        ok(postJson("/api/studies", "{\"space_path\": \"" + space + "\"}"), 201);

        api.assertError("/api/studies/7", 404, null);
        TestServer.assertError(postJson("/api/studies/7/ask", "{}"), 404, null);
        TestServer.assertError(postJson("/api/studies", "{}"), 400, "space");
        TestServer.assertError(postJson("/api/studies", "{\"space_path\": \"" + dir.resolve("nope.toml") + "\"}"),
                400, "space_path");
        TestServer.assertError(postJson("/api/studies", "{\"space_path\": \"" + space + "\", \"colour\": 1}"), 400,
                "colour");
        // (a space that has its study finds it again whatever the strategy; a new one checks it)
        Path other = Files.writeString(dir.resolve("other.toml"), SPACE.replace("[1, 2, 4, 6, 8]", "[1, 2]"));
        TestServer.assertError(postJson("/api/studies", "{\"space_path\": \"" + other + "\", \"strategy\": \"magic\"}"),
                400, "strategy");
        Path broken = Files.writeString(dir.resolve("broken.toml"), "scenario = \"chat\"\n[knobs]\n");
        JsonNode bad = TestServer.assertError(postMultipart("/api/studies", new Multipart().file("space", broken)),
                400, "space");
        assertThat(bad.get("error").asText()).isEqualTo("broken.toml: key 'objective': missing");
        try (var kept = Files.walk(dir.resolve("uploads"))) {
            assertThat(kept.filter(Files::isRegularFile).toList()).as("a refused space is not kept").isEmpty();
        }

        TestServer.assertError(postJson("/api/studies/1/ask", "{\"n\": 0}"), 400, "n");
        TestServer.assertError(postJson("/api/studies/1/ask", "{\"n\": \"lots\"}"), 400, "n");
        TestServer.assertError(postJson("/api/studies/1/tell", "{}"), 400, "experiment");
        TestServer.assertError(postJson("/api/studies/1/tell", "{\"experiment\": 99}"), 404, null);
        // batch size 16 is not in the space
        TestServer.ingest(api.autotune, "batch-8-genai-perf.csv", 16);
        JsonNode outside = TestServer.assertError(postJson("/api/studies/1/tell", "{\"experiment\": 4}"), 400,
                "experiment");
        assertThat(outside.get("error").asText()).contains("serving.batch_size").contains("16");
        TestServer.assertError(postJson("/api/studies/1/tell", "not json"), 400, null);
    }

    @Test
    void writesNeedTheTokenAndUploadsRespectTheLimit() throws Exception {
        api = TestServer.start(dir, o -> o.withToken("s3cret").withMaxUploadBytes(200));
        Path space = Files.writeString(dir.resolve("space.toml"), SPACE);
        TestServer.assertError(postJson("/api/studies", "{\"space_path\": \"" + space + "\"}"), 401, "Authorization");
        assertThat(api.json("/api/studies").get("studies")).as("reads stay open").isEmpty();
        Multipart big = new Multipart().file("space", "space.toml",
                (SPACE + "#".repeat(400)).getBytes(StandardCharsets.UTF_8));
        var tooBig = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/studies"))
                .header("Authorization", "Bearer s3cret").header("Content-Type", big.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(big.bytes())));
        TestServer.assertError(tooBig, 413, "space");
        var created = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/studies"))
                .header("Authorization", "Bearer s3cret").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"space_path\": \"" + space + "\"}")));
        assertThat(ok(created, 201).get("study").get("number").asInt()).isEqualTo(1);
    }
}
