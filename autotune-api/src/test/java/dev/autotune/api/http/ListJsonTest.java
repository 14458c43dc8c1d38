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
import dev.autotune.domain.query.ListFilter;
import dev.autotune.domain.query.ListSort;
import dev.autotune.domain.query.StoredSummary;
import dev.autotune.projections.ExperimentList;
import dev.autotune.projections.ListProjection;
import dev.autotune.store.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The list's pass-through writer gives exactly the bytes of the CLI's --json shape for the same row. */
class ListJsonTest {
    @TempDir
    Path dir;

    @Test
    void storedRowsWriteTheSameJsonAsTheSummaryMap() throws Exception {
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "a.db")))) {
            TestServer.ingest(autotune, "batch-1-vllm-bench.json", 1);
            autotune.recording().ingest(new Recording.IngestRequest(TestServer.example("batch-8-genai-perf.csv"), null, "chat \"quoted\"",
                    null, Map.of("serving.batch_size", 8L, "serving.ratio", 0.25, "flag", true, "list", List.of(1L, 2L),
                    "name", "ünïcode"), null, null, "notes\nwith a newline", Map.of(), false));
            String id = UUID.randomUUID().toString();
            StoreFixture.send(autotune, new StartExperiment(id, "run", null, Map.of(), null, null, null, Map.of(),
                    ExperimentApi.Source.RUN, id, Runs.currentProcess()));
            autotune.catchUp();
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
}
