package dev.autotune.api.http;

import dev.autotune.api.app.StoreFixture;
import dev.autotune.api.app.recording.Recording;
import dev.autotune.api.app.runs.Runs;
import dev.autotune.store.testing.TestStores;
import dev.autotune.api.app.common.StoreLocation;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.render.ExperimentJson;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.query.JsonPage;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.domain.query.ListPage;
import dev.autotune.domain.query.ListQuery;
import dev.autotune.domain.query.ListSort;
import dev.autotune.domain.query.StoredSummary;
import dev.autotune.projections.ExperimentList;
import dev.autotune.store.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The list's pass-through writer gives exactly the bytes of the CLI's --json shape for the same row, and a page the
 * API joins from the summary JSON the projection stored is byte for byte the page written from the list rows.
 */
class ListJsonTest {
    @TempDir
    Path dir;

    @Test
    void storedRowsWriteTheSameJsonAsTheSummaryMap() throws Exception {
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "a.db")))) {
            record(autotune);
            List<StoredSummary> rows = autotune.history().page(ListFilter.ALL,
                    ListSort.NEWEST_FIRST, 10, 0, false).rows();
            assertThat(rows).hasSize(3);
            for (StoredSummary row : rows) {
                StringWriter fast = new StringWriter();
                try (JsonGenerator out = Json.mapper().getFactory().createGenerator(fast)) {
                    ExperimentJson.writeSummary(out, row);
                }
                assertThat(fast.toString()).isEqualTo(Json.write(ExperimentJson.summary(ExperimentList.summary(row))));
            }
        }
    }

    /**
     * Each order the engine answers differently (newest first, a field, a metric, a knob in memory, a cursor), with
     * and without facets, after corrections rewrote rows (the update path), and again with the stored JSON gone, as
     * a store migrated to V13 has it until its rows are written again.
     */
    @Test
    void aPageJoinedFromStoredJsonIsThePageWrittenFromTheRows() throws Exception {
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "p.db")))) {
            record(autotune);
            autotune.corrections().tag("1", List.of("gpu=H100"));
            autotune.corrections().amend("2", "chat-h100", null, List.of("serving.batch_size=16"));
            autotune.corrections().exclude("3", "wrong model");
            autotune.catchUp();
            assertSamePages(autotune);
            try (var c = StoreFixture.db(autotune).dataSource().getConnection(); Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("DELETE FROM experiment_list_page")).isEqualTo(3);
            }
            assertSamePages(autotune);

            // the count of a filter is kept for the position it was made at: one more experiment, a new count
            ListFilter included = ListFilter.ALL;
            assertThat(autotune.history().page(included, null, null, null, 1, 0, null, false).total()).isEqualTo(2);
            TestServer.ingest(autotune, "batch-4-aiperf.json", 4);
            assertThat(autotune.history().page(included, null, null, null, 1, 0, null, false).total()).isEqualTo(3);
        }
    }

    private static void assertSamePages(Autotune autotune) throws Exception {
        ListFilter all = new ListFilter(null, null, null, true);
        for (String sort : new String[]{null, "status", "latency_p95_ms", "serving.batch_size"}) {
            for (boolean facets : new boolean[]{false, true}) {
                String after = null;
                List<String> pages = new ArrayList<>();
                do {
                    JsonPage joined = autotune.history().page(all, null, sort, null, 2, 0, after, facets);
                    ListSort by = joined.sort();
                    ListPage rows = autotune.history().page(new ListQuery(all, null, by, 2, 0,
                            after == null ? null : dev.autotune.domain.query.ListCursor.decode(after, by)), facets);
                    String page = new String(ExperimentJson.page(joined, 2, 0), StandardCharsets.UTF_8);
                    assertThat(page).as("sort %s, after %s", sort, after).isEqualTo(written(rows, 2, 0));
                    pages.add(page);
                    after = joined.next();
                } while (after != null);
                assertThat(pages).as("sort %s", sort).hasSize(2);
            }
        }
    }

    /** The page as the API wrote it before V13: each row from its list columns, then the paging fields. */
    private static String written(ListPage page, int limit, int offset) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = Json.mapper().getFactory().createGenerator(bytes)) {
            out.writeStartObject();
            out.writeArrayFieldStart("experiments");
            for (StoredSummary row : page.rows()) {
                ExperimentJson.writeSummary(out, row);
            }
            out.writeEndArray();
            if (page.facets() != null) {
                out.writeObjectField("facets", page.facets());
            }
            out.writeNumberField("limit", limit);
            out.writeNumberField("offset", offset);
            out.writeStringField("next", page.next());
            out.writeStringField("order", page.sort().descending() ? "desc" : "asc");
            out.writeStringField("sort", page.sort().key());
            out.writeNumberField("total", page.total());
            out.writeEndObject();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Two reports (one with quotes, a newline and non-ASCII in its values) and a run still going. */
    private static void record(Autotune autotune) {
        TestServer.ingest(autotune, "batch-1-vllm-bench.json", 1);
        autotune.recording().ingest(new Recording.IngestRequest(TestServer.example("batch-8-genai-perf.csv"), null, "chat \"quoted\"",
                null, Map.of("serving.batch_size", 8L, "serving.ratio", 0.25, "flag", true, "list", List.of(1L, 2L),
                "name", "ünïcode"), null, null, "notes\nwith a newline", Map.of(), false));
        String id = UUID.randomUUID().toString();
        StoreFixture.send(autotune, new StartExperiment(id, "run", null, Map.of(), null, null, null, Map.of(),
                ExperimentApi.Source.RUN, id, Runs.currentProcess()));
        autotune.catchUp();
    }
}
