package dev.autotune.api.http;

import dev.autotune.api.app.recording.Recording;
import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.api.app.Autotune;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cursor paging of GET /api/experiments ({@code after=} the {@code next} of the previous page) while experiments are
 * recorded between the requests: no row twice, none of those there at the start missing, in the order of the first
 * full listing. Each order the engine answers differently is walked: newest first, a metric that some rows lack
 * (across the boundary into the rows without it), a knob (sorted in memory) and a {@code where} filter.
 */
class ListCursorApiTest {
    private static final String[] REPORTS = {"batch-1-vllm-bench.json", "batch-4-aiperf.json", "batch-8-genai-perf.csv"};

    @TempDir
    static Path dir;
    static TestServer api;
    static int recorded;

    @BeforeAll
    static void start() {
        api = TestServer.start(dir).withDemo();
        for (int i = 0; i < 9; i++) {
            record();
        }
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** One more experiment: the three example reports in turn, each with its own batch size. */
    static void record() {
        int n = recorded++;
        api.autotune.recording().ingest(new Recording.IngestRequest(TestServer.example(REPORTS[n % REPORTS.length]), null, "chat",
                "vllm", Map.of("serving.batch_size", (long) (100 + n)), null, null, null, Map.of(), true));
    }

    static List<Integer> ids(JsonNode page) {
        List<Integer> ids = new ArrayList<>();
        page.get("experiments").forEach(e -> ids.add(e.get("id").asInt()));
        return ids;
    }

    /** Every page of {@code query}, 4 rows each, with an experiment recorded after each page. */
    static List<Integer> walkWhileRecording(String query) {
        List<Integer> seen = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 50; pages++) {
            JsonNode page = api.json("/api/experiments?limit=4&" + query
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)));
            seen.addAll(ids(page));
            record();
            if (page.get("next").isNull()) {
                return seen;
            }
            after = page.get("next").asText();
        }
        throw new AssertionError("more than 50 pages of " + query + ": " + seen);
    }

    static void assertWalkIsComplete(String query) {
        List<Integer> before = ids(api.json("/api/experiments?limit=1000&" + query));
        assertThat(before).hasSizeGreaterThan(4);
        List<Integer> walked = walkWhileRecording(query);
        assertThat(walked).as(query).doesNotHaveDuplicates().containsAll(before);
        assertThat(walked.stream().filter(before::contains).toList()).as(query).containsExactlyElementsOf(before);
    }

    @Test
    void newestFirstPagesNeitherRepeatNorSkipWhileExperimentsAreRecorded() {
        assertWalkIsComplete("sort=id&order=desc");
    }

    @Test
    void aMetricSortPagesIntoTheRowsWithoutTheMetricInBothOrders() {
        assertWalkIsComplete("sort=latency_p95_ms&order=asc");
        assertWalkIsComplete("sort=latency_p95_ms&order=desc");
    }

    @Test
    void knobSortsAndFiltersArePagedTheSameWay() {
        assertWalkIsComplete("sort=batch_size&order=desc");
        assertWalkIsComplete("where=" + URLEncoder.encode("metric.latency_ms > 0", StandardCharsets.UTF_8)
                + "&sort=latency_ms");
    }

    /**
     * The seek reads the cursor row's value in the same statement as the page: a cursor whose row has since been
     * excluded (it leaves the default list) still starts the next page right after where that row stands.
     */
    @Test
    void aCursorOnARowExcludedSinceContinuesAfterIt() {
        String first = "/api/experiments?limit=3&sort=latency_p95_ms&order=asc";
        JsonNode page = api.json(first);
        List<Integer> firstIds = ids(page);
        String next = URLEncoder.encode(page.get("next").asText(), StandardCharsets.UTF_8);
        List<Integer> secondBefore = ids(api.json(first + "&after=" + next));
        assertThat(secondBefore).isNotEmpty();
        String cursorRow = String.valueOf(firstIds.get(firstIds.size() - 1));
        api.autotune.corrections().exclude(cursorRow, "cursor test");
        try {
            assertThat(ids(api.json(first))).doesNotContain(firstIds.get(firstIds.size() - 1));
            assertThat(ids(api.json(first + "&after=" + next))).isEqualTo(secondBefore);
        } finally {
            api.autotune.corrections().include(cursorRow);
        }
    }

    @Test
    void theLastPageHasNoNextAndACursorOfAnotherOrderIsA400OnAfter() {
        JsonNode all = api.json("/api/experiments?limit=1000");
        assertThat(all.get("next").isNull()).isTrue();
        String next = api.json("/api/experiments?limit=2&sort=latency_ms").get("next").asText();
        api.assertError("/api/experiments?limit=2&sort=ttft_ms&after=" + next, 400, "after");
        api.assertError("/api/experiments?limit=2&after=not-a-cursor", 400, "after");
    }
}
