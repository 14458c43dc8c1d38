package dev.autotune.api.http;

import dev.autotune.api.app.recording.Recording;
import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.common.StoreLocation;
import dev.autotune.store.testing.TestStores;
import dev.autotune.store.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A real server on a random loopback port over a real SQLite file or PostgreSQL database, and a client for it. */
final class TestServer implements AutoCloseable {
    static final Path REPO = Path.of(System.getProperty("autotune.repo", "..")).toAbsolutePath().normalize();

    final Path dir;
    /** The database as --db would name it: a SQLite file in dir, or a fresh PostgreSQL database (TestStores). */
    final String db;
    final Autotune autotune;
    final ApiServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Path dir, ApiServer.Options options) {
        this.dir = dir;
        this.db = TestStores.location(dir, "autotune.db");
        this.autotune = new Autotune(StoreLocation.of("db", db));
        autotune.live();
        this.server = ApiServer.start(autotune, options);
    }

    static TestServer start(Path dir) {
        return start(dir, o -> o);
    }

    static TestServer start(Path dir, java.util.function.UnaryOperator<ApiServer.Options> tweak) {
        return new TestServer(dir, tweak.apply(new ApiServer.Options("127.0.0.1", 0, null,
                ApiServer.DEFAULT_MAX_UPLOAD_BYTES, dir.resolve("uploads"))));
    }

    static Path example(String name) {
        return REPO.resolve("reports/examples").resolve(name);
    }

    /** The classic demo: batch 1, 4, 8 at 90/160/260 ms and 120/330/430 tok/s, as experiments 1, 2, 3. */
    TestServer withDemo() {
        ingest(autotune, "batch-1-vllm-bench.json", 1);
        ingest(autotune, "batch-4-aiperf.json", 4);
        ingest(autotune, "batch-8-genai-perf.csv", 8);
        return this;
    }

    static final String SWEEP = "tp-sweep";
    static final String TP = "serving.tensor_parallel_size";
    static final String CONCURRENCY = "serving.concurrency";

    /**
     * A two-knob sweep as a tuning engineer records it: tensor_parallel_size 1, 2, 4, 8 by concurrency 8, 32, 128
     * in scenario tp-sweep, as experiments 1 to 12 (tp slowest). Throughput grows with both; latency grows with
     * concurrency and falls with tp. Each report gives p50 latency equal to the mean and itl equal to tpot, as
     * tools that report one number under two names do. Then one stray run of another scenario, recorded last.
     */
    TestServer withTwoKnobSweep() throws IOException {
        Path reports = Files.createDirectories(dir.resolve("sweep"));
        for (long tp : new long[] {1, 2, 4, 8}) {
            for (long c : new long[] {8, 32, 128}) {
                if (tp == 4 && c == 128) {
                    // not measured: tp is a GPU count, so between 2 and 8 there is 4 to try at the best run's load
                    continue;
                }
                double latency = Math.round(30 + 9.0 * c / Math.pow(tp, 0.6));
                double tpot = latency / 100;
                String json = "{\"throughput_tokens_per_sec\": " + Math.round(150 * Math.pow(tp, 0.7) * Math.pow(c, 0.45))
                        + ", \"latency_ms\": " + latency + ", \"latency_p50_ms\": " + latency
                        + ", \"latency_p95_ms\": " + Math.round(latency * 1.4) + ", \"ttft_ms\": " + (10 + 2.0 * c / tp)
                        + ", \"tpot_ms\": " + tpot + ", \"itl_ms\": " + tpot + "}";
                Path report = Files.writeString(reports.resolve("tp" + tp + "-c" + c + ".json"), json);
                autotune.recording().ingest(new Recording.IngestRequest(report, null, SWEEP, "vllm", Map.of(TP, tp, CONCURRENCY, c),
                        null, null, null, Map.of(), false));
            }
        }
        autotune.recording().ingest(new Recording.IngestRequest(example("batch-1-vllm-bench.json"), null, "stray", "vllm",
                Map.of("serving.batch_size", 1L), null, null, null, Map.of(), true));
        return this;
    }

    static Recording.IngestResult ingest(Autotune into, String report, long batch) {
        return into.recording().ingest(new Recording.IngestRequest(example(report), null, "chat", "vllm",
                Map.of("serving.batch_size", batch), null, null, "test", Map.of(), true));
    }

    /**
     * `autotune ingest` in a separate JVM, as a user's shell would run it next to the server. (A second Autotune
     * in this JVM is not the same: Axon names the token owner after the JVM, so both would think they hold the
     * projection claim.)
     */
    static void ingestInAnotherProcess(String db, String report, long batch) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1",
                "-Daxoniq.update-checker.disabled=true", "dev.autotune.api.cli.AutotuneCli", "ingest",
                example(report).toString(), "--db", db, "--scenario", "chat", "--backend", "vllm",
                "--set", "serving.batch_size=" + batch, "--allow-duplicate")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("autotune ingest failed: " + out);
        }
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET());
    }

    JsonNode json(String path) {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return parse(r);
    }

    /** Asserts an error response: the status, a JSON error message, and the field it blames. */
    JsonNode assertError(String path, int status, String field) {
        return assertError(get(path), status, field);
    }

    static JsonNode assertError(HttpResponse<String> r, int status, String field) {
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.uri() + " -> " + r.body()).isEqualTo(status);
        JsonNode body = parse(r);
        org.assertj.core.api.Assertions.assertThat(body.path("error").asText()).as(r.body()).isNotBlank();
        if (field != null) {
            org.assertj.core.api.Assertions.assertThat(body.path("field").asText()).as(r.body()).isEqualTo(field);
        }
        return body;
    }

    static JsonNode parse(HttpResponse<String> r) {
        try {
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    HttpResponse<String> post(Multipart form, String token) {
        return post("/api/experiments", form, token);
    }

    HttpResponse<String> post(String path, Multipart form, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes()));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    @Override
    public void close() {
        server.close();
        autotune.close();
    }

    /** A multipart/form-data body: text fields and file parts. */
    static final class Multipart {
        private final String boundary = "autotune-" + UUID.randomUUID();
        private final List<byte[]> chunks = new ArrayList<>();

        Multipart field(String name, String value) {
            text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        Multipart file(String name, Path file) {
            try {
                return file(name, file.getFileName().toString(), Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Multipart file(String name, String filename, byte[] content) {
            text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            chunks.add(content);
            text("\r\n");
            return this;
        }

        private void text(String s) {
            chunks.add(s.getBytes(StandardCharsets.UTF_8));
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        byte[] bytes() {
            List<byte[]> all = new ArrayList<>(chunks);
            all.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            int size = all.stream().mapToInt(b -> b.length).sum();
            byte[] out = new byte[size];
            int at = 0;
            for (byte[] b : all) {
                System.arraycopy(b, 0, out, at, b.length);
                at += b.length;
            }
            return out;
        }
    }
}
