package dev.autotune.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.store.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/events: Server-Sent Events for every event appended, including by other processes. */
class EventsApiTest {
    @TempDir
    Path dir;
    TestServer api;
    InputStream stream;

    @AfterEach
    void stop() throws Exception {
        if (stream != null) {
            stream.close();
        }
        api.close();
    }

    /** One SSE message: the event name, the id line, and the JSON data. */
    record Sse(String event, String id, JsonNode data) {
    }

    BlockingQueue<Sse> subscribe(String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + "/api/events"))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = api.http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        stream = response.body();
        BlockingQueue<Sse> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> read(stream, queue), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return queue;
    }

    private static void read(InputStream in, BlockingQueue<Sse> queue) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String event = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        queue.add(new Sse(event, id, Json.mapper().readTree(data.toString())));
                    }
                    event = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        } catch (Exception e) {
            // the test closed the stream
        }
    }

    static Sse next(BlockingQueue<Sse> queue) throws InterruptedException {
        Sse sse = queue.poll(10, TimeUnit.SECONDS);
        assertThat(sse).as("an SSE message within 10 s").isNotNull();
        return sse;
    }

    @Test
    void anIngestByAnotherProcessArrivesAsEventsWithTheExperimentNumber() throws Exception {
        api = TestServer.start(dir).withDemo();
        BlockingQueue<Sse> events = subscribe(null);
        Sse ready = next(events);
        assertThat(ready.event()).isEqualTo("ready");
        // the feed polls every 200 ms: it may still be sending the demo's own events
        long seen = ready.data().get("index").asLong();
        while (seen < 12) {
            seen = next(events).data().get("index").asLong();
        }

        // the server only sees another process's events through the log
        TestServer.ingestInAnotherProcess(api.db, "batch-4-aiperf.json", 6);
        List<String> types = new ArrayList<>();
        Sse last = null;
        while (types.size() < 4) {
            last = next(events);
            assertThat(last.event()).isEqualTo("message");
            types.add(last.data().get("type").asText());
            assertThat(last.data().get("id").asInt()).isEqualTo(4);
            assertThat(last.id()).isEqualTo(last.data().get("index").asText());
        }
        assertThat(types).containsExactly("ExperimentStarted", "ReportParsed", "MetricsRecorded", "ExperimentCompleted");
        assertThat(last.data().get("index").asLong()).isEqualTo(16);
        assertThat(last.data().get("at").asText()).isNotBlank();
        // sent once the read models include it, so the list already shows the experiment
        assertThat(api.json("/api/experiments/4").get("status").asText()).isEqualTo("completed");
    }

    @Test
    void anUploadThroughTheApiIsStreamedToo() throws Exception {
        api = TestServer.start(dir);
        BlockingQueue<Sse> events = subscribe(null);
        assertThat(next(events).event()).isEqualTo("ready");
        api.post(new TestServer.Multipart().file("report", TestServer.example("batch-1-vllm-bench.json")), null);
        assertThat(next(events).data().get("type").asText()).isEqualTo("ExperimentStarted");
    }

    @Test
    void aReconnectingClientGetsWhatItMissedAfterLastEventId() throws Exception {
        api = TestServer.start(dir).withDemo();
        BlockingQueue<Sse> events = subscribe("10");
        assertThat(next(events).event()).isEqualTo("ready");
        assertThat(next(events).id()).isEqualTo("11");
        assertThat(next(events).id()).isEqualTo("12");
        assertThat(events.poll(500, TimeUnit.MILLISECONDS)).isNull();
    }

}
