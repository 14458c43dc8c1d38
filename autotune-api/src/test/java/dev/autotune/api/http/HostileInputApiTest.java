package dev.autotune.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.api.http.TestServer.Multipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** What the security review sent the HTTP API, each answered as bad input: a 400 naming the field, in one line. */
class HostileInputApiTest {
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
    void aFilterNestedPastTheLimitIsA400NotAnEmpty500() {
        api = TestServer.start(dir).withDemo();
        String deep = "(".repeat(1_300) + "knob.batch_size > 1" + ")".repeat(1_300);
        JsonNode error = api.assertError("/api/experiments?where=" + URLEncoder.encode(deep, StandardCharsets.UTF_8),
                400, "where");
        assertThat(error.get("error").asText()).contains("more than 1000 terms").hasSizeLessThan(200);
    }

    @Test
    void healthAndErrorBodiesNameNeitherTheDatabaseFileNorItsUrl() {
        api = TestServer.start(dir).withDemo();
        JsonNode health = api.json("/health");
        JsonNode missing = api.assertError("/api/experiments/999", 404, null);
        for (JsonNode body : new JsonNode[] {health, missing}) {
            assertThat(body.toString()).doesNotContain(dir.toString()).doesNotContain("postgresql://");
        }
        assertThat(missing.get("error").asText()).isEqualTo("no experiment 999 in the database");
    }

    /** The real fake-Slurm vLLM sweep (cloudai-fixtures, see PROVENANCE.md), step 3's dir standing in for 1 to 3. */
    static final Path SWEEP = TestServer.REPO.resolve("autotune-runner/src/test/resources/cloudai-fixtures/"
            + "real_cli_runs/fake_slurm_vllm_dse/vllm.dse.1node/0");

    /** The sweep's entries under {@code prefix} ("" is the README's {@code cd <iteration dir> && zip -r . }). */
    static List<String[]> sweepEntries(String prefix) throws Exception {
        List<String[]> entries = new ArrayList<>();
        entries.add(new String[] {prefix + "trajectory.csv", Files.readString(SWEEP.resolve("trajectory.csv"))});
        for (String step : new String[] {"1", "2", "3"}) {
            try (Stream<Path> files = Files.list(SWEEP.resolve("3"))) {
                for (Path f : files.sorted().toList()) {
                    entries.add(new String[] {prefix + step + "/" + f.getFileName(), Files.readString(f)});
                }
            }
        }
        return entries;
    }

