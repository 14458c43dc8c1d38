package dev.autotune.domain;

import dev.autotune.domain.ExperimentApi.ConfigResolved;
import dev.autotune.domain.ExperimentApi.ExperimentAbandoned;
import dev.autotune.domain.ExperimentApi.ExperimentAmended;
import dev.autotune.domain.ExperimentApi.ExperimentCompleted;
import dev.autotune.domain.ExperimentApi.ExperimentEvent;
import dev.autotune.domain.ExperimentApi.ExperimentExcluded;
import dev.autotune.domain.ExperimentApi.ExperimentFailed;
import dev.autotune.domain.ExperimentApi.ExperimentIncluded;
import dev.autotune.domain.ExperimentApi.ExperimentReopened;
import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.domain.ExperimentApi.ExperimentTagged;
import dev.autotune.domain.ExperimentApi.ExperimentUntagged;
import dev.autotune.domain.ExperimentApi.ExperimentValidated;
import dev.autotune.domain.ExperimentApi.MetricsRecorded;
import dev.autotune.domain.ExperimentApi.NoteAdded;
import dev.autotune.domain.ExperimentApi.ReportParsed;
import dev.autotune.domain.ExperimentApi.RunDetailsRecorded;
import dev.autotune.domain.ExperimentApi.Source;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one fold of an experiment's life: given its events, where it stands. */
class ExperimentStateTest {
    static final String ID = "exp-1";
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final Instant T1 = T0.plusSeconds(60);
    static final Instant T2 = T0.plusSeconds(120);
    static final Instant T3 = T0.plusSeconds(180);

    static ExperimentStarted started() {
        return new ExperimentStarted(ID, "chat", "vllm", Map.of("serving.batch_size", 4, "tp", 2), null, "abc", null,
                Map.of("host", "dgx-1"), Source.RUN, "run-1", null, T0);
    }

    static ExperimentState fold(ExperimentEvent... events) {
        ExperimentState s = null;
        for (ExperimentEvent e : events) {
            s = s == null ? ExperimentState.started((ExperimentStarted) e) : s.apply(e);
        }
        return s;
    }

    static ReportParsed report(String sha, Map<String, Object> facts, Instant measuredAt, String fingerprint) {
        return new ReportParsed(ID, "r.json", sha, "aiperf", List.of(), facts, measuredAt, fingerprint, T1);
    }

    @Test
    void aStartedExperimentRunsWithTheConfigUnderCanonicalNames() {
        ExperimentState s = fold(started());

        assertThat(s.status()).isEqualTo(ExperimentStatus.RUNNING);
        assertThat(s.scenario()).isEqualTo("chat");
        assertThat(s.backend()).isEqualTo("vllm");
        assertThat(s.knobs()).isEqualTo(KnobNames.config(Map.of("serving.batch_size", 4, "tp", 2)));
        assertThat(s.metadata()).containsEntry("host", "dgx-1");
        assertThat(s.endedAt()).isNull();
        assertThat(s.happenedAt()).isEqualTo(T0);
    }

    @Test
    void theIngestPathEndsCompletedWithMetricsAndTheFirstReportsFacts() {
        ExperimentState s = fold(started(),
                report("sha-1", Map.of("model", "llama", "concurrency", 8), T3, "fp-1"),
                new MetricsRecorded(ID, Map.of("latency_ms", 12.5), "sha-1", T1),
                new ExperimentCompleted(ID, T2));

        assertThat(s.status()).isEqualTo(ExperimentStatus.COMPLETED);
        assertThat(s.endedAt()).isEqualTo(T2);
        assertThat(s.metrics()).containsExactly(Map.entry("latency_ms", 12.5));
        assertThat(s.reportSha256()).isEqualTo("sha-1");
        assertThat(s.measuredAt()).isEqualTo(T3);
        assertThat(s.happenedAt()).isEqualTo(T3);
        assertThat(s.runFingerprint()).isEqualTo("fp-1");
        assertThat(s.facts()).containsEntry("model", "llama");
        // the load the report states is a knob because no config value of it was recorded
        assertThat(s.knobs()).containsEntry(KnobNames.CONCURRENCY, 8);
        assertThat(s.config()).doesNotContainKey(KnobNames.CONCURRENCY);
    }

