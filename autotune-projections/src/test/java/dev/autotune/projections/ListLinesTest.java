package dev.autotune.projections;

import dev.autotune.domain.ExperimentApi.FailExperiment;
import dev.autotune.domain.ExperimentApi.TagExperiment;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.store.AxonStore;
import dev.autotune.store.Database;
import dev.autotune.store.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The terminal table's query: the same facts as the full list, trimmed to the columns a table shows. */
class ListLinesTest {
    private static final List<String> HEADLINE = List.of("latency_ms", "ttft_ms", "throughput_tokens_per_sec");

    @TempDir
    Path dir;

    @Test
    void linesCarryTheRequestedMetricsInOrderAndNullWhereOneWasNotMeasured() {
        try (Database db = TestStores.open(dir, "a.db")) {
            Projections views = record(db);
            var lines = views.list().lines(ListFilter.ALL, HEADLINE, 0);
            assertThat(lines).extracting(ExperimentSummary::number).containsExactly(1, 2, 3, 4);
            assertThat(headline(lines.get(0))).containsExactly(90.0, 0.0, 120.0);
            assertThat(headline(lines.get(1))).containsExactly(160.0, null, 330.0);
            assertThat(headline(lines.get(3))).containsExactly(null, null, null);
            assertThat(lines.get(3).status()).isEqualTo(ExperimentStatus.FAILED);
            assertThat(lines.get(3).failureCategory()).isEqualTo("timeout");
            assertThat(lines.get(1).knobs()).containsEntry("serving.batch_size", 4).containsEntry("model", "llama");
        }
    }

    @Test
    void linesAgreeWithTheFullListRowByRowAndHonourTheFilter() {
        try (Database db = TestStores.open(dir, "b.db")) {
            Projections views = record(db);
            var filter = new ListFilter("chat", null, null);
            var full = views.list().list(filter, 0);
            var lines = views.list().lines(filter, HEADLINE, 0);
            assertThat(lines).hasSameSizeAs(full).hasSize(3);
            for (int i = 0; i < full.size(); i++) {
                ExperimentSummary s = full.get(i);
                ExperimentSummary l = lines.get(i);
                assertThat(List.of(l.number(), l.status(), l.scenario(), l.startedAt(), l.knobs()))
                        .containsExactly(s.number(), s.status(), s.scenario(), s.startedAt(), s.knobs());
                assertThat(headline(l)).containsExactlyElementsOf(headline(s));
            }
        }
    }

    @Test
    void rowsWithEqualKnobsShareOneParsedMap() {
        try (Database db = TestStores.open(dir, "c.db")) {
            var lines = record(db).list().lines(ListFilter.ALL, List.of(), 0);
            assertThat(lines.get(2).knobs()).isSameAs(lines.get(0).knobs());
            assertThat(lines.get(1).knobs()).isNotSameAs(lines.get(0).knobs());
            assertThat(lines).allSatisfy(l -> assertThat(l.metrics()).isEmpty());
        }
    }

