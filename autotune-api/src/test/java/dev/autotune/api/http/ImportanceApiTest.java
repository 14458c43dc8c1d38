package dev.autotune.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.api.app.studies.Studies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Which knobs matter over HTTP, on the two-knob sweep ({@link TestServer#withTwoKnobSweep}: latency grows with
 * concurrency 16-fold across its range and falls with tensor_parallel_size only 3.5-fold): the study JSON's
 * importance, and GET /api/sensitivity for the history without a study.
 */
class ImportanceApiTest {
    // one server for both: creating a study records no experiment, so the sensitivity view sees the same history
    @TempDir
    static Path dir;
    static TestServer api;

    @BeforeAll
    static void start() throws Exception {
        api = TestServer.start(dir).withTwoKnobSweep();
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void theStudyJsonSaysWhichKnobsMatterForTheObjectiveAndEachBudget() throws Exception {
        Path space = Files.writeString(dir.resolve("sweep-space.toml"), """
                scenario = "tp-sweep"
                objective = "maximize throughput_tokens_per_sec"
                budgets = ["latency_ms <= 300"]

                [knobs]
                "serving.tensor_parallel_size" = [1, 2, 4, 8]
                "serving.concurrency" = [8, 32, 128]
                """);
        api.autotune.studies().create(space, null, null);
        JsonNode importance = api.json("/api/studies/1").get("importance");
        assertThat(importance).hasSize(2);
        JsonNode objective = importance.get(0);
        assertThat(objective.get("metric").asText()).isEqualTo("throughput_tokens_per_sec");
        assertThat(objective.get("measured").asInt()).isEqualTo(11);
        double sum = objective.get("interactions").asDouble();
        for (JsonNode k : objective.get("knobs")) {
            sum += k.get("share").asDouble();
        }
        assertThat(sum).isCloseTo(1, within(1e-9));
        assertThat(objective.get("summary").asText()).contains("of throughput_tokens_per_sec's variation");
        JsonNode latency = importance.get(1);
        assertThat(latency.get("role").asText()).isEqualTo("latency_ms<=300");
        assertThat(latency.get("knobs").get(0).get("knob").asText()).isEqualTo(TestServer.CONCURRENCY);
        assertThat(latency.get("knobs").get(0).get("share").asDouble()).isGreaterThan(0.6);
        assertThat(latency.get("summary").asText()).startsWith("concurrency explains ");
    }

    @Test
    void theSensitivityOfAHistoryWithoutAStudyHoldsTheOtherKnobsAsTheRecommendationDoes() {
        JsonNode view = api.json("/api/sensitivity?scenario=tp-sweep&target=latency_ms&latency_budget_ms=300");
        assertThat(view.get("metric").asText()).isEqualTo("latency_ms");
        assertThat(view.get("objective").asText()).isEqualTo("throughput_tokens_per_sec");
        assertThat(view.get("budgets").get(0).asText()).isEqualTo("latency_ms<=300");
        int best = view.get("best_run").asInt();
        JsonNode first = view.get("knobs").get(0);
        assertThat(first.get("knob").asText()).isEqualTo(TestServer.CONCURRENCY);
        assertThat(first.get("held").asText()).endsWith("as in the best run (experiment " + best + ")");
        assertThat(first.get("levels")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(first.get("levels").get(0).get("value").asLong()).isEqualTo(8);
        assertThat(first.get("summary").asText()).startsWith(TestServer.CONCURRENCY + " moves latency_ms by ");
        assertThat(view.get("knobs").get(1).get("knob").asText()).isEqualTo(TestServer.TP);

        // the whole history mixes two scenarios: curves need one
        var mixed = api.get("/api/sensitivity?target=latency_ms");
        assertThat(mixed.statusCode()).isEqualTo(400);
        assertThat(mixed.body()).contains("scenario").contains("mixes scenarios");
        assertThat(api.get("/api/sensitivity?scenario=tp-sweep&knob=x").statusCode()).isEqualTo(400);
        var unknown = api.get("/api/sensitivity?scenario=tp-sweep&target=nosuch");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("target").contains("unknown metric 'nosuch'");
    }
}
