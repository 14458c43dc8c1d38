package dev.autotune.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.api.http.TestServer.Multipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/experiments: the same ingest as the CLI, kept uploads, and every refusal. */
class UploadApiTest {
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
    void recordsAnUploadedReportKeepsACopyAndListsIt() throws Exception {
        api = TestServer.start(dir);
        var r = api.post(new Multipart().file("report", TestServer.example("batch-4-aiperf.json"))
                .field("scenario", "chat").field("backend", "vllm").field("set", "serving.batch_size=4")
                .field("set", "serving.enable_prefix_caching=true").field("notes", "from the API")
                .field("metadata", "gpu=H100").field("metadata", "owner=perf"), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = TestServer.parse(r);
        assertThat(body.get("id").asInt()).isEqualTo(1);
        assertThat(body.get("format").asText()).isEqualTo("aiperf-json");
        assertThat(body.get("metrics").get("latency_ms").asDouble()).isEqualTo(160.0);
        assertThat(r.headers().firstValue("Location")).contains("/api/experiments/1");

        Path kept = Path.of(body.get("report_path").asText());
        assertThat(kept.getParent()).isEqualTo(dir.resolve("uploads"));
        assertThat(kept.getFileName().toString()).matches("[0-9a-f]{64}-batch-4-aiperf\\.json");
        assertThat(Files.readAllBytes(kept)).isEqualTo(Files.readAllBytes(TestServer.example("batch-4-aiperf.json")));

        JsonNode shown = api.json("/api/experiments/1");
        assertThat(shown.get("config").get("serving.batch_size").asInt()).isEqualTo(4);
        assertThat(shown.get("config").get("serving.enable_prefix_caching").asBoolean()).isTrue();
        assertThat(shown.get("notes").asText()).isEqualTo("from the API");
        assertThat(shown.get("metadata").get("gpu").asText()).isEqualTo("H100");
        assertThat(shown.get("reports").get(0).get("path").asText()).isEqualTo(kept.toString());
        assertThat(api.json("/api/experiments").get("total").asInt()).isEqualTo(1);
    }

    @Test
    void severalReportPartsAreEachRecordedOnTheirOwnWithARefusalPerBrokenFile() throws Exception {
        api = TestServer.start(dir);
        Path broken = Files.writeString(Files.createDirectories(dir.resolve("in")).resolve("truncated.json"),
                "{\"mean_ttft_ms\": 12.5, \"output_thr");
        Multipart good = new Multipart().file("report", TestServer.example("batch-1-vllm-bench.json"))
                .file("report", TestServer.example("batch-4-aiperf.json"))
                .file("report", TestServer.example("batch-8-genai-perf.csv"));
        var r = api.post(good, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = TestServer.parse(r);
        assertThat(body.get("recorded")).hasSize(3);
        assertThat(body.get("duplicates")).isEmpty();
        assertThat(body.get("refused")).isEmpty();

        var mixed = api.post(new Multipart().file("report", TestServer.example("batch-4-aiperf.json"))
                .file("report", broken), null);
        assertThat(mixed.statusCode()).as(mixed.body()).isEqualTo(400);
        JsonNode m = TestServer.parse(mixed);
        assertThat(m.get("recorded")).isEmpty();
        assertThat(m.get("duplicates")).hasSize(1);
        assertThat(m.get("duplicates").get(0).get("existing_id").asInt()).isEqualTo(2);
        assertThat(m.get("refused")).hasSize(1);
        assertThat(m.get("refused").get(0).get("name").asText()).isEqualTo("truncated.json");
        assertThat(m.get("error").asText()).isEqualTo("1 of 2 reports refused");
        assertThat(api.json("/api/experiments").get("total").asInt()).isEqualTo(3);
    }

    @Test
    void takesScenarioBackendAndKnobsFromAnUploadedConfigUnlessGiven() {
        api = TestServer.start(dir);
        var r = api.post(new Multipart().file("report", TestServer.example("batch-1-vllm-bench.json"))
                .file("config", TestServer.REPO.resolve("configs/examples/llama3-8b-chat.toml"))
                .field("set", "serving.batch_size=1"), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode shown = api.json("/api/experiments/1");
        assertThat(shown.get("scenario").asText()).isEqualTo("llama3-8b-chat");
        assertThat(shown.get("backend").asText()).isEqualTo("vllm");
        assertThat(shown.get("config").get("serving.gpu_memory_utilization").asDouble()).isEqualTo(0.9);
        assertThat(shown.get("config").get("serving.batch_size").asInt()).isEqualTo(1);
        assertThat(Path.of(shown.get("config_path").asText())).exists().hasParent(dir.resolve("uploads"));
    }

    @Test
    void errorBodiesNameTheUploadedFileAsSentNeverAServerPath() throws Exception {
        // the data dir reached through a symlink: messages may carry either spelling of the path
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        api = TestServer.start(link, o -> new ApiServer.Options(o.host(), o.port(), o.token(), o.maxUploadBytes(),
                link.resolve("uploads"), o.allowedHosts()));
        Multipart form = new Multipart().file("report", TestServer.example("batch-8-genai-perf.csv"));
        assertThat(api.post(form, null).statusCode()).isEqualTo(201);
        JsonNode single = TestServer.assertError(api.post(new Multipart().file("report",
                TestServer.example("batch-8-genai-perf.csv")), null), 409, "report");
        assertThat(single.get("error").asText()).startsWith("batch-8-genai-perf.csv: already recorded as experiment 1");
        Path broken = Files.writeString(Files.createDirectories(dir.resolve("in")).resolve("truncated.json"),
                "{\"mean_ttft_ms\": 12.5, \"output_thr");
        var several = api.post(new Multipart().file("report", TestServer.example("batch-8-genai-perf.csv"))
                .file("report", broken), null);
        JsonNode body = TestServer.parse(several);
        assertThat(body.get("duplicates").get(0).get("error").asText())
                .startsWith("batch-8-genai-perf.csv: already recorded as experiment 1");
        assertThat(body.get("refused").get(0).get("error").asText()).startsWith("truncated.json: ");
        for (String text : List.of(single.toString(), body.toString())) {
            assertThat(text).doesNotContain(dir.toString()).doesNotContain(real.toRealPath().toString())
                    .doesNotContain("uploads/");
        }
    }

    @Test
    void theSameReportAndConfigIsA409UnlessDuplicatesAreAllowed() {
        api = TestServer.start(dir);
        Multipart form = new Multipart().file("report", TestServer.example("batch-8-genai-perf.csv"))
                .field("set", "serving.batch_size=8");
        assertThat(api.post(form, null).statusCode()).isEqualTo(201);
        assertThat(api.json("/api/experiments").get("total").asInt()).isEqualTo(1);
        var again = api.post(new Multipart().file("report", TestServer.example("batch-8-genai-perf.csv"))
                .field("set", "serving.batch_size=8"), null);
        JsonNode error = TestServer.assertError(again, 409, "report");
        assertThat(error.get("existing_id").asInt()).isEqualTo(1);
        assertThat(api.post(new Multipart().file("report", TestServer.example("batch-8-genai-perf.csv"))
                .field("set", "serving.batch_size=8").field("allow_duplicate", "true"), null).statusCode()).isEqualTo(201);
        // the list is cached per position in the log: a new experiment is a new position
        assertThat(api.json("/api/experiments").get("total").asInt()).isEqualTo(2);
        // the first upload's kept copy is shared, never deleted by the refused one
        assertThat(api.json("/api/experiments/1").get("reports").get(0).get("path").asText())
                .satisfies(p -> assertThat(Path.of(p)).exists());
    }

    @Test
    void badInputIs400NamingTheFieldAndRecordsNothing() throws Exception {
        api = TestServer.start(dir);
        long events = api.autotune.eventLog().eventCount();
        TestServer.assertError(api.post(new Multipart().file("report", "garbage.json",
                "{\"not\": \"a report\"".getBytes(StandardCharsets.UTF_8)), null), 400, "report");
        TestServer.assertError(api.post(new Multipart().field("scenario", "chat"), null), 400, "report");
        TestServer.assertError(api.post(new Multipart().file("report", TestServer.example("batch-4-aiperf.json"))
                .field("set", "no-equals-sign"), null), 400, "set");
        TestServer.assertError(api.post(new Multipart().file("report", TestServer.example("batch-4-aiperf.json"))
                .field("set", "serving.batch_size=[unclosed"), null), 400, "set");
        TestServer.assertError(api.post(new Multipart().file("report", TestServer.example("batch-4-aiperf.json"))
                .field("format", "excel"), null), 400, "format");
        TestServer.assertError(api.post(new Multipart().file("report", TestServer.example("batch-4-aiperf.json"))
                .file("config", "bad.toml", "this is = = not toml".getBytes(StandardCharsets.UTF_8)), null), 400, "config");
        TestServer.assertError(api.post(new Multipart().file("report", TestServer.example("batch-4-aiperf.json"))
                .field("colour", "blue"), null), 400, "colour");
        TestServer.assertError(api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/experiments"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))), 400, "report");
        assertThat(api.autotune.eventLog().eventCount()).isEqualTo(events);
        try (Stream<Path> left = Files.list(dir.resolve("uploads"))) {
            assertThat(left).as("no kept file without an experiment").isEmpty();
        }
    }

    @Test
    void aClientsFileNameCannotPlaceTheKeptCopyOutsideUploads() throws Exception {
        api = TestServer.start(dir);
        byte[] report = Files.readAllBytes(TestServer.example("batch-4-aiperf.json"));
        var r = api.post(new Multipart().file("report", "../../../escape/..\\evil name.json", report), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        Path kept = Path.of(TestServer.parse(r).get("report_path").asText());
        assertThat(kept.getParent()).isEqualTo(dir.resolve("uploads"));
        assertThat(kept.getFileName().toString()).matches("[0-9a-f]{64}-evil_name\\.json");
        assertThat(dir.resolve("escape")).doesNotExist();
    }

    @Test
    void uploadsOverTheLimitAre413() {
        api = TestServer.start(dir, o -> o.withMaxUploadBytes(1024));
        byte[] big = new byte[4096];
        java.util.Arrays.fill(big, (byte) 'x');
        var r = api.post(new Multipart().file("report", "big.json", big), null);
        TestServer.assertError(r, 413, "report");
        assertThat(api.autotune.eventLog().eventCount()).isZero();
    }

    @Test
    void chunkedUploadsOverTheLimitAre413Too() {
        api = TestServer.start(dir, o -> o.withMaxUploadBytes(1024));
        byte[] big = new byte[64 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        Multipart form = new Multipart().file("report", "big.json", big);
        // no Content-Length: the limit must hold while the body is read
        var r = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/experiments"))
                .header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(form.bytes()))));
        TestServer.assertError(r, 413, "report");
        assertThat(api.autotune.eventLog().eventCount()).isZero();
    }

    @Test
    void withATokenWritesNeedItAndReadsStayOpen() {
        api = TestServer.start(dir, o -> o.withToken("s3cret"));
        Multipart form = new Multipart().file("report", TestServer.example("batch-4-aiperf.json"));
        TestServer.assertError(api.post(form, null), 401, "Authorization");
        var wrong = api.post(new Multipart().file("report", TestServer.example("batch-4-aiperf.json")), "guess");
        TestServer.assertError(wrong, 401, "Authorization");
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(api.autotune.eventLog().eventCount()).isZero();
        assertThat(api.post(new Multipart().file("report", TestServer.example("batch-4-aiperf.json")), "s3cret")
                .statusCode()).isEqualTo(201);
        assertThat(api.get("/api/experiments").statusCode()).isEqualTo(200);
    }

    /**
     * A CloudAI DSE sweep uploaded as a zip of its iteration dir: trajectory.csv and the step dirs beside it, from the
     * real fake-Slurm vLLM run (cloudai-fixtures, see its PROVENANCE.md; only step 3's dir was kept upstream, so it
     * stands in for steps 1 and 2 as in ReportFactsIT). One experiment per step, as `autotune ingest` records it.
     */
    @Test
    void aZippedSweepIsOneExperimentPerStepAndTheSameZipAgainIsA409() throws Exception {
        api = TestServer.start(dir);
        Path fixture = TestServer.REPO.resolve("autotune-runner/src/test/resources/cloudai-fixtures/real_cli_runs/"
                + "fake_slurm_vllm_dse/vllm.dse.1node/0");
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
            out.putNextEntry(new java.util.zip.ZipEntry("0/trajectory.csv"));
            out.write(Files.readAllBytes(fixture.resolve("trajectory.csv")));
            for (String step : new String[] {"1", "2", "3"}) {
                try (Stream<Path> files = Files.list(fixture.resolve("3"))) {
                    for (Path f : files.sorted().toList()) {
                        out.putNextEntry(new java.util.zip.ZipEntry("0/" + step + "/" + f.getFileName()));
                        out.write(Files.readAllBytes(f));
                    }
                }
            }
        }
        var r = api.post(new Multipart().file("report", "vllm-dse-sweep.zip", zip.toByteArray())
                .field("scenario", "vllm-dse"), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = TestServer.parse(r);
        assertThat(body.get("format").asText()).isEqualTo("cloudai-trajectory");
        assertThat(body.get("ids").toString()).isEqualTo("[1,2,3]");
        Path trajectory = Path.of(body.get("report_path").asText());
        assertThat(trajectory.getFileName().toString()).isEqualTo("trajectory.csv");
        assertThat(trajectory).startsWith(dir.resolve("uploads"));
        assertThat(Files.list(dir.resolve("uploads")).map(p -> p.getFileName().toString()))
                .as("the sweep is kept unpacked, the zip itself is not").noneMatch(n -> n.endsWith(".zip"));
        for (int step = 1; step <= 3; step++) {
            JsonNode shown = api.json("/api/experiments/" + step);
            assertThat(shown.get("config").get("decode.max_num_batched_tokens").asInt()).isEqualTo(1024 << (step - 1));
            assertThat(shown.get("reports").get(0).get("path").asText()).startsWith(trajectory.getParent().toString());
        }

        var again = api.post(new Multipart().file("report", "again.zip", zip.toByteArray())
                .field("scenario", "vllm-dse"), null);
        assertThat(TestServer.assertError(again, 409, "report").get("existing_id").asInt()).isEqualTo(1);
        assertThat(api.json("/api/experiments").get("total").asInt()).isEqualTo(3);
    }

    @Test
    void aLoneTrajectoryOrAZipWithoutOneOrEscapingItIsRefusedAsTheReportsFault() throws Exception {
        api = TestServer.start(dir);
        Path lone = TestServer.REPO.resolve("autotune-runner/src/test/resources/cloudai-fixtures/real_cli_runs/"
                + "fake_slurm_vllm_dse/vllm.dse.1node/0/trajectory.csv");
        assertThat(TestServer.assertError(api.post(new Multipart().file("report", lone), null), 400, "report")
                .get("error").asText()).contains("as a zip");

        assertThat(TestServer.assertError(api.post(new Multipart().file("report", "reports.zip",
                zipOf("a/report.json", "{}")), null), 400, "report").get("error").asText()).contains("no trajectory.csv");
        assertThat(TestServer.assertError(api.post(new Multipart().file("report", "evil.zip",
                zipOf("../../outside/trajectory.csv", "step,action,reward,observation\n")), null), 400, "report")
                .get("error").asText()).contains("outside the archive");
        assertThat(dir.resolve("outside")).doesNotExist();
        try (Stream<Path> left = Files.list(dir.resolve("uploads"))) {
            assertThat(left).as("nothing recorded, nothing kept").isEmpty();
        }
    }

    /**
     * A step's test-run.toml names the files it reads (an AIPerf phase's report-name, an AI Dynamo test's workloads):
     * in an upload, each must lie inside the zip, else the upload is refused naming the entry, and nothing of the
     * named file is read, recorded or served.
     */
    @Test
    void aZipWhoseStepNamesAServerFileIsRefusedNamingTheEntry() throws Exception {
        api = TestServer.start(dir);
        Path secret = Files.createDirectories(dir.resolve("server-only")).resolve("secret_report.csv");
        Files.copy(TestServer.REPO.resolve("autotune-runner/src/test/resources/cloudai-fixtures/extracted_from_tests/"
                + "ai_dynamo/aiperf_report.csv"), secret);
        String phases = """
                [[test_definition.cmd_args.aiperf_phases]]
                name = "a"
                report-name = "%s"
                [[test_definition.cmd_args.aiperf_phases]]
                name = "b"
                """;
        for (String[] c : new String[][] {
                {"aiperf.sh", phases.formatted(secret)},
                {"aiperf.sh", phases.formatted("../../../../server-only/secret_report.csv")},
                {secret.getParent().resolve("secret.sh").toString(), ""}}) {
            String toml = """
                    name = "t"
                    [test_definition]
                    name = "t"
                    test_template_name = "AIDynamo"
                    [test_definition.cmd_args]
                    workloads = "%s"
                    %s""".formatted(c[0], c[1]);
            byte[] zip = zipOf(new String[][] {
                    {"0/trajectory.csv", "step,action,reward,observation\n1,\"{'x': 1}\",1.0,[1.0]\n"},
                    {"0/1/test-run.toml", toml},
                    {"0/1/success-marker.txt", ""},
                    {"0/1/aiperf_report.csv", Files.readString(secret)}});
            JsonNode error = TestServer.assertError(api.post(new Multipart().file("report", "sweep.zip", zip), null),
                    400, "report");
            assertThat(error.get("error").asText()).as(c[0]).contains("'0/1/test-run.toml'", "outside the upload",
                    "cmd_args.");
        }
        assertThat(api.json("/api/experiments").get("total").asInt()).isZero();
        try (Stream<Path> left = Files.list(dir.resolve("uploads"))) {
            assertThat(left).as("nothing recorded, nothing kept").isEmpty();
        }
    }

    private static byte[] zipOf(String[][] entries) throws Exception {
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
            for (String[] e : entries) {
                out.putNextEntry(new java.util.zip.ZipEntry(e[0]));
                out.write(e[1].getBytes(StandardCharsets.UTF_8));
            }
        }
        return zip.toByteArray();
    }

    private static byte[] zipOf(String name, String content) throws Exception {
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
            out.putNextEntry(new java.util.zip.ZipEntry(name));
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return zip.toByteArray();
    }
}