    @Test
    void aSecondReportAddsOnlyWhatTheFirstDidNotState() {
        ExperimentState s = fold(started(),
                report("sha-1", Map.of("model", "llama"), null, null),
                report("sha-2", Map.of("model", "other", "isl", 128), T3, "fp-2"));

        assertThat(s.reportSha256()).isEqualTo("sha-1");
        assertThat(s.facts()).containsEntry("model", "llama").containsEntry("isl", 128);
        assertThat(s.measuredAt()).isEqualTo(T3);
        assertThat(s.runFingerprint()).isEqualTo("fp-2");
    }

    @Test
    void aRecordedConfigValueWinsOverTheLoadAReportStates() {
        ExperimentState stated = fold(started(), report("sha-1", Map.of("concurrency", 8), null, null),
                new ConfigResolved(ID, Map.of(KnobNames.CONCURRENCY, 16), "cloudai", T1));
        assertThat(stated.knobs()).containsEntry(KnobNames.CONCURRENCY, 16);

        ExperimentState recorded = fold(started(), new ConfigResolved(ID, Map.of(KnobNames.CONCURRENCY, 16), "cloudai", T1),
                report("sha-1", Map.of("concurrency", 8), null, null));
        assertThat(recorded.knobs()).containsEntry(KnobNames.CONCURRENCY, 16);
    }

    @Test
    void anAmendmentChangesScenarioBackendAndKnobsAndLeavesTheRest() {
        ExperimentState before = fold(started(), new ExperimentCompleted(ID, T1));
        ExperimentState after = before.apply(new ExperimentAmended(ID, "summarize", null, Map.of("tp", 4), T2));

        assertThat(after.scenario()).isEqualTo("summarize");
        assertThat(after.backend()).isEqualTo("vllm");
        assertThat(after.knobs()).containsEntry("tp", 4).containsKey("serving.batch_size");
        assertThat(after.status()).isEqualTo(ExperimentStatus.COMPLETED);
        assertThat(after.endedAt()).isEqualTo(T1);
        // a value: the state before is as it was
        assertThat(before.scenario()).isEqualTo("chat");
        assertThat(before.knobs()).containsEntry("tp", 2);

        ExperimentState backend = after.apply(new ExperimentAmended(ID, null, "sglang", Map.of(), T3));
        assertThat(backend.backend()).isEqualTo("sglang");
        assertThat(backend.scenario()).isEqualTo("summarize");
    }

    @Test
    void excludeAndIncludeToggleTheReason() {
        ExperimentState excluded = fold(started(), new ExperimentCompleted(ID, T1),
                new ExperimentExcluded(ID, "warm-up run", T2));
        assertThat(excluded.excluded()).isTrue();
        assertThat(excluded.excludedReason()).isEqualTo("warm-up run");

        ExperimentState included = excluded.apply(new ExperimentIncluded(ID, T3));
        assertThat(included.excluded()).isFalse();
        assertThat(included.excludedReason()).isNull();
    }

    @Test
    void tagsAreSetAndRemovedByKey() {
        ExperimentState s = fold(started(), new ExperimentTagged(ID, Map.of("gpu", "H100", "node", "dgx-3"), T1),
                new ExperimentTagged(ID, Map.of("gpu", "A100"), T1), new ExperimentUntagged(ID, List.of("node"), T2));

        assertThat(s.tags()).containsExactly(Map.entry("gpu", "A100"));
    }

    @Test
    void aFailureRecordsWhyAndKeepsTheLogOfAnEarlierOneWhenItNamesNone() {
        ExperimentState s = fold(started(), new ExperimentFailed(ID, "job_failed", "exit 1", 1, null, T1));

        assertThat(s.status()).isEqualTo(ExperimentStatus.FAILED);
        assertThat(s.endedAt()).isEqualTo(T1);
        assertThat(s.failureCategory()).isEqualTo("job_failed");
        assertThat(s.failureMessage()).isEqualTo("exit 1");
        assertThat(s.exitCode()).isEqualTo(1);
        assertThat(s.logPath()).isNull();
    }

