package dev.autotune.api.http;

import dev.autotune.api.app.recording.Recording;
import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.store.testing.PostgresCluster;
import dev.autotune.store.testing.TestStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/experiments and /api/experiments/{id} over the demo history: filters, sorting, paging, errors. */
class ExperimentsApiTest {
    @TempDir
    static Path dir;
    static TestServer api;

    @BeforeAll
    static void start() {
        api = TestServer.start(dir).withDemo();
        // a second scenario and backend, so filters have something to tell apart
        api.autotune.recording().ingest(new dev.autotune.api.app.recording.Recording.IngestRequest(TestServer.example("batch-4-aiperf.json"),
                null, "batch", "sglang", java.util.Map.of("serving.batch_size", 2L), null, null, null,
                java.util.Map.of(), true));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static List<Integer> ids(JsonNode page) {
        List<Integer> ids = new ArrayList<>();
        page.get("experiments").forEach(e -> ids.add(e.get("id").asInt()));
        return ids;
    }

    @Test
    void listsNewestFirstWithTheTotalAndTheCliJsonShape() {
        JsonNode page = api.json("/api/experiments");
        assertThat(page.get("total").asInt()).isEqualTo(4);
        assertThat(ids(page)).containsExactly(4, 3, 2, 1);
        JsonNode first = page.get("experiments").get(3);
        assertThat(first.get("status").asText()).isEqualTo("completed");
        assertThat(first.get("scenario").asText()).isEqualTo("chat");
        assertThat(first.get("knobs").get("serving.batch_size").asInt()).isEqualTo(1);
        assertThat(first.get("metrics").get("latency_ms").asDouble()).isEqualTo(90.0);
        assertThat(first.get("metrics").get("throughput_tokens_per_sec").asDouble()).isEqualTo(120.0);
        assertThat(first.has("experiment_id")).isTrue();
    }

    @Test
    void theReportFactsAndTheMeasuredTimeAreInTheListAndTheDetail() {
        JsonNode vllm = api.json("/api/experiments?sort=id&order=asc").get("experiments").get(0);
        // batch-1-vllm-bench.json: date 20261120-101500, model_id, backend, 102400 input tokens over 200 prompts
        assertThat(vllm.get("measured_at").asText()).isEqualTo("2026-11-20T10:15:00Z");
        assertThat(vllm.get("facts").get("model").asText()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
        assertThat(vllm.get("facts").get("isl").asInt()).isEqualTo(512);
        assertThat(vllm.get("facts").get("requests").asInt()).isEqualTo(200);
        JsonNode genai = api.json("/api/experiments?sort=id&order=asc").get("experiments").get(2);
        assertThat(genai.get("measured_at").isNull()).as("a GenAI-Perf CSV states no time").isTrue();
        assertThat(genai.get("facts").get("isl").asInt()).as("its Input Sequence Length row").isEqualTo(512);

        JsonNode detail = api.json("/api/experiments/1");
        assertThat(detail.get("measured_at").asText()).isEqualTo("2026-11-20T10:15:00Z");
        assertThat(detail.get("facts").get("serving_backend").asText()).isEqualTo("vllm");
        assertThat(detail.get("reports").get(0).get("facts").get("model").asText())
                .isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
        // history by when it happened: both AIPerf copies ran at 10:21 that day, the GenAI-Perf one is as recorded
        assertThat(ids(api.json("/api/experiments?sort=happened_at&order=asc"))).containsExactly(1, 2, 4, 3);
    }

    @Test
    void filtersByScenarioStatusAndBackend() {
        assertThat(ids(api.json("/api/experiments?scenario=chat"))).containsExactly(3, 2, 1);
        assertThat(ids(api.json("/api/experiments?backend=sglang"))).containsExactly(4);
        assertThat(ids(api.json("/api/experiments?status=completed&scenario=batch"))).containsExactly(4);
        JsonNode none = api.json("/api/experiments?status=failed");
        assertThat(none.get("total").asInt()).isZero();
        assertThat(none.get("experiments")).isEmpty();
    }

    @Test
    void sortsByAnyMetricOrFieldInEitherOrder() {
        assertThat(ids(api.json("/api/experiments?scenario=chat&sort=latency_ms"))).containsExactly(1, 2, 3);
        assertThat(ids(api.json("/api/experiments?scenario=chat&sort=throughput_tokens_per_sec&order=desc")))
                .containsExactly(3, 2, 1);
        assertThat(ids(api.json("/api/experiments?sort=id&order=asc"))).containsExactly(1, 2, 3, 4);
        assertThat(ids(api.json("/api/experiments?sort=backend&scenario=chat&order=asc"))).containsExactly(1, 2, 3);
    }

    @Test
    void experimentsWithoutTheSortMetricComeLastInBothOrders() {
        // the vLLM report (experiment 1) gives p99 but no p95
        assertThat(ids(api.json("/api/experiments?scenario=chat&sort=latency_p95_ms&order=asc"))).containsExactly(2, 3, 1);
        assertThat(ids(api.json("/api/experiments?scenario=chat&sort=latency_p95_ms&order=desc"))).containsExactly(3, 2, 1);
    }

    @Test
    void pagesAcrossTheBoundaryBetweenRowsWithAndWithoutTheSortValue() {
        String sorted = "/api/experiments?scenario=chat&sort=latency_p95_ms&order=asc";
        assertThat(ids(api.json(sorted + "&limit=2&offset=1"))).containsExactly(3, 1);
        assertThat(ids(api.json(sorted + "&limit=2&offset=2"))).containsExactly(1);
        assertThat(ids(api.json(sorted + "&limit=2&offset=3"))).isEmpty();
        assertThat(api.json(sorted + "&limit=2&offset=2").get("total").asInt()).isEqualTo(3);
        assertThat(ids(api.json("/api/experiments?sort=ended_at&order=desc&limit=2"))).containsExactly(4, 3);
    }

    @Test
    void pagesWithLimitAndOffsetAndKeepsTheTotal() {
        JsonNode page = api.json("/api/experiments?limit=2&offset=1&sort=id&order=asc");
        assertThat(ids(page)).containsExactly(2, 3);
        assertThat(page.get("total").asInt()).isEqualTo(4);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("offset").asInt()).isEqualTo(1);
        assertThat(ids(api.json("/api/experiments?limit=2&offset=4"))).isEmpty();
    }

    @Test
    void facetsListTheValuesFiltersCanTakeTheMostUsedFirst() {
        JsonNode facets = api.json("/api/experiments?limit=1&facets=true").get("facets");
        // chat and vllm have three experiments, batch and sglang the last one
        assertThat(facets.get("scenario").toString()).isEqualTo("[\"chat\",\"batch\"]");
        assertThat(facets.get("backend").toString()).isEqualTo("[\"vllm\",\"sglang\"]");
    }

    @Test
    void badParametersAre400NamingTheField() {
        assertError("/api/experiments?sort=colour", 400, "sort");
        assertError("/api/experiments?facets=yes", 400, "facets");
        assertError("/api/experiments?order=sideways", 400, "order");
        assertError("/api/experiments?limit=0", 400, "limit");
        assertError("/api/experiments?limit=ten", 400, "limit");
        assertError("/api/experiments?offset=-1", 400, "offset");
        assertError("/api/experiments?status=paused", 400, "status");
        assertError("/api/experiments?scenaro=chat", 400, "scenaro");
    }

    @Test
    void showsOneExperimentByNumberOrFullId() {
        JsonNode byNumber = api.json("/api/experiments/2");
        assertThat(byNumber.get("id").asInt()).isEqualTo(2);
        assertThat(byNumber.get("config").get("serving.batch_size").asInt()).isEqualTo(4);
        assertThat(byNumber.get("metrics").get("latency_ms").asDouble()).isEqualTo(160.0);
        assertThat(byNumber.get("notes").asText()).isEqualTo("test");
        assertThat(byNumber.get("metadata").isObject()).isTrue();
        List<String> timeline = new ArrayList<>();
        byNumber.get("timeline").forEach(t -> timeline.add(t.get("event").asText()));
        assertThat(timeline).containsExactly("ExperimentStarted", "ReportParsed", "MetricsRecorded", "ExperimentCompleted");
        JsonNode artifacts = byNumber.get("artifacts");
        assertThat(artifacts.get("reports").get(0).asText()).endsWith("batch-4-aiperf.json");
        assertThat(artifacts.get("log_url").isNull()).isTrue();

        String fullId = byNumber.get("experiment_id").asText();
        assertThat(api.json("/api/experiments/" + fullId).get("id").asInt()).isEqualTo(2);
    }

    @Test
    void unknownExperimentsAre404() {
        assertError("/api/experiments/99", 404, null);
        assertError("/api/experiments/not-an-id", 404, null);
        assertError("/api/experiments/99/log", 404, null);
    }

    @Test
    void unknownRoutesAre404Json() {
        assertError("/api/nothing-here", 404, null);
    }

    @Test
    void healthSaysTheReadModelsAreCurrent() {
        JsonNode health = api.json("/health");
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("events").asLong()).isEqualTo(16);
        assertThat(health.get("projections_current").asBoolean()).isTrue();
        // the kind of store only: health needs no token, so neither the file nor the URL is shown
        assertThat(health.get("db").asText()).isEqualTo(TestStores.onPostgres() ? "postgresql" : "sqlite");
        assertThat(health.toString()).doesNotContain(PostgresCluster.PASSWORD).doesNotContain(dir.toString());
    }

    static void assertError(String path, int status, String field) {
        api.assertError(path, status, field);
    }
}
