package dev.autotune.projections;

import dev.autotune.domain.ExperimentApi.CompleteExperiment;
import dev.autotune.domain.ExperimentApi.FailExperiment;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.query.ExperimentDetail;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.store.AxonStore;
import dev.autotune.store.Database;
import dev.autotune.store.testing.TestStores;
import dev.autotune.store.DatabaseUrl;
import dev.autotune.store.StoreException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventStoreTest {
    @TempDir
    Path dir;

    @Test
    void anIngestedReportIsStoredAsEventsAndProjectedWithShortNumbers() {
        try (Database db = TestStores.open(dir, "a.db")) {
            Projections views = Fixtures.views(db);
            try (AxonStore store = Fixtures.start(db, views)) {
                store.commands().sendAndWait(Fixtures.ingest("chat", Map.of("serving.batch_size", 1),
                        Map.of("latency_ms", 90.0, "throughput_tokens_per_sec", 120.0)));
                store.commands().sendAndWait(Fixtures.ingest("chat", Map.of("serving.batch_size", 4),
                        Map.of("latency_ms", 160.0, "throughput_tokens_per_sec", 330.0)));
                store.awaitProjections(Duration.ofSeconds(10));
            }
            var rows = views.list().list(ListFilter.ALL, 0);
            assertThat(rows).extracting(ExperimentSummary::number).containsExactly(1, 2);
            assertThat(rows).allSatisfy(r -> assertThat(r.status()).isEqualTo(ExperimentStatus.COMPLETED));
            assertThat(rows.get(1).metric("latency_ms")).isEqualTo(160.0);
            assertThat(rows.get(1).knobs()).containsEntry("serving.batch_size", 4);
            var detail = views.detail().find("2").orElseThrow();
            assertThat(detail.timeline()).extracting(ExperimentDetail.TimelineEntry::event)
                    .containsExactly("ExperimentStarted", "ReportParsed", "MetricsRecorded", "ExperimentCompleted");
            assertThat(db.head()).isEqualTo(8);
            assertThat(db.projectionsCurrent()).isTrue();
        }
    }

    @Test
    void aFinishedExperimentRefusesFurtherFacts() {
        try (Database db = TestStores.open(dir, "b.db")) {
            Projections views = Fixtures.views(db);
            try (AxonStore store = Fixtures.start(db, views)) {
                var cmd = Fixtures.ingest("chat", Map.of(), Map.of("latency_ms", 1.0));
                store.commands().sendAndWait(cmd);
                assertThatThrownBy(() -> store.commands().sendAndWait(new CompleteExperiment(cmd.experimentId())))
                        .hasMessageContaining("it is completed");
                assertThatThrownBy(() -> store.commands().sendAndWait(
                        new FailExperiment(cmd.experimentId(), FailureCategory.JOB_FAILED, "x", 1, null)))
                        .hasMessageContaining("it is completed");
                assertThatThrownBy(() -> store.commands().sendAndWait(cmd))
                        .isInstanceOf(AggregateStreamCreationException.class);
            }
        }
    }

    @Test
    void storedEventsCannotBeUpdatedOrDeleted() throws Exception {
        try (Database db = TestStores.open(dir, "c.db")) {
            try (AxonStore store = Fixtures.start(db, Fixtures.views(db))) {
                store.commands().sendAndWait(Fixtures.ingest("chat", Map.of(), Map.of("latency_ms", 1.0)));
            }
            try (var c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeUpdate("UPDATE DomainEventEntry SET payload = '{}'"))
                        .hasMessageContaining("events are immutable");
                assertThatThrownBy(() -> st.executeUpdate("DELETE FROM DomainEventEntry"))
                        .hasMessageContaining("events are immutable");
                if (db.isPostgres()) {
                    // TRUNCATE skips row triggers; a statement trigger refuses it
                    assertThatThrownBy(() -> st.executeUpdate("TRUNCATE DomainEventEntry"))
                            .hasMessageContaining("events are immutable");
                }
            }
        }
    }

    @Test
    void aDatabaseFromANewerAutotuneIsRefusedClearly() throws Exception {
        DatabaseUrl url = TestStores.url(dir, "new.db");
        try (Database db = Database.open(url); var c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
                    + "checksum, installed_by, installed_on, execution_time, success) VALUES (99, '"
                    + (Database.SCHEMA_VERSION + 1) + "', 'future', 'SQL', 'V99__future.sql', 0, 'x', '2026-01-01', 1, "
                    + (db.isPostgres() ? "true" : "1") + ")");
        }
        assertThatThrownBy(() -> Database.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("newer than this autotune understands");
    }

    @Test
    void theSchemaVersionConstantMatchesTheNewestMigration() throws Exception {
        var roots = new String[]{"db/migration/common", "db/migration/sqlite", "db/migration/postgresql"};
        int max = 0;
        for (String root : roots) {
            var url = getClass().getClassLoader().getResource(root);
            try (var files = java.nio.file.Files.list(Path.of(url.toURI()))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    var m = java.util.regex.Pattern.compile("V(\\d+)__.*\\.sql").matcher(f.getFileName().toString());
                    if (m.matches()) {
                        max = Math.max(max, Integer.parseInt(m.group(1)));
                    }
                }
            }
        }
        assertThat(Database.SCHEMA_VERSION).isEqualTo(max);
    }

    @Test
    void theAggregateStampsEventsWithTheClockTheStoreWasStartedWith() {
        Instant fixed = Instant.parse("2024-06-01T10:00:00Z");
        try (Database db = TestStores.open(dir, "clock.db")) {
            Projections views = Fixtures.views(db);
            try (AxonStore store = AxonStore.start(db, views.all(), Clock.fixed(fixed, ZoneOffset.UTC))) {
                store.commands().sendAndWait(Fixtures.ingest("chat", Map.of("serving.batch_size", 1),
                        Map.of("latency_ms", 90.0)));
                store.awaitProjections(Duration.ofSeconds(10));
            }
            ExperimentSummary row = views.list().list(ListFilter.ALL, 0).get(0);
            assertThat(row.startedAt()).isEqualTo(fixed);
            assertThat(row.endedAt()).isEqualTo(fixed);
        }
    }

    @Test
    void theDuplicateCheckFindsTheSameReportWithTheSameKnobsAndScenarioOnly() {
        try (Database db = TestStores.open(dir, "dup.db")) {
            Projections views = Fixtures.views(db);
            var first = Fixtures.ingest("chat", Map.of("serving.batch_size", 4, "model", "llama"), Map.of("latency_ms", 1.0));
            try (AxonStore store = Fixtures.start(db, views)) {
                store.commands().sendAndWait(first);
                store.awaitProjections(Duration.ofSeconds(10));
            }
            String sha = first.report().sha256();
            // the same values read back from TOML as longs: the same config
            assertThat(views.list().duplicateOf(sha, "chat", Map.of("model", "llama", "serving.batch_size", 4L)))
                    .contains(1);
            assertThat(views.list().duplicateOf(sha, "chat", Map.of("model", "llama", "serving.batch_size", 8L)))
                    .isEmpty();
            assertThat(views.list().duplicateOf(sha, "other", Map.of("model", "llama", "serving.batch_size", 4L)))
                    .isEmpty();
            assertThat(views.list().duplicateOf("another-sha", "chat", Map.of("model", "llama", "serving.batch_size", 4L)))
                    .isEmpty();
        }
    }
}
