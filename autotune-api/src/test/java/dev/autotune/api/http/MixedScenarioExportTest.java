package dev.autotune.api.http;

import dev.autotune.api.app.recording.Recording;
import dev.autotune.api.app.Autotune;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A template over experiments of several scenarios is served with a warning header; one scenario, or data, is not. */
class MixedScenarioExportTest {
    @TempDir
    Path dir;

    @Test
    void aReportOverTwoScenariosCarriesTheWarningHeader() {
        try (TestServer api = TestServer.start(dir).withDemo()) {
            api.autotune.recording().ingest(new Recording.IngestRequest(TestServer.example("batch-4-aiperf.json"), null, "batch",
                    "vllm", Map.of("serving.batch_size", 4L), null, null, null, Map.of(), true));
            var mixed = api.get("/api/export?template=issue");
            assertThat(mixed.statusCode()).isEqualTo(200);
            assertThat(mixed.headers().firstValue("X-Autotune-Warning"))
                    .contains("this report mixes 2 scenarios (batch, chat); pass scenario= to report on one");
            assertThat(api.get("/api/export?template=issue&scenario=chat").headers().firstValue("X-Autotune-Warning"))
                    .isEmpty();
            assertThat(api.get("/api/export?format=csv").headers().firstValue("X-Autotune-Warning")).isEmpty();
        }
    }
}
