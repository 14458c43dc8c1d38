package dev.autotune.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.api.http.TestServer.Multipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /api/studies/{id}/steps, as the CloudAI agent uses it: a step's results dir zipped with its trajectory row is
 * recorded as a sweep step and linked to its trial in one append, or refused with nothing recorded.
 */
class DseStepApiTest {
    static final String SPACE = """
            scenario = "vllm-dse"
            objective = "maximize throughput_tokens_per_sec"
            strategy = "grid"

            [knobs]
            "cmd_args.decode.max_num_batched_tokens" = [1024, 4096]
            """;
    /** Step 3 of the real fake-Slurm vLLM DSE run (cloudai-fixtures, see its PROVENANCE.md): 4096 batched tokens. */
    static final Path STEP = TestServer.REPO.resolve("autotune-runner/src/test/resources/cloudai-fixtures/"
            + "real_cli_runs/fake_slurm_vllm_dse/vllm.dse.1node/0");

    @TempDir
    Path dir;
    TestServer api;

    @AfterEach
    void stop() {
        api.close();
    }

    HttpResponse<String> post(String path, Multipart form) {
        return api.post(path, form, null);
    }

    /** {@code vllm.dse.1node/0/trajectory.csv} with step 3's row and {@code vllm.dse.1node/0/3/}, as the agent zips. */
    static byte[] stepZip() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            List<String> rows = Files.readAllLines(STEP.resolve("trajectory.csv"));
            out.putNextEntry(new ZipEntry("vllm.dse.1node/0/trajectory.csv"));
            out.write((rows.get(0) + "\n" + rows.get(3) + "\n").getBytes());
            try (Stream<Path> files = Files.list(STEP.resolve("3"))) {
                for (Path f : files.sorted().toList()) {
                    out.putNextEntry(new ZipEntry("vllm.dse.1node/0/3/" + f.getFileName()));
                    out.write(Files.readAllBytes(f));
                }
            }
        }
        return zip.toByteArray();
    }

    @Test
    void aStepIsRecordedAsASweepStepAndLinkedToItsTrialOnceOrRefusedWithNothingRecorded() throws Exception {
        api = TestServer.start(dir);
        JsonNode created = StudyApiTest.ok(post("/api/studies", new Multipart()
                .file("space", "cloudai-vllm.toml", SPACE.getBytes())), 201);
        assertThat(created.get("study").get("number").asInt()).isEqualTo(1);
        JsonNode first = StudyApiTest.ok(post("/api/studies/1/ask", new Multipart().field("n", "1")), 200);
        assertThat(first.get("proposals").get(0).get("config").toString())
                .isEqualTo("{\"cmd_args.decode.max_num_batched_tokens\":1024}");
        byte[] zip = stepZip();

        // the step ran 4096, trial 1 proposed 1024: refused, naming the knob, nothing recorded or kept
        JsonNode wrong = TestServer.assertError(post("/api/studies/1/steps", new Multipart()
                .file("step", "step-3.zip", zip).field("trial", "1")), 400, "step");
        assertThat(wrong.get("error").asText()).contains("knobs.\"cmd_args.decode.max_num_batched_tokens\"")
                .contains("ran 4096").contains("proposed 1024");
        assertThat(api.json("/api/experiments").get("total").asInt()).isZero();
        try (Stream<Path> left = Files.list(dir.resolve("uploads"))) {
            assertThat(left.filter(p -> !p.getFileName().toString().equals("spaces")))
                    .as("nothing recorded, nothing kept").isEmpty();
        }
        TestServer.assertError(post("/api/studies/1/steps", new Multipart()
                .file("step", "step-3.zip", zip).field("trial", "9")), 400, "trial");
        TestServer.assertError(post("/api/studies/1/steps", new Multipart()
                .file("step", "report.json", "{}".getBytes()).field("trial", "1")), 400, "step");

        JsonNode second = StudyApiTest.ok(post("/api/studies/1/ask", new Multipart()), 200);
        assertThat(second.get("proposals").get(0).get("trial").asInt()).isEqualTo(2);
        JsonNode recorded = StudyApiTest.ok(post("/api/studies/1/steps", new Multipart()
                .file("step", "step-3.zip", zip).field("trial", "2")
                .field("metadata", "cloudai.reward=3208.0").field("metadata", "cloudai.observation.throughput=3208.0")),
                201);
        assertThat(recorded.get("experiment").asInt()).isEqualTo(1);
        assertThat(recorded.get("status").asText()).isEqualTo("completed");
        assertThat(recorded.get("metrics").get("throughput_tokens_per_sec").asDouble()).isPositive();

        JsonNode shown = api.json("/api/experiments/1");
        assertThat(shown.get("scenario").asText()).isEqualTo("vllm-dse");
        assertThat(shown.get("config").get("decode.max_num_batched_tokens").asInt()).isEqualTo(4096);
        assertThat(shown.toString()).contains("\"cloudai.reward\":\"3208.0\"")
                .contains("\"cloudai.observation.throughput\":\"3208.0\"").contains("\"cloudai.step\":\"3\"")
                .contains("\"cloudai.test_id\":\"vllm.dse.1node\"");
        JsonNode study = api.json("/api/studies/1");
        assertThat(study.get("trials").get(1).get("experiment").asInt()).isEqualTo(1);
        assertThat(study.get("trials").get(0).get("status").asText()).isEqualTo("proposed");

        // the same step again (an agent retrying after a lost answer): 409, recorded once
        assertThat(TestServer.assertError(post("/api/studies/1/steps", new Multipart()
                .file("step", "step-3.zip", zip).field("trial", "2")), 409, "trial").get("error").asText())
                .contains("already measured by experiment 1");
        assertThat(api.json("/api/experiments").get("total").asInt()).isEqualTo(1);
    }

    @Test
    void theStepRouteKeepsTheTokenAndOriginRulesOfEveryWrite() throws Exception {
        api = TestServer.start(dir, o -> o.withToken("s3cret"));
        Multipart step = new Multipart().file("step", "step-3.zip", stepZip()).field("trial", "1");
        TestServer.assertError(api.post("/api/studies/1/steps", step, null), 401, "Authorization");
        TestServer.assertError(api.post("/api/studies/1/steps", step, "guess"), 401, "Authorization");
        TestServer.assertError(api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base()
                        + "/api/studies/1/steps")).header("Content-Type", step.contentType())
                .header("Authorization", "Bearer s3cret").header("Origin", "http://evil.example")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(step.bytes()))), 403, "Origin");
        // with the token and no foreign origin the request reaches the route: no study 1 here
        assertThat(api.post("/api/studies/1/steps", step, "s3cret").statusCode()).isEqualTo(404);
        assertThat(api.json("/api/experiments").get("total").asInt()).isZero();
    }
}
