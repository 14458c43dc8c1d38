package dev.autotune.projections;

import dev.autotune.store.testing.TestStores;
import dev.autotune.domain.ExperimentApi.AddNote;
import dev.autotune.domain.ExperimentApi.AmendExperiment;
import dev.autotune.domain.ExperimentApi.ExcludeExperiment;
import dev.autotune.domain.ExperimentApi.IncludeExperiment;
import dev.autotune.domain.ExperimentApi.IngestReport;
import dev.autotune.domain.ExperimentApi.TagExperiment;
import dev.autotune.domain.analysis.Measured;
import dev.autotune.domain.analysis.TuningPoint;
import dev.autotune.domain.query.ExperimentDetail;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.domain.query.ListColumn;
import dev.autotune.domain.query.ListQuery;
import dev.autotune.domain.query.ListSort;
import dev.autotune.store.AxonStore;
import dev.autotune.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What every read model makes of the corrections: excluded rows left out unless asked, amended values everywhere. */
class CorrectionsProjectionTest {
    @TempDir
    Path dir;

    @Test
    void excludedExperimentsLeaveEveryViewUnlessAskedAndAmendedValuesAreWhatViewsShow() {
        try (Database db = TestStores.open(dir, "c.db")) {
            Projections views = Projections.of(db);
            try (AxonStore store = AxonStore.start(db, views.all())) {
                var gw = store.commands();
                IngestReport good = Fixtures.ingest("chat", Map.of("serving.batch_size", 4),
                        Map.of("latency_ms", 100.0, "throughput_tokens_per_sec", 300.0));
                IngestReport stray = Fixtures.ingest("chat", Map.of("serving.batch_size", 8),
                        Map.of("latency_ms", 1.0, "throughput_tokens_per_sec", 9000.0));
                gw.sendAndWait(good);
                gw.sendAndWait(stray);
                gw.sendAndWait(new ExcludeExperiment(stray.experimentId(), "wrong model"));
                gw.sendAndWait(new TagExperiment(good.experimentId(), Map.of("gpu", "H100")));
                gw.sendAndWait(new AddNote(good.experimentId(), "rerun after driver update"));
                gw.sendAndWait(new AmendExperiment(good.experimentId(), "chat-h100", "sglang",
                        Map.of("serving.batch_size", 6L)));
                store.awaitProjections(Duration.ofSeconds(10));

                assertThat(views.list().list(ListFilter.ALL, 0)).extracting(ExperimentSummary::number).containsExactly(1);
                List<ExperimentSummary> all = views.list().list(new ListFilter(null, null, null, true), 0);
                assertThat(all).extracting(ExperimentSummary::excludedReason).containsExactly(null, "wrong model");
                assertThat(views.list().query().page(new ListQuery(ListFilter.ALL, null,
                        new ListSort(ListColumn.metric("latency_ms"), false), 10, 0, null)).rows())
                        .extracting(r -> r.number()).containsExactly(1);
                assertThat(views.list().lines(ListFilter.ALL, List.of("latency_ms"), 0)).singleElement()
                        .satisfies(l -> assertThat(l.tags()).containsEntry("gpu", "H100"));
                assertThat(views.budget().completed(null)).extracting(Measured::number).containsExactly(1);
                assertThat(views.budget().completed("chat-h100", true)).extracting(Measured::number).containsExactly(1);
                assertThat(views.budget().completed("chat", true)).extracting(Measured::number).containsExactly(2);
                List<TuningPoint> points = views.recommendation().completed("chat-h100");
                assertThat(points).singleElement().satisfies(p -> assertThat(p.knobs()).containsEntry("serving.batch_size", 6));
                assertThat(views.recommendation().completed("chat")).isEmpty();

                ExperimentSummary row = all.get(0);
                assertThat(row.scenario()).isEqualTo("chat-h100");
                assertThat(row.backend()).isEqualTo("sglang");
                assertThat(row.knobs()).containsEntry("serving.batch_size", 6);
                assertThat(row.tags()).containsExactlyEntriesOf(Map.of("gpu", "H100"));

                ExperimentDetail detail = views.detail().find("1").orElseThrow();
                assertThat(detail.scenario()).isEqualTo("chat-h100");
                assertThat(detail.config()).containsEntry("serving.batch_size", 6);
                assertThat(detail.notesAdded()).extracting(ExperimentDetail.TimelineEntry::detail)
                        .containsExactly("rerun after driver update");
                assertThat(detail.timeline()).extracting(ExperimentDetail.TimelineEntry::detail)
                        .contains("gpu=H100", "scenario chat -> chat-h100, backend vllm -> sglang, serving.batch_size 4 -> 6");
                assertThat(views.detail().find("2").orElseThrow().excludedReason()).isEqualTo("wrong model");

                gw.sendAndWait(new IncludeExperiment(stray.experimentId()));
                store.awaitProjections(Duration.ofSeconds(10));
                assertThat(views.list().list(ListFilter.ALL, 0)).hasSize(2);
                assertThat(views.budget().completed("chat")).extracting(Measured::number).containsExactly(2);
            }
        }
    }
}