    @Test
    void eachLineHasItsOwnTagsAndLinesTaggedAlikeShareOneUnmodifiableMap() {
        try (Database db = TestStores.open(dir, "f.db")) {
            Projections views = Fixtures.views(db);
            try (AxonStore store = Fixtures.start(db, views)) {
                List<String> ids = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    var ingest = Fixtures.ingest("chat", Map.of("serving.batch_size", 1), Map.of("latency_ms", 90.0 + i));
                    store.commands().sendAndWait(ingest);
                    ids.add(ingest.experimentId());
                }
                store.commands().sendAndWait(new TagExperiment(ids.get(0), Map.of("gpu", "H100")));
                store.commands().sendAndWait(new TagExperiment(ids.get(1), Map.of("gpu", "A100")));
                store.commands().sendAndWait(new TagExperiment(ids.get(2), Map.of("gpu", "H100")));
                store.awaitProjections(Duration.ofSeconds(10));
            }
            var lines = views.list().lines(ListFilter.ALL, HEADLINE, 0);
            assertThat(lines.stream().map(l -> Map.copyOf(l.tags())).toList()).containsExactly(Map.of("gpu", "H100"),
                    Map.of("gpu", "A100"), Map.of("gpu", "H100"), Map.of());
            assertThat(lines.get(2).tags()).isSameAs(lines.get(0).tags());
            assertThat(lines.get(1).tags()).isNotSameAs(lines.get(0).tags());
            // shared between rows, so no caller may change one row's tags through it
            assertThatThrownBy(() -> lines.get(0).tags().put("gpu", "L4"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void aListReadInTwoHalvesIsTheOneQuerysRowsInItsOrder() {
        try (Database db = TestStores.open(dir, "g.db")) {
            ExperimentList list = record(db).list();
            var whole = list.lines(ListFilter.ALL, HEADLINE, 0);
            assertThat(whole).hasSize(4);
            // from 2 rows on a list is split at its middle row; 5 rows is more than it has, so one query
            for (int splitRows : new int[]{2, 3, 4, 5}) {
                assertThat(list.lines(ListFilter.ALL, HEADLINE, 0, splitRows)).isEqualTo(whole);
            }
            var chat = new ListFilter("chat", null, null);
            assertThat(list.lines(chat, HEADLINE, 0, 2)).isEqualTo(list.lines(chat, HEADLINE, 0))
                    .extracting(ExperimentSummary::number).containsExactly(1, 2, 3);
            // --last reads the newest few in one query, split or not
            assertThat(list.lines(ListFilter.ALL, HEADLINE, 2, 2)).extracting(ExperimentSummary::number)
                    .containsExactly(3, 4);
        }
    }

    @Test
    void theNewestFewCanBeAskedForAndStillReadOldestFirst() {
        try (Database db = TestStores.open(dir, "e.db")) {
            ExperimentList list = record(db).list();
            assertThat(list.lines(ListFilter.ALL, HEADLINE, 2)).extracting(ExperimentSummary::number)
                    .containsExactly(3, 4);
            assertThat(list.list(ListFilter.ALL, 2)).extracting(ExperimentSummary::number)
                    .containsExactly(3, 4);
            var chat = new ListFilter("chat", null, null);
            assertThat(list.lines(chat, HEADLINE, 2)).extracting(ExperimentSummary::number).containsExactly(2, 3);
            assertThat(list.lines(chat, HEADLINE, 50)).extracting(ExperimentSummary::number).containsExactly(1, 2, 3);
        }
    }

    @Test
    void textOutsideAsciiReadsBackUnchanged() {
        try (Database db = TestStores.open(dir, "d.db")) {
            Projections views = Fixtures.views(db);
            try (AxonStore store = Fixtures.start(db, views)) {
                store.commands().sendAndWait(Fixtures.ingest("чат-äöü-推理-🚀", Map.of("model", "Llama-3.1 «8B»"),
                        Map.of("latency_ms", 1.5)));
                store.awaitProjections(Duration.ofSeconds(10));
            }
            var line = views.list().lines(ListFilter.ALL, List.of("latency_ms"), 0).get(0);
            assertThat(line.scenario()).isEqualTo("чат-äöü-推理-🚀");
            assertThat(line.knobs()).containsEntry("model", "Llama-3.1 «8B»");
        }
    }

    /** The requested metrics of a line in the requested order, null where it has none. */
    private static List<Double> headline(ExperimentSummary line) {
        return HEADLINE.stream().map(line::metric).toList();
    }

    private static Projections record(Database db) {
        Projections views = Fixtures.views(db);
        try (AxonStore store = Fixtures.start(db, views)) {
            store.commands().sendAndWait(Fixtures.ingest("chat", Map.of("serving.batch_size", 1, "model", "llama"),
                    Map.of("latency_ms", 90.0, "ttft_ms", 0.0, "throughput_tokens_per_sec", 120.0)));
            store.commands().sendAndWait(Fixtures.ingest("chat", Map.of("serving.batch_size", 4, "model", "llama"),
                    Map.of("latency_ms", 160.0, "throughput_tokens_per_sec", 330.0)));
            store.commands().sendAndWait(Fixtures.ingest("chat", Map.of("serving.batch_size", 1, "model", "llama"),
                    Map.of("latency_ms", 95.0)));
            var started = Fixtures.start("exp-timeout", "batch", Map.of("serving.batch_size", 8));
            store.commands().sendAndWait(started);
            store.commands().sendAndWait(new FailExperiment("exp-timeout", FailureCategory.TIMEOUT, "took too long", 124, null));
            store.awaitProjections(Duration.ofSeconds(10));
        }
        return views;
    }
}
