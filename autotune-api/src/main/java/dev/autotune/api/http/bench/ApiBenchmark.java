package dev.autotune.api.http.bench;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.bench.StoreBenchmark;
import dev.autotune.api.http.ApiServer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * `autotune bench api`: N experiments appended in batched units of work, the real server on loopback, a fixed
 * number of requests fired by C client threads, and the dashboard's first table paint in headless Chromium.
 */
public final class ApiBenchmark {
    /**
     * Latency figures of one request mix, in milliseconds, and the CPU time per request of the server's threads and
     * of this benchmark's own client threads (they share the machine's cores, in one JVM).
     */
    public record Figures(String request, int requests, int clients, double p50, double p95, double p99, double max,
                          double perSecond, double serverCpu, double clientCpu) {
    }

    /** Client threads: the pool's, named so, and the HTTP client's own ({@code HttpClient-N-…}). */
    private static final String CLIENT_THREAD = "bench-client-";

    private final PrintStream out;

    public ApiBenchmark(PrintStream out) {
        this.out = out;
    }

    public void run(int experiments, int clients, int requests, Path work) throws Exception {
        Path db = work.resolve("api.db");
        // sampled before this benchmark adds its own threads to it
        String idleLoad = loadAverage();
        long t0 = System.nanoTime();
        StoreBenchmark.populate(db, experiments);
        out.printf("populated %d experiments (%d events) in %.1f s%n", experiments, experiments * 4,
                (System.nanoTime() - t0) / 1e9);
        try (Autotune autotune = new Autotune(db)) {
            autotune.live();
            ApiServer server = ApiServer.start(autotune, ApiServer.Options.defaults(db).withPort(0));
            try {
                String base = "http://127.0.0.1:" + server.port();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                List<Figures> all = new ArrayList<>();
                int pages = Math.max(1, experiments - 100);
                // the same page again and again (what open dashboards and polling scripts send), then pages that
                // are all different, which no cache can serve
                Map<String, IntFunction<String>> mixes = new LinkedHashMap<>();
                mixes.put("/api/experiments?limit=100", i -> "/api/experiments?limit=100");
                mixes.put("/api/experiments?limit=100&sort=latency_p95_ms", i -> "/api/experiments?limit=100&sort=latency_p95_ms");
                mixes.put("/api/experiments?limit=100&offset=<each request another>",
                        i -> "/api/experiments?limit=100&offset=" + (i * 7919L % pages));
                mixes.put("/api/experiments?limit=100&sort=latency_p95_ms&offset=<each request another>",
                        i -> "/api/experiments?limit=100&sort=latency_p95_ms&offset=" + (i * 7919L % pages));
                mixes.put("/api/experiments?limit=100&scenario=bench-2&status=completed&offset=<each request another>",
                        i -> "/api/experiments?limit=100&scenario=bench-2&status=completed&offset=" + (i * 7919L % (pages / 4)));
                // what a client paging the list sends: a different page each request, continued from the cursor
                // of the previous page (walked once here, so the requests spread over the whole history)
                for (String sort : List.of("", "&sort=latency_p95_ms")) {
                    List<String> cursors = cursors(http, base, "/api/experiments?limit=100" + sort);
                    mixes.put("/api/experiments?limit=100" + sort + "&after=<each request another page's cursor>",
                            i -> "/api/experiments?limit=100" + sort + "&after=" + cursors.get(i % cursors.size()));
                }
                // warm-up for the JIT and the connections, over every mix and with other offsets than measured
                for (IntFunction<String> mix : mixes.values()) {
                    load(http, base, i -> mix.apply(i + requests), clients, 1000);
                }
                for (Map.Entry<String, IntFunction<String>> mix : mixes.entrySet()) {
                    Figures f = load(http, base, mix.getValue(), clients, requests);
                    all.add(new Figures(mix.getKey(), requests, clients, f.p50(), f.p95(), f.p99(), f.max(), f.perSecond(),
                            f.serverCpu(), f.clientCpu()));
                }
                out.println();
                out.println("load average before the run (1, 5, 15 min): " + idleLoad + "; after: " + loadAverage()
                        + " (the benchmark's own client and server threads count in it)");
                out.printf("| request (%d experiments) | clients | requests | p50 ms | p95 ms | p99 ms | max ms | req/s "
                        + "| server CPU ms/req | client CPU ms/req |%n", experiments);
                out.println("|---|---|---|---|---|---|---|---|---|---|");
                for (Figures f : all) {
                    out.printf("| `GET %s` | %d | %d | %.1f | %.1f | %.1f | %.1f | %.0f | %.2f | %.2f |%n", f.request(),
                            f.clients(), f.requests(), f.p50(), f.p95(), f.p99(), f.max(), f.perSecond(), f.serverCpu(),
                            f.clientCpu());
                }
                out.println("(CPU per request: the threads of the server and of this benchmark's clients, which run in "
                        + "the same JVM on the same cores; garbage collection and the JIT are in neither)");
                out.println();
                firstPaint(base);
            } finally {
                server.close();
            }
        }
    }

