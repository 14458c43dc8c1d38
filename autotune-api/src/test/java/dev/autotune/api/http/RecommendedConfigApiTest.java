package dev.autotune.api.http;

import dev.autotune.api.app.recording.Recording;
import dev.autotune.api.app.Autotune;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/recommendation/config: the recommended next config as a TOML download. */
class RecommendedConfigApiTest {
    static final String ROUTE = "/api/recommendation/config?knob=serving.batch_size&latency_budget_ms=200";

    @Test
    void withoutARecordedConfigTheFileHoldsTheBestRunsKnobValuesAndSaysSo(@TempDir Path dir) {
        try (TestServer api = TestServer.start(dir).withDemo()) {
            HttpResponse<String> r = api.get(ROUTE);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/toml");
            assertThat(r.headers().firstValue("Content-Disposition").orElse(""))
                    .isEqualTo("attachment; filename=\"chat-batch_size-6.toml\"");
            assertThat(r.headers().firstValue("X-Config-Base")).isEmpty();
            assertThat(r.headers().firstValue("X-Config-Experiment")).contains("2");
            assertThat(r.body()).startsWith("# No config file is recorded for experiment 2 (the best so far):\n"
                    + "# only its knob values, with serving.batch_size = 6 as recommended.\n")
                    .endsWith("serving.batch_size = 6\n");
        }
    }

    @Test
    void withARecordedConfigItIsThatFileWithTheSuggestionAndEverythingElseKept(@TempDir Path dir) throws Exception {
        String base = Files.readString(TestServer.REPO.resolve("configs/examples/llama3-8b-chat.toml"));
        try (TestServer api = TestServer.start(dir)) {
            for (var run : List.of(List.of("1", "batch-1-vllm-bench.json"), List.of("4", "batch-4-aiperf.json"),
                    List.of("8", "batch-8-genai-perf.csv"))) {
                Path config = Files.writeString(dir.resolve("chat-bs" + run.get(0) + ".toml"),
                        base.replace("batch_size = 4", "batch_size = " + run.get(0)));
                api.autotune.recording().ingest(new Recording.IngestInput(TestServer.example(run.get(1)), null, config, null, null,
                        List.of(), null, List.of(), true));
            }

            HttpResponse<String> r = api.get(ROUTE);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Config-Base")).contains("chat-bs4.toml");
            assertThat(r.headers().firstValue("Content-Disposition").orElse(""))
                    .isEqualTo("attachment; filename=\"chat-bs4-batch_size-6.toml\"");
            // byte for byte the best run's file but for the one value: what recommend --derive-from writes
            assertThat(r.body()).isEqualTo(base.replace("batch_size = 4", "batch_size = 6"));
        }
    }

    @Test
    void badInputIsA400NamingTheParameter(@TempDir Path dir) {
        try (TestServer api = TestServer.start(dir).withDemo()) {
            api.assertError("/api/recommendation/config", 400, "knob");
            api.assertError("/api/recommendation/config?knob=serving.batch_size&latency_budget_ms=2OO", 400,
                    "latency_budget_ms");
            api.assertError("/api/recommendation/config?knob=serving.batch_size&colour=red", 400, "colour");
        }
    }
}