    static byte[] zip(List<String[]> entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (String[] e : entries) {
                out.putNextEntry(new ZipEntry(e[0]));
                out.write(e[1].getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void aZipIsASweepByItsContentAndTheReadmesRecipeIsAccepted() throws Exception {
        api = TestServer.start(dir);
        var named = api.post(new Multipart().file("report", "sweep-results", zip(sweepEntries("0/")))
                .field("scenario", "a"), null);
        assertThat(named.statusCode()).as(named.body()).isEqualTo(201);
        assertThat(TestServer.parse(named).get("ids").size()).isEqualTo(3);
        // cd <iteration dir> && zip -r sweep.zip .
        var recipe = api.post(new Multipart().file("report", "sweep.zip", zip(sweepEntries("")))
                .field("scenario", "b"), null);
        assertThat(recipe.statusCode()).as(recipe.body()).isEqualTo(201);
        assertThat(TestServer.parse(recipe).get("ids").toString()).isEqualTo("[4,5,6]");
        JsonNode step = api.json("/api/experiments/6");
        assertThat(step.get("config").get("decode.max_num_batched_tokens").asInt()).isEqualTo(4096);
    }

    @Test
    void everyBrokenZipIsA400OnTheReportAndNothingIsKept() throws Exception {
        api = TestServer.start(dir);
        byte[] good = zip(sweepEntries("0/"));
        ByteArrayOutputStream latin1 = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(latin1, StandardCharsets.ISO_8859_1)) {
            out.putNextEntry(new ZipEntry("0/caf\u00e9.txt"));
        }
        List<byte[]> broken = List.of(
                Arrays.copyOf(good, good.length / 2),
                zip(List.<String[]>of(new String[] {"0/a", "x"}, new String[] {"0/a/", ""})),
                zip(List.<String[]>of(new String[] {"0/link", "/etc"}, new String[] {"0/link/child", "x"})),
                zip(List.<String[]>of(new String[] {"0/" + "n".repeat(300), "x"})),
                zip(List.<String[]>of(new String[] {"a/".repeat(3_000) + "x", "x"})),
                zip(List.<String[]>of(new String[] {"0/1/x", "a"}, new String[] {"0/1/./x", "b"})),
                latin1.toByteArray());
        for (byte[] zip : broken) {
            var r = api.post(new Multipart().file("report", "bad.zip", zip), null);
            JsonNode error = TestServer.assertError(r, 400, "report");
            assertThat(error.get("error").asText()).doesNotContain("\n").hasSizeLessThan(400);
        }
        try (Stream<Path> left = Files.list(dir.resolve("uploads"))) {
            assertThat(left).as("nothing recorded, nothing kept").isEmpty();
        }
    }

    @Test
    void aBadPartAfterAGoodOneIsRefusedOnItsOwn() throws Exception {
        api = TestServer.start(dir);
        byte[] good = zip(sweepEntries("0/"));
        var r = api.post(new Multipart().file("report", TestServer.example("batch-4-aiperf.json"))
                .file("report", "cut.zip", Arrays.copyOf(good, good.length / 2)), null);
        JsonNode body = TestServer.assertError(r, 400, "report");
        assertThat(body.get("recorded").size()).isEqualTo(1);
        assertThat(body.get("refused").get(0).get("name").asText()).isEqualTo("cut.zip");
    }

    java.net.http.HttpResponse<String> createStudy(String spacePath) {
        return api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/api/studies"))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"space_path\": \"" + spacePath + "\"}", StandardCharsets.UTF_8)));
    }

    @Test
    void aStudysServerPathsStayUnderTheServersDirectoriesAndNoFileContentIsEchoed() throws Exception {
        api = TestServer.start(dir);
        Path elsewhere = Files.createTempDirectory("autotune-elsewhere");
        try {
            Path secret = Files.writeString(elsewhere.resolve("secret.toml"), "scenario = \"x\"\n");
            // outside: the same answer whether or not the file exists
            String there = TestServer.assertError(createStudy(secret.toString()), 400, "space_path").get("error").asText();
            String gone = TestServer.assertError(createStudy(elsewhere.resolve("none.toml").toString()), 400,
                    "space_path").get("error").asText();
            assertThat(there).contains("is not under");
            assertThat(gone.replace("none.toml", "secret.toml")).isEqualTo(there);

            // a space under the server's directories whose base_test points elsewhere: refused, existing or not
            String space = """
                    scenario = "chat"
                    objective = "maximize throughput_tokens_per_sec"
                    base_test = "%s"
                    [knobs]
                    "cmd_args.decode.max_num_seqs" = [1, 2]
                    """;
            for (String target : new String[] {secret.toString(), elsewhere.resolve("none.toml").toString()}) {
                Path file = Files.writeString(dir.resolve("space.toml"), space.formatted(target));
                assertThat(TestServer.assertError(createStudy(file.toString()), 400, "space_path").get("error")
                        .asText()).contains("base_test", "must lie under the server's own directories").doesNotContain("exist");
            }

            // a file that is not TOML: where it breaks, never what it holds
            Path env = Files.writeString(dir.resolve("env.toml"), "AWS_SECRET=hunter2-xyz\u0000more\n");
            String error = TestServer.assertError(createStudy(env.toString()), 400, "space_path").get("error").asText();
            assertThat(error).doesNotContain("hunter2").doesNotContain("AWS").doesNotContain("xyz");
        } finally {
            try (Stream<Path> files = Files.walk(elsewhere)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() throws Exception {
        api = TestServer.start(dir, o -> o.withToken("0123456789abcdef"));
        for (String scheme : new String[] {"bearer", "BEARER"}) {
            var r = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/api/budgets"))
                    .header("Content-Type", "application/json").header("Authorization", scheme + " 0123456789abcdef")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(r.statusCode()).as(scheme + ": " + r.body()).isNotEqualTo(401);
        }
    }

    @Test
    void anErrorNeverSendsTheInputBackAtLength() {
        api = TestServer.start(dir);
        JsonNode error = TestServer.assertError(createStudy("/x/" + "y".repeat(200_000)), 400, "space_path");
        assertThat(error.get("error").asText()).hasSizeLessThan(1_100).contains("more characters");
    }
}
