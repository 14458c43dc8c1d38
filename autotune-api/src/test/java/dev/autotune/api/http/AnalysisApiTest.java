package dev.autotune.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/diff, /api/check, /api/recommendation and /api/export over the demo history. */
class AnalysisApiTest {
    @TempDir
    static Path dir;

    static TestServer api;

    @BeforeAll
    static void start() {
        api = TestServer.start(dir).withDemo();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static TestServer api() {
        return api;
    }

    static void assertError(String path, int status, String field) {
        api.assertError(path, status, field);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void diffShowsConfigChangesAndMetricsWithTheBetterSide() {
        JsonNode diff = api().json("/api/diff?a=1&b=3");
        assertThat(diff.get("a").asInt()).isEqualTo(1);
        assertThat(diff.get("b").asInt()).isEqualTo(3);
        assertThat(diff.get("config").toString()).contains("serving.batch_size");
        JsonNode latency = find(diff.get("metrics"), "latency_ms");
        assertThat(latency.get("a").asDouble()).isEqualTo(90.0);
        assertThat(latency.get("b").asDouble()).isEqualTo(260.0);
        assertThat(latency.get("better").asText()).isEqualTo("a");
        assertThat(find(diff.get("metrics"), "throughput_tokens_per_sec").get("better").asText()).isEqualTo("b");
    }

    @Test
    void diffNeedsTwoKnownExperiments() {
        assertError("/api/diff?a=1", 400, "b");
        assertError("/api/diff?b=1", 400, "a");
        assertError("/api/diff?a=1&b=42", 404, null);
    }

    @Test
    void checkGivesAVerdictPerExperiment() {
        JsonNode check = api().json("/api/check?latency_budget_ms=200&metric=" + enc("ttft_p99_ms<=100"));
        assertThat(check.get("budgets").toString()).contains("latency_ms<=200").contains("ttft_p99_ms<=100");
        assertThat(check.get("summary").get("pass").asInt()).isEqualTo(2);
        assertThat(check.get("summary").get("fail").asInt()).isEqualTo(1);
        JsonNode third = check.get("experiments").get(2);
        assertThat(third.get("id").asInt()).isEqualTo(3);
        assertThat(third.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(third.get("breaches").get(0).get("metric").asText()).isEqualTo("latency_ms");
    }

    @Test
    void checkRefusesMissingOrMalformedBudgets() {
        assertError("/api/check", 400, "metric");
        assertError("/api/check?latency_budget_ms=fast", 400, "latency_budget_ms");
        assertError("/api/check?max_failure_rate=2", 400, "max_failure_rate");
        assertError("/api/check?metric=" + enc("latency<200"), 400, "metric");
        assertError("/api/check?metric=" + enc("colour_ms<=2"), 400, "metric");
        assertError("/api/check?latency_budget=200", 400, "latency_budget");
    }

    @Test
    void recommendationSuggestsTheUntestedMidpointWithItsReason() {
        JsonNode rec = api().json("/api/recommendation?knob=serving.batch_size&latency_budget_ms=200");
        assertThat(rec.get("objective").asText()).isEqualTo("throughput_tokens_per_sec");
        JsonNode first = rec.get("recommendations").get(0);
        assertThat(first.get("knob").asText()).isEqualTo("serving.batch_size");
        assertThat(first.get("suggested").asInt()).isEqualTo(6);
        assertThat(first.get("kind").asText()).isEqualTo("midpoint");
        assertThat(first.get("reason").asText()).contains("try the untested midpoint 6");
        assertThat(first.get("best_experiment").asInt()).isEqualTo(2);
    }

    @Test
    void recommendationRefusesBadInput() {
        assertError("/api/recommendation?latency_budget_ms=200", 400, "knob");
        assertError("/api/recommendation?knob=" + enc("not a knob!"), 400, "knob");
        assertError("/api/recommendation?knob=serving.batch_size&objective=happiness", 400, "objective");
    }

    @Test
    void exportsCsvJsonAndMarkdownAndTemplates() {
        var csv = api().get("/api/export?format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body().lines().count()).isEqualTo(4);
        assertThat(csv.body()).contains("latency_ms");

        var json = api().get("/api/export?format=json");
        assertThat(TestServer.parse(json).size()).isEqualTo(3);

        var md = api().get("/api/export?format=markdown&scenario=chat");
        assertThat(md.headers().firstValue("Content-Type").orElse("")).startsWith("text/markdown");
        assertThat(md.body()).contains("|");

        var issue = api().get("/api/export?template=issue&latency_budget_ms=200&knob=serving.batch_size");
        assertThat(issue.statusCode()).as(issue.body()).isEqualTo(200);
        assertThat(issue.body()).contains("6");
    }

    @Test
    void exportRefusesUnknownFormatsAndTemplatesThatAreNotMarkdown() {
        assertError("/api/export?format=xml", 400, "format");
        assertError("/api/export?template=novel", 400, "template");
        assertError("/api/export?template=issue&format=csv", 400, "format");
    }

    /**
     * gpus= gives the per-GPU metrics (issue 22 item 7): the demo's batch size stands in for a GPU count, so each
     * experiment's per-GPU throughput is its throughput over its batch size.
     */
    @Test
    void checkJudgesPerGpuMetricsWithGpus() {
        JsonNode check = api().json("/api/check?gpus=batch_size&objective=throughput_tokens_per_sec_per_gpu&metric="
                + enc("throughput_tokens_per_sec_per_gpu>=1"));
        assertThat(check.get("objective").asText()).isEqualTo("throughput_tokens_per_sec_per_gpu");
        assertThat(check.get("experiments").size()).isPositive();
        double best = -1;
        int bestId = 0;
        for (JsonNode row : check.get("experiments")) {
            double batch = row.get("knobs").get("serving.batch_size").asDouble();
            double perGpu = row.get("metrics").get("throughput_tokens_per_sec").asDouble() / batch;
            assertThat(row.get("metrics").get("throughput_tokens_per_sec_per_gpu").asDouble())
                    .isCloseTo(perGpu, org.assertj.core.api.Assertions.within(1e-9));
            assertThat(row.get("verdict").asText()).isEqualTo(perGpu >= 1 ? "PASS" : "FAIL");
            if (perGpu >= 1 && perGpu > best) {
                best = perGpu;
                bestId = row.get("id").asInt();
            }
        }
        assertThat(check.get("best").asInt()).isEqualTo(bestId);
        assertThat(check.has("gpu_notes")).isFalse();
        JsonNode diff = api().json("/api/diff?a=1&b=3&gpus=" + enc("batch_size * 2"));
        assertThat(find(diff.get("metrics"), "request_throughput_per_gpu").get("a").isNumber()).isTrue();
    }

    @Test
    void perGpuMetricsWithoutGpusOrABadExpressionAreRefusedNamingGpus() {
        assertError("/api/check?latency_budget_ms=200&objective=throughput_tokens_per_sec_per_gpu", 400, "gpus");
        assertError("/api/check?metric=" + enc("throughput_tokens_per_sec_per_gpu>=1"), 400, "gpus");
        assertError("/api/check?latency_budget_ms=200&gpus=" + enc("batch_size *"), 400, "gpus");
        assertError("/api/recommendation?knob=serving.batch_size&objective=throughput_tokens_per_sec_per_gpu", 400,
                "gpus");
        assertError("/api/export?gpus=" + enc("no_such_knob"), 400, "gpus");
        // the list page takes no gpus=: sorting by a per-GPU metric is refused rather than sorting on nothing
        assertError("/api/experiments?sort=throughput_tokens_per_sec_per_gpu", 400, "sort");
        assertError("/api/experiments?where=" + enc("metric.throughput_tokens_per_sec_per_gpu > 1"), 400, "where");
    }

    static JsonNode find(JsonNode metrics, String name) {
        for (JsonNode m : metrics) {
            if (m.get("metric").asText().equals(name)) {
                return m;
            }
        }
        throw new AssertionError(name + " not in " + metrics);
    }
}
