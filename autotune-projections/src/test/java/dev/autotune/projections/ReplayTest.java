package dev.autotune.projections;

import dev.autotune.domain.ExperimentApi.AbandonExperiment;
import dev.autotune.domain.ExperimentApi.AddNote;
import dev.autotune.domain.ExperimentApi.AmendExperiment;
import dev.autotune.domain.ExperimentApi.ExcludeExperiment;
import dev.autotune.domain.ExperimentApi.IncludeExperiment;
import dev.autotune.domain.ExperimentApi.IngestReport;
import dev.autotune.domain.ExperimentApi.TagExperiment;
import dev.autotune.domain.ExperimentApi.UntagExperiment;
import dev.autotune.domain.ExperimentApi.ReopenExperiment;
import dev.autotune.domain.ExperimentApi.CompleteExperiment;
import dev.autotune.domain.ExperimentApi.FailExperiment;
import dev.autotune.domain.ExperimentApi.RecordReport;
import dev.autotune.domain.ExperimentApi.Report;
import dev.autotune.domain.ExperimentApi.ResolveConfig;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.query.ExperimentDetail;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.store.AxonStore;
import dev.autotune.store.Database;
import dev.autotune.store.testing.TestStores;
import dev.autotune.store.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayTest {
    @TempDir
    Path dir;

    @Test
    void rebuildingFromTheLogReproducesEveryViewExactly() {
        try (Database db = TestStores.open(dir, "replay.db")) {
            Projections views = Projections.of(db);
            String before;
            try (AxonStore store = AxonStore.start(db, views.all())) {
                recordMixedHistory(store);
                store.awaitProjections(Duration.ofSeconds(20));
                before = snapshot(views);
                assertThat(views.list().list(ListFilter.ALL, 0)).extracting(s -> s.status().code())
                        .containsExactly("completed", "completed", "failed", "abandoned", "completed", "completed", "completed",
                                "running");

                List<Long> progress = new ArrayList<>();
                store.rebuild(Duration.ofSeconds(60), progress::add);
            }
            assertThat(snapshot(views)).isEqualTo(before);
        }
    }

    @Test
    void aMetricsRecordedEventStoredAtRevisionOneStillLoadsAndProjects() throws Exception {
        String id = UUID.randomUUID().toString();
        try (Database db = TestStores.open(dir, "old.db")) {
            Projections views = Projections.of(db);
            try (AxonStore store = AxonStore.start(db, views.all())) {
                store.commands().sendAndWait(Fixtures.start(id, "legacy", Map.of("serving.batch_size", 2)));
            }
            // an event as autotune wrote it before MetricsRecorded carried reportSha256
            try (var c = db.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(
                    "INSERT INTO DomainEventEntry (aggregateIdentifier, sequenceNumber, type, eventIdentifier, metaData, "
                            + "payload, payloadRevision, payloadType, timeStamp) VALUES (?, 1, 'Experiment', ?, '{}', ?, '1', ?, ?)")) {
                st.setString(1, id);
                st.setString(2, UUID.randomUUID().toString());
                st.setString(3, "{\"experimentId\":\"" + id + "\",\"metrics\":{\"latency_ms\":123.5},"
                        + "\"recordedAt\":\"2025-01-02T03:04:05Z\"}");
                st.setString(4, ExperimentApi.MetricsRecorded.class.getName());
                st.setString(5, "2025-01-02T03:04:05.000Z");
                st.executeUpdate();
            }
            try (AxonStore store = AxonStore.start(db, views.all())) {
                // the aggregate replays the old event when it loads, then takes a new command
                store.commands().sendAndWait(new CompleteExperiment(id));
                store.awaitProjections(Duration.ofSeconds(10));
                store.rebuild(Duration.ofSeconds(30), p -> {
                });
            }
            var row = views.list().find("1").orElseThrow();
            assertThat(row.metrics()).containsEntry("latency_ms", 123.5);
            assertThat(row.status().code()).isEqualTo("completed");
            assertThat(views.detail().find("1").orElseThrow().timeline())
                    .extracting(ExperimentDetail.TimelineEntry::event)
                    .containsExactly("ExperimentStarted", "MetricsRecorded", "ExperimentCompleted");
        }
    }

    @Test
    void aReportParsedEventStoredAtRevisionOneReplaysWithoutFacts() throws Exception {
        Path file = dir.resolve("old-report.db");
        String id = UUID.randomUUID().toString();
        try (Database db = Database.open(file)) {
            Projections views = Projections.of(db);
            try (AxonStore store = AxonStore.start(db, views.all())) {
                store.commands().sendAndWait(Fixtures.start(id, "legacy", Map.of("serving.batch_size", 2)));
            }
            // an event as autotune wrote it before ReportParsed carried the report's facts
            try (var c = db.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(
                    "INSERT INTO DomainEventEntry (aggregateIdentifier, sequenceNumber, type, eventIdentifier, metaData, "
                            + "payload, payloadRevision, payloadType, timeStamp) VALUES (?, 1, 'Experiment', ?, '{}', ?, '1', ?, ?)")) {
                st.setString(1, id);
                st.setString(2, UUID.randomUUID().toString());
                st.setString(3, "{\"experimentId\":\"" + id + "\",\"reportPath\":\"/r/vllm-bench.json\","
                        + "\"sha256\":\"abc\",\"format\":\"vllm-json\",\"warnings\":[],"
                        + "\"parsedAt\":\"2025-01-02T03:04:05Z\"}");
                st.setString(4, ExperimentApi.ReportParsed.class.getName());
                st.setString(5, "2025-01-02T03:04:05.000Z");
                st.executeUpdate();
            }
            try (AxonStore store = AxonStore.start(db, views.all())) {
                store.commands().sendAndWait(new CompleteExperiment(id));
                store.awaitProjections(Duration.ofSeconds(10));
                store.rebuild(Duration.ofSeconds(30), p -> {
                });
            }
            var row = views.list().find("1").orElseThrow();
            assertThat(row.measuredAt()).isNull();
            assertThat(row.facts()).isEmpty();
            assertThat(row.happenedAt()).isEqualTo(row.startedAt());
            ExperimentDetail detail = views.detail().find("1").orElseThrow();
            assertThat(detail.reports()).singleElement().satisfies(r -> {
                assertThat(r.path()).isEqualTo("/r/vllm-bench.json");
                assertThat(r.facts()).isEmpty();
                assertThat(r.measuredAt()).isNull();
                assertThat(r.runFingerprint()).isNull();
            });
        }
    }

    @Test
    void reportFactsReachTheListAndTheDetailAndOrderTheHistoryByWhenItRan() {
        try (Database db = Database.open(dir.resolve("facts.db"))) {
            Projections views = Projections.of(db);
            try (AxonStore store = AxonStore.start(db, views.all())) {
                var gw = store.commands();
                gw.sendAndWait(Fixtures.ingest("chat", Map.of("serving.batch_size", 1), Map.of("latency_ms", 10.0)));
                // recorded second, but measured in 2025: history puts it first
                String id = UUID.randomUUID().toString();
                gw.sendAndWait(new ExperimentApi.IngestReport(id, Fixtures.start(id, "chat", Map.of("serving.batch_size", 2)),
                        new Report("/r/profile_export_aiperf.json", "sha-facts", "aiperf-json", List.of(),
                                Map.of("latency_ms", 20.0), Map.of("model", "m", "isl", 550L), 
                                java.time.Instant.parse("2025-10-03T20:13:39.154Z"), "fp")));
                store.awaitProjections(Duration.ofSeconds(10));
            }
            var rows = views.list().list(ListFilter.ALL, 0);
            assertThat(rows).extracting(s -> s.number()).containsExactly(2, 1);
            assertThat(rows.get(0).facts()).containsEntry("model", "m").containsEntry("isl", 550);
            assertThat(rows.get(0).measuredAt()).isEqualTo(java.time.Instant.parse("2025-10-03T20:13:39.154Z"));
            assertThat(views.list().list(ListFilter.ALL, 1)).extracting(s -> s.number()).containsExactly(1);
            assertThat(views.list().lines(ListFilter.ALL, List.of("latency_ms"), 0)).extracting(s -> s.number())
                    .containsExactly(2, 1);
            assertThat(views.list().sameRun("fp", "chat")).extracting(s -> s.number()).containsExactly(2);
            ExperimentDetail detail = views.detail().find("2").orElseThrow();
            assertThat(detail.measuredAt()).isEqualTo(java.time.Instant.parse("2025-10-03T20:13:39.154Z"));
            assertThat(detail.facts()).containsEntry("model", "m");
            assertThat(detail.reports().get(0).runFingerprint()).isEqualTo("fp");
        }
    }

    @Test
    void resultsOfAnAbandonedExperimentReopenItAndTheTimelineTellsTheStory() throws Exception {
        try (Database db = Database.open(dir.resolve("late.db"))) {
            Projections views = Projections.of(db);
            try (AxonStore store = AxonStore.start(db, views.all())) {
                var gw = store.commands();
                String id = UUID.randomUUID().toString();
                gw.sendAndWait(Fixtures.start(id, "chat", Map.of("serving.batch_size", 2)));
                gw.sendAndWait(new AbandonExperiment(id, "runner process 4242 on host is gone"));
                Object reopened = gw.sendAndWait(new ReopenExperiment(id, "the runner finished after it was declared abandoned"));
                gw.sendAndWait(new RecordReport(id, new Report("late.json", "sha", "vllm-json", List.of(),
                        Map.of("latency_ms", 80.0))));
                gw.sendAndWait(new CompleteExperiment(id));
                // an experiment that ended on its own is not reopened, and a second abandonment is not recorded
                Object again = gw.sendAndWait(new ReopenExperiment(id, "again"));
                Object abandonedAgain = gw.sendAndWait(new AbandonExperiment(id, "late"));
                store.awaitProjections(Duration.ofSeconds(10));
                assertThat(reopened).isEqualTo(true);
                assertThat(again).isEqualTo(false);
                assertThat(abandonedAgain).isEqualTo(false);
            }
            var row = views.list().find("1").orElseThrow();
            assertThat(row.status().code()).isEqualTo("completed");
            assertThat(row.metrics()).containsEntry("latency_ms", 80.0);
            var detail = views.detail().find("1").orElseThrow();
            assertThat(detail.failureCategory()).isNull();
            assertThat(detail.timeline()).extracting(ExperimentDetail.TimelineEntry::event).containsExactly(
                    "ExperimentStarted", "ExperimentAbandoned", "ExperimentReopened", "ReportParsed",
                    "MetricsRecorded", "ExperimentCompleted");
            assertThat(views.budget().completed(null)).hasSize(1);
        }
    }

    private static void recordMixedHistory(AxonStore store) {
        var gw = store.commands();
        for (int batch : new int[]{1, 4}) {
            gw.sendAndWait(Fixtures.ingest("chat", Map.of("serving.batch_size", batch),
                    Map.of("latency_ms", 40.0 * batch, "throughput_tokens_per_sec", 100.0 * batch)));
        }
        String failed = UUID.randomUUID().toString();
        gw.sendAndWait(Fixtures.start(failed, "chat", Map.of("serving.batch_size", 64)));
        gw.sendAndWait(new FailExperiment(failed, FailureCategory.JOB_FAILED, "CUDA out of memory", 0, "runs/0003/stdout.log"));
        String abandoned = UUID.randomUUID().toString();
        gw.sendAndWait(Fixtures.start(abandoned, "chat", Map.of("serving.batch_size", 32)));
        gw.sendAndWait(new AbandonExperiment(abandoned, "runner process 4242 on host is gone"));
        String late = UUID.randomUUID().toString();
        gw.sendAndWait(Fixtures.start(late, "chat", Map.of("serving.batch_size", 16)));
        gw.sendAndWait(new AbandonExperiment(late, "runner process 4243 on host is gone"));
        gw.sendAndWait(new ReopenExperiment(late, "the runner finished after it was declared abandoned"));
        gw.sendAndWait(new RecordReport(late, new Report("runs/0004/vllm-bench.json", "sha-late", "vllm-json",
                List.of(), Map.of("throughput_tokens_per_sec", 900.0))));
        gw.sendAndWait(new CompleteExperiment(late));
        String sweep = UUID.randomUUID().toString();
        for (int step = 1; step <= 2; step++) {
            String id = step == 1 ? sweep : UUID.randomUUID().toString();
            gw.sendAndWait(new StartExperiment(id, "sweep", "vllm", Map.of(), null, null, null, Map.of(),
                    ExperimentApi.Source.RUN, sweep, null));
            gw.sendAndWait(new ResolveConfig(id, Map.of("decode.max_num_batched_tokens", 512L * step), "test-run.toml"));
            gw.sendAndWait(new RecordReport(id, new Report("runs/0005/" + step + "/vllm-bench.json", "sha" + step,
                    "vllm-json", List.of("no e2el"), Map.of("throughput_tokens_per_sec", 1000.0 + step))));
            gw.sendAndWait(new CompleteExperiment(id));
        }
        gw.sendAndWait(Fixtures.start(UUID.randomUUID().toString(), "chat", Map.of("serving.batch_size", 8)));
        // corrections after the fact, on the first sweep step and on a stray ingest
        gw.sendAndWait(new TagExperiment(sweep, Map.of("gpu", "H100", "node", "dgx-3")));
        gw.sendAndWait(new UntagExperiment(sweep, List.of("node")));
        gw.sendAndWait(new AddNote(sweep, "node dgx-3 was throttling"));
        gw.sendAndWait(new AmendExperiment(sweep, "sweep-h100", "sglang", Map.of("decode.max_num_batched_tokens", 768L)));
        IngestReport stray = Fixtures.ingest("stray", Map.of("serving.batch_size", 2),
                Map.of("latency_ms", 1.0, "throughput_tokens_per_sec", 1.0));
        gw.sendAndWait(stray);
        gw.sendAndWait(new ExcludeExperiment(stray.experimentId(), "wrong model"));
        gw.sendAndWait(new IncludeExperiment(stray.experimentId()));
        gw.sendAndWait(new ExcludeExperiment(stray.experimentId(), "wrong model, really"));
    }

    /** Everything every view answers, in one comparable string. */
    private static String snapshot(Projections views) {
        StringBuilder out = new StringBuilder();
        out.append(Json.write(views.list().list(ListFilter.ALL, 0))).append('\n');
        var rows = views.list().list(new ListFilter(null, null, null, true), 0);
        out.append(Json.write(rows)).append('\n');
        for (var r : rows) {
            out.append(Json.write(views.detail().find(Integer.toString(r.number())).orElseThrow())).append('\n');
        }
        out.append(Json.write(views.budget().completed(null))).append('\n');
        out.append(Json.write(views.budget().completed(null, true))).append('\n');
        out.append(Json.write(views.recommendation().completed(null))).append('\n');
        out.append(Json.write(views.recommendation().completed(null, true))).append('\n');
        out.append(Json.write(views.list().running())).append('\n');
        return out.toString();
    }
}
