package dev.autotune.projections;

import dev.autotune.domain.ExperimentApi.FailExperiment;
import dev.autotune.domain.ExperimentApi.RecordReport;
import dev.autotune.domain.ExperimentApi.RecordRunDetails;
import dev.autotune.domain.ExperimentApi.Report;
import dev.autotune.domain.ExperimentApi.ResolveConfig;
import dev.autotune.domain.ExperimentApi.ValidateExperiment;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.KnobNames;
import dev.autotune.store.AxonStore;
import dev.autotune.store.Database;
import dev.autotune.store.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's experiment is recorded one command at a time, so each view reads its row back and restores the state
 * between events: what every view shows is still what the fold gives.
 */
class ExperimentFoldProjectionTest {
    @TempDir
    Path dir;

    @Test
    void aValidatedAndAFailedRunShowTheFoldsStateInEveryView() {
        try (Database db = TestStores.open(dir, "fold.db")) {
            Projections views = Projections.of(db);
            try (AxonStore store = AxonStore.start(db, views.all())) {
                var gw = store.commands();
                String validated = UUID.randomUUID().toString();
                gw.sendAndWait(Fixtures.start(validated, "chat", Map.of("serving.batch_size", 4)));
                gw.sendAndWait(new ResolveConfig(validated, Map.of("serving.max_num_seqs", 256L), "run.toml"));
                gw.sendAndWait(new RecordReport(validated, new Report("dry.json", "sha-dry", "aiperf", List.of(),
                        Map.of("latency_ms", 10.0), Map.of(KnobNames.CONCURRENCY, 16L),
                        Instant.parse("2026-12-07T10:00:00Z"), "fp-dry")));
                gw.sendAndWait(new RecordRunDetails(validated, Map.of("slurm.job_id", "77")));
                gw.sendAndWait(new ValidateExperiment(validated));
                String failed = UUID.randomUUID().toString();
                gw.sendAndWait(Fixtures.start(failed, "chat", Map.of("serving.batch_size", 64)));
                gw.sendAndWait(new FailExperiment(failed, FailureCategory.OUT_OF_MEMORY, "CUDA out of memory", 137,
                        "runs/2/stdout.log"));
                store.awaitProjections(Duration.ofSeconds(10));
            }

            var row = views.list().find("1").orElseThrow();
            assertThat(row.status()).isEqualTo(ExperimentStatus.VALIDATED);
            assertThat(row.endedAt()).isNotNull();
            assertThat(row.knobs()).containsEntry("serving.batch_size", 4).containsEntry("serving.max_num_seqs", 256)
                    .containsEntry(KnobNames.CONCURRENCY, 16);
            assertThat(row.measuredAt()).isEqualTo(Instant.parse("2026-12-07T10:00:00Z"));
            var detail = views.detail().find("1").orElseThrow();
            assertThat(detail.status()).isEqualTo(ExperimentStatus.VALIDATED);
            assertThat(detail.metadata()).containsEntry("slurm.job_id", "77");
            assertThat(detail.timeline()).extracting(t -> t.event()).containsExactly("ExperimentStarted",
                    "ConfigResolved", "ReportParsed", "MetricsRecorded", "RunDetailsRecorded", "ExperimentValidated");

            var failedRow = views.list().find("2").orElseThrow();
            assertThat(failedRow.status()).isEqualTo(ExperimentStatus.FAILED);
            assertThat(failedRow.failureCategory()).isEqualTo(FailureCategory.OUT_OF_MEMORY.code());
            var failedDetail = views.detail().find("2").orElseThrow();
            assertThat(failedDetail.failureMessage()).isEqualTo("CUDA out of memory");
            assertThat(failedDetail.exitCode()).isEqualTo(137);
            assertThat(failedDetail.logPath()).isEqualTo("runs/2/stdout.log");

            // a validation measured nothing and a failure has no result: neither is a result anywhere
            assertThat(views.budget().completed(null, true)).isEmpty();
            assertThat(views.recommendation().completed(null, true)).isEmpty();
        }
    }
}