    @Test
    void aLateReportAfterAnAbandonmentReopensThenCompletes() {
        ExperimentState abandoned = fold(started(), new ExperimentAbandoned(ID, "runner vanished", T1));
        assertThat(abandoned.status()).isEqualTo(ExperimentStatus.ABANDONED);
        assertThat(abandoned.failureCategory()).isEqualTo(FailureCategory.ABANDONED.code());
        assertThat(abandoned.failureMessage()).isEqualTo("runner vanished");
        assertThat(abandoned.endedAt()).isEqualTo(T1);

        ExperimentState reopened = abandoned.apply(new ExperimentReopened(ID, "results arrived", T2));
        assertThat(reopened.status()).isEqualTo(ExperimentStatus.RUNNING);
        assertThat(reopened.endedAt()).isNull();
        assertThat(reopened.failureCategory()).isNull();
        assertThat(reopened.failureMessage()).isNull();

        ExperimentState completed = reopened.apply(report("sha-9", Map.of(), null, null))
                .apply(new MetricsRecorded(ID, Map.of("throughput", 900.0), "sha-9", T3))
                .apply(new ExperimentCompleted(ID, T3));
        assertThat(completed.status()).isEqualTo(ExperimentStatus.COMPLETED);
        assertThat(completed.endedAt()).isEqualTo(T3);
        assertThat(completed.metrics()).containsEntry("throughput", 900.0);
    }

    @Test
    void reopeningAfterAFailureClearsTheFailureButKeepsItsExitCodeAndLog() {
        ExperimentState s = fold(started(), new ExperimentFailed(ID, "job_failed", "exit 3", 3, "/logs/x", T1),
                new ExperimentReopened(ID, "retry", T2));

        assertThat(s.status()).isEqualTo(ExperimentStatus.RUNNING);
        assertThat(s.failureCategory()).isNull();
        assertThat(s.failureMessage()).isNull();
        assertThat(s.exitCode()).isEqualTo(3);
        assertThat(s.logPath()).isEqualTo("/logs/x");
    }

    @Test
    void aValidationEndsWithoutAResult() {
        ExperimentState s = fold(started(), new ExperimentValidated(ID, T1));

        assertThat(s.status()).isEqualTo(ExperimentStatus.VALIDATED);
        assertThat(s.endedAt()).isEqualTo(T1);
        assertThat(s.failureCategory()).isNull();
    }

    @Test
    void runDetailsMergeOverTheStartMetadataAndANoteChangesNothing() {
        ExperimentState s = fold(started(), new RunDetailsRecorded(ID, Map.of("host", "dgx-2", "slurm.job", "7"), T1));
        assertThat(s.metadata()).containsEntry("host", "dgx-2").containsEntry("slurm.job", "7");

        assertThat(s.apply(new NoteAdded(ID, "looked fine", T2))).isSameAs(s);
    }

    @Test
    void aRestoredStateFoldsOnLikeTheOneItWasSavedFrom() {
        ExperimentState live = fold(started(), report("sha-1", Map.of("concurrency", 8), T3, null),
                new ExperimentCompleted(ID, T1));
        ExperimentState restored = ExperimentState.restore(ID).scenario(live.scenario()).backend(live.backend())
                .status(live.status()).startedAt(live.startedAt()).endedAt(live.endedAt()).knobs(live.knobs())
                .metrics(Map.of()).tags(Map.of()).report(live.reportSha256(), live.measuredAt(), live.facts(), null)
                .build();
        List<ExperimentEvent> later = List.of(report("sha-2", Map.of("concurrency", 4), null, null),
                new ExperimentAmended(ID, null, null, Map.of(KnobNames.CONCURRENCY, 32), T2),
                new ExperimentExcluded(ID, "noisy", T2));
        for (ExperimentEvent e : later) {
            live = live.apply(e);
            restored = restored.apply(e);
        }

        assertThat(restored.knobs()).isEqualTo(live.knobs()).containsEntry(KnobNames.CONCURRENCY, 32);
        assertThat(restored.status()).isEqualTo(live.status());
        assertThat(restored.excludedReason()).isEqualTo(live.excludedReason());
        assertThat(restored.happenedAt()).isEqualTo(live.happenedAt());
    }

    @Test
    void anEventOfAnotherExperimentIsRefused() {
        assertThatThrownBy(() -> fold(started()).apply(new ExperimentCompleted("exp-2", T1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exp-2");
    }
}
