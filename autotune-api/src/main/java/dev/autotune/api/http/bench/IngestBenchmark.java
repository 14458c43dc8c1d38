package dev.autotune.api.http.bench;

import dev.autotune.api.app.recording.Recording;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.bench.JarCommand;
import dev.autotune.api.http.ApiServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * `autotune bench ingest`: how fast a report is recorded. One upload after another through the real server on
 * loopback (p50 and reports/s from one sequential client), `autotune ingest` of one report in a fresh JVM (wall
 * time including JVM start, started as `./autotune` starts it), and N reports recorded one by one in one process.
 * Every report is a distinct vLLM benchmark JSON, so none is refused as a duplicate.
 */
public final class IngestBenchmark {
    private final PrintStream out;

    public IngestBenchmark(PrintStream out) {
        this.out = out;
    }

    /** vLLM's {@code date}: the local time the run started, as vllm/benchmarks/serve.py writes it. */
    private static final java.time.format.DateTimeFormatter DATE =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final java.time.LocalDateTime FIRST_RUN = java.time.LocalDateTime.of(2026, 11, 30, 0, 0);

    /**
     * A vLLM bench JSON whose figures depend on {@code i}: distinct bytes, plausible metrics, a valid date (run
     * {@code i} started {@code i} seconds after the first), and a distinct run (the output token total differs),
     * so neither the report hash nor the run fingerprint makes it a duplicate.
     */
    public static String report(int i) {
        double latency = 60 + (i % 97);
        return String.format(Locale.ROOT, """
                {"date": "%s", "backend": "vllm", "model_id": "meta-llama/Llama-3.1-8B-Instruct",
                 "num_prompts": 200, "request_rate": "inf", "max_concurrency": %d, "duration": %.3f,
                 "completed": 200, "failed": 0, "total_input_tokens": 102400, "total_output_tokens": %d,
                 "request_throughput": %.4f, "output_throughput": %.3f,
                 "mean_ttft_ms": %.3f, "median_ttft_ms": %.3f, "p99_ttft_ms": %.3f,
                 "mean_tpot_ms": 7.1, "median_tpot_ms": 7.0, "p99_tpot_ms": 9.0,
                 "mean_itl_ms": 7.0, "median_itl_ms": 6.9, "p99_itl_ms": 9.5,
                 "mean_e2el_ms": %.3f, "median_e2el_ms": %.3f, "p99_e2el_ms": %.3f}
                """, DATE.format(FIRST_RUN.plusSeconds(i)), 1 + i % 8, 18.0 + i % 13, 21_600 + i, 11.1 + i % 5, 120.0 + i, latency * 0.2,
                latency * 0.19, latency * 0.3, latency, latency * 0.97, latency * 1.4);
    }

    public static List<Path> writeReports(Path dir, int from, int count) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            Path f = dir.resolve(String.format(Locale.ROOT, "report-%05d.json", i));
            Files.writeString(f, report(i));
            files.add(f);
        }
        return files;
    }

    public void run(Path work, int uploads, int warmUp, int processRuns, int bulk) throws Exception {
        out.println("load average before (1, 5, 15 min): " + ApiBenchmark.loadAverage());
        if (uploads > 0) {
            api(work, uploads, warmUp);
        }
        if (processRuns > 0) {
            oneProcess(work, processRuns);
        }
        if (bulk > 0) {
            bulk(work, bulk);
        }
        out.println("load average after (1, 5, 15 min): " + ApiBenchmark.loadAverage());
    }

    /**
     * Sequential uploads through POST /api/experiments on loopback, after {@code warmUp} others. The handler's code
     * (Jackson, Axon, the projections, SQLite's JNI calls) runs interpreted or at the first JIT tier for the first few
     * hundred requests; the warm-up separates that start-up cost from what a running server costs per report.
     */
    private void api(Path work, int uploads, int warmUp) throws Exception {
        Path db = work.resolve("api.db");
        try (Autotune autotune = new Autotune(db)) {
            autotune.live();
            ApiServer server = ApiServer.start(autotune, ApiServer.Options.defaults(db).withPort(0));
            try {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/experiments");
                for (int i = 0; i < warmUp; i++) {
                    upload(http, uri, 1_000_000 + i);
                }
                double[] millis = new double[uploads];
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                for (int i = 0; i < uploads; i++) {
                    long s = System.nanoTime();
                    upload(http, uri, i);
                    millis[i] = (System.nanoTime() - s) / 1e6;
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                long cpu = processCpuNanos() - cpu0;
                Arrays.sort(millis);
                out.printf(Locale.ROOT, "API upload (POST /api/experiments, one sequential client, %d uploads after %d "
                                + "warm-up): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; %.0f reports/s%s%n",
                        uploads, warmUp, millis[uploads / 2], millis[(int) (uploads * 0.95)],
                        millis[(int) (uploads * 0.99)], millis[uploads - 1], uploads / secs,
                        cpu0 < 0 ? "" : String.format(Locale.ROOT, "; process CPU %.2f ms per upload", cpu / 1e6 / uploads));
            } finally {
                server.close();
            }
        }
    }

    /**
     * CPU time of this whole process (server, client and the JIT), or -1 where the JVM does not tell: on a machine
     * other builds keep busy, the CPU an upload costs moves far less than its wall time, so two builds compare.
     */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    private static void upload(HttpClient http, URI uri, int i) throws IOException, InterruptedException {
        String boundary = "autotune-bench-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"report\"; filename=\"report-" + i
                + ".json\"\r\nContent-Type: application/json\r\n\r\n";
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(report(i).getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"scenario\"\r\n\r\nbench"
                + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new IOException("upload " + i + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** `autotune ingest REPORT` in a fresh JVM each time, into a database that already holds a few experiments. */
    private void oneProcess(Path work, int runs) throws Exception {
        List<String> base = JarCommand.base();
        if (base == null) {
            out.println("`autotune ingest` timing skipped: not running from the autotune jar");
            return;
        }
        Path db = work.resolve("cli.db");
        List<Path> files = writeReports(work.resolve("cli-reports"), 2_000_000, runs + 1);
        // the first run creates the schema; it is not what a user waits for on every ingest
        JarCommand.time(base, List.of("ingest", files.get(runs).toString(), "--db", db.toString()));
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            millis[i] = JarCommand.time(base, List.of("ingest", files.get(i).toString(), "--db", db.toString()));
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        out.println("timing: " + String.join(" ", base) + " ingest REPORT --db DB");
        out.printf(Locale.ROOT, "`autotune ingest` of one report, %d runs, wall time incl. JVM start: median %.0f ms, "
                + "min %.0f ms, max %.0f ms%n", runs, sorted[runs / 2], sorted[0], sorted[runs - 1]);
    }

    /** N reports recorded one by one (each its own check-and-append) by one process. */
    private void bulk(Path work, int count) throws Exception {
        List<Path> files = writeReports(work.resolve("bulk-reports"), 3_000_000, count);
        Path db = work.resolve("bulk.db");
        try (Autotune autotune = new Autotune(db)) {
            long t0 = System.nanoTime();
            for (Path f : files) {
                autotune.recording().ingest(new Recording.IngestInput(f, null, null, "bench", null, List.of(), null, List.of(),
                        false));
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "%d reports recorded one by one in one process: %.2f s (%.0f reports/s), "
                    + "Axon start included%n", count, secs, count / secs);
        }
    }
}