    /** The {@code next} cursor of every page of {@code path}, first to last. */
    private static List<String> cursors(HttpClient http, String base, String path) throws Exception {
        List<String> out = new ArrayList<>();
        String after = null;
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        do {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path
                    + (after == null ? "" : "&after=" + after))).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException(path + " -> " + r.statusCode() + ": " + r.body());
            }
            com.fasterxml.jackson.databind.JsonNode next = json.readTree(r.body()).get("next");
            after = next == null || next.isNull() ? null : next.asText();
            if (after != null) {
                out.add(after);
            }
        } while (after != null);
        if (out.isEmpty()) {
            throw new IOException(path + ": a single page, nothing to page through");
        }
        return out;
    }

    private Figures load(HttpClient http, String base, IntFunction<String> path, int clients, int requests)
            throws Exception {
        long[] nanos = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients,
                r -> new Thread(r, CLIENT_THREAD + threads.incrementAndGet()));
        Map<Long, Long> cpu0 = cpu();
        long[] spent;
        long start = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < requests) {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path.apply(i)))
                                .timeout(Duration.ofSeconds(30)).GET().build();
                        long t = System.nanoTime();
                        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        nanos[i] = System.nanoTime() - t;
                        if (r.statusCode() != 200) {
                            throw new IOException(request.uri() + " -> " + r.statusCode());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
            // before the pool's threads end
            spent = spentSince(cpu0);
        } finally {
            pool.shutdownNow();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Figures(path.apply(0), requests, clients, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                sorted[sorted.length - 1] / 1e6, requests / wall, spent[0] / 1e6 / requests,
                spent[1] / 1e6 / requests);
    }

    /** The CPU time so far of each live thread, in nanoseconds, by thread id. */
    private static Map<Long, Long> cpu() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long nanos = threads.getThreadCpuTime(id);
            if (nanos >= 0) {
                out.put(id, nanos);
            }
        }
        return out;
    }

    /**
     * The CPU time the server's threads and the client's spent since {@code before}, in nanoseconds. A thread that
     * ended in between is left out (the server's pool keeps its threads while busy, the client's are read before
     * they end), so these are lower bounds.
     */
    private static long[] spentSince(Map<Long, Long> before) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] out = new long[2];
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            long nanos = t == null ? -1 : threads.getThreadCpuTime(t.getThreadId());
            if (nanos >= 0) {
                String name = t.getThreadName();
                boolean client = name.startsWith(CLIENT_THREAD) || name.startsWith("HttpClient-");
                out[client ? 1 : 0] += nanos - before.getOrDefault(t.getThreadId(), 0L);
            }
        }
        return out;
    }

    /** Other work on the machine skews the figures; the report says how busy it was. */
    static String loadAverage() {
        try {
            String[] parts = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + ", " + parts[1] + ", " + parts[2] + " on " + Runtime.getRuntime().availableProcessors()
                    + " cores";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double pct(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    /** The history page in headless Chromium: time from navigation start to the table's first paint. */
    private void firstPaint(String base) {
        var chromium = HeadlessChromium.find();
        if (chromium.isEmpty()) {
            out.println("first table paint: skipped (no chromium on PATH)");
            return;
        }
        try (HeadlessChromium browser = HeadlessChromium.start(chromium.get())) {
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                times.add(browser.historyPaintMillis(base + "/#/history", Duration.ofSeconds(20)));
            }
            double cold = times.get(0);
            List<Double> warm = new ArrayList<>(times.subList(1, times.size()));
            warm.sort(Double::compare);
            out.printf("first table paint of the history page (%s): first load %.0f ms; reloads median %.0f ms, "
                    + "max %.0f ms (all: %s)%n", chromium.get().getFileName(), cold, warm.get(warm.size() / 2),
                    warm.get(warm.size() - 1), times.stream().map(t -> String.format("%.0f", t)).toList());
        } catch (Exception e) {
            out.println("first table paint: failed (" + e.getMessage() + ")");
        }
    }
}
