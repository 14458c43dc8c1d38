package dev.autotune.api.app;

import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.common.BudgetInput;
import dev.autotune.api.app.common.StoreLocation;
import dev.autotune.api.render.export.Export;
import dev.autotune.api.app.runs.Runs;
import dev.autotune.api.app.runs.RunRecorder;
import dev.autotune.store.testing.TestStores;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.Metric;
import dev.autotune.domain.query.ExperimentDetail;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code Autotune.run} in process, over the stand-in cloudai (autotune-runner's test resources, a real bash process
 * tree): what each way a run can end leaves in the record.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunRecordingTest {
    static final Path REPO = Path.of(System.getProperty("autotune.repo", "..")).toAbsolutePath().normalize();
    static final Path RESOURCES = REPO.resolve("autotune-runner/src/test/resources");
    static final Path FAKE = RESOURCES.resolve("fake-cloudai/cloudai");
    static final Path TESTS = RESOURCES.resolve("cloudai-conf/experimental/vllm/test");
    static final Path SYSTEM = RESOURCES.resolve("cloudai-conf/common/system/standalone_system.toml");

    @TempDir
    Path dir;
    Autotune autotune;
    Path single;
    Path sweep2x2;
    int wrappers;
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws IOException {
        autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "autotune.db")));
        single = Files.writeString(dir.resolve("agg.toml"), """
                name = "vllm-agg"

                [[Tests]]
                id = "vllm.agg.1node"
                test_name = "vllm"
                num_nodes = 1

                  [Tests.cmd_args.decode]
                  tensor_parallel_size = 4
                """);
        sweep2x2 = Files.writeString(dir.resolve("sweep.toml"), """
                name = "vllm-dse"

                [[Tests]]
                id = "vllm.dse"
                test_name = "vllm"
                num_nodes = 1

                  [Tests.cmd_args.decode]
                  max_num_batched_tokens = [1024, 2048]
                  max_num_seqs = [8, 16]
                """);
    }

    @AfterEach
    void tearDown() throws IOException {
        autotune.close();
        Path pids = dir.resolve("pids.txt");
        if (Files.exists(pids)) {
            for (String pid : Files.readString(pids).trim().split("\\s+")) {
                if (!pid.isEmpty()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    /** A cloudai executable that runs the stand-in with this environment. */
    String cloudai(Map<String, String> env) throws IOException {
        StringBuilder sb = new StringBuilder("#!/bin/sh\n");
        Map<String, String> all = new TreeMap<>(env);
        all.putIfAbsent("FAKE_CLOUDAI_PIDFILE", dir.resolve("pids.txt").toString());
        all.forEach((k, v) -> sb.append("export ").append(k).append("='").append(v).append("'\n"));
        sb.append("exec '").append(FAKE).append("' \"$@\"\n");
        Path w = Files.createDirectories(dir.resolve("bin" + (++wrappers))).resolve("cloudai");
        Files.writeString(w, sb.toString());
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxr-xr-x"));
        return w.toString();
    }

    Runs.RunResult run(Path scenario, Map<String, String> env, Duration timeout, boolean dryRun)
            throws IOException {
        return run(scenario, SYSTEM, env, timeout, dryRun);
    }

    Runs.RunResult run(Path scenario, Path system, Map<String, String> env, Duration timeout, boolean dryRun)
            throws IOException {
        return run(input(scenario, system, TESTS, cloudai(env), timeout == null ? null : timeout.toSeconds(), dryRun,
                null));
    }

    Runs.RunInput input(Path scenario, Path system, Path tests, String bin, Long timeoutSec, boolean dryRun,
                            List<String> cloudaiArgs) {
        return new Runs.RunInput(scenario, system, tests, null, bin, timeoutSec, dryRun, List.of(), null,
                List.of(), dir.resolve("runs"), false, false, null, cloudaiArgs);
    }

    Runs.RunResult run(Runs.RunInput input) {
        return autotune.runs().run(input, new PrintStream(terminal, true, StandardCharsets.UTF_8), r -> {
        });
    }

    List<ExperimentSummary> list() {
        return autotune.history().list(ListFilter.ALL, null);
    }

    // ------------------------------------------------------------------ 1

    @Test
    void everyStepThatStartedIsRecordedWithItsKnobsWhenTheTimeoutStrikes() throws IOException {
        var result = run(sweep2x2, Map.of("FAKE_CLOUDAI_HANG_RUN", "3", "FAKE_CLOUDAI_SLEEP", "60"),
                Duration.ofSeconds(4), false);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.experiments()).containsExactly(1, 2, 3);
        List<ExperimentSummary> rows = list();
        assertThat(rows).extracting(ExperimentSummary::status).containsExactly(ExperimentStatus.COMPLETED,
                ExperimentStatus.COMPLETED, ExperimentStatus.FAILED);
        ExperimentSummary hung = rows.get(2);
        assertThat(hung.failureCategory()).isEqualTo("timeout");
        assertThat(hung.knobs()).containsEntry("decode.max_num_batched_tokens", 2048)
                .containsEntry("decode.max_num_seqs", 8);
        assertThat(autotune.history().show("3").metadata()).containsEntry("cloudai.step", "3");
    }

    @Test
    void stepsCloudaiStartedAfterTheTimeLimitAreRecordedAsNotRunAndOnlyTheStepAtTheLimitHasTheNote()
            throws IOException {
        var result = run(sweep2x2, Map.of("FAKE_CLOUDAI_HANG_RUN", "2", "FAKE_CLOUDAI_HANG_AFTER_RESULTS", "1",
                "FAKE_CLOUDAI_TERM_CONTINUES", "1", "FAKE_CLOUDAI_SLEEP", "60"), Duration.ofSeconds(4), false);

        assertThat(result.succeeded()).isFalse();
        List<ExperimentSummary> rows = list();
        assertThat(rows).extracting(ExperimentSummary::status).containsExactly(ExperimentStatus.COMPLETED,
                ExperimentStatus.COMPLETED, ExperimentStatus.FAILED, ExperimentStatus.FAILED);
        assertThat(rows.subList(2, 4)).extracting(ExperimentSummary::failureCategory)
                .containsOnly("cancelled");
        assertThat(autotune.history().show("1").metadata()).doesNotContainKey(RunRecorder.NOTE);
        assertThat(autotune.history().show("2").metadata()).containsEntry(RunRecorder.NOTE,
                "cloudai was stopped at the time limit after this job had written its results");
        ExperimentDetail late = autotune.history().show("3");
        assertThat(late.failureMessage()).isEqualTo("not run: cloudai started this job after the time limit; its job"
                + " was stopped with cloudai");
        assertThat(late.metrics()).isEmpty();
    }

    // ------------------------------------------------------------------ 2

    @Test
    void aJobWhoseResultsWereWrittenBeforeTheTimeoutIsOneCompletedExperimentWithANote() throws IOException {
        var result = run(single, Map.of("FAKE_CLOUDAI_HANG_RUN", "1", "FAKE_CLOUDAI_HANG_AFTER_RESULTS", "1",
                "FAKE_CLOUDAI_SLEEP", "60"), Duration.ofSeconds(4), false);

        assertThat(result.experiments()).containsExactly(1);
        assertThat(result.succeeded()).isFalse();
        ExperimentDetail d = autotune.history().show("1");
        assertThat(d.status()).isEqualTo(ExperimentStatus.COMPLETED);
        assertThat(d.metrics()).containsKey(Metric.THROUGHPUT_TOKENS_PER_SEC.key());
        assertThat(d.metadata()).containsEntry(RunRecorder.NOTE,
                "cloudai was stopped at the time limit after this job had written its results");
        assertThat(list()).hasSize(1);
    }

    // ------------------------------------------------------------------ 3

    @Test
    void aDryRunIsAValidationNotAResult() throws IOException {
        var result = run(single, Map.of(), Duration.ofSeconds(60), true);

        assertThat(result.succeeded()).isTrue();
        assertThat(list()).extracting(ExperimentSummary::status).containsExactly(ExperimentStatus.VALIDATED);
        var budgets = new BudgetInput("200", null, null, null, List.of());
        assertThat(autotune.budgets().check(budgets, null).rows()).isEmpty();
        assertThat(Export.text(autotune.analysis().export("csv", null, null, BudgetInput.NONE, List.of()))).doesNotContain("vllm-agg");
        assertThat(autotune.history().list(new ListFilter(null, ExperimentStatus.VALIDATED, null), null)).hasSize(1);
        // the new events replay into the same views
        ExperimentDetail before = autotune.history().show("1");
        autotune.eventLog().rebuild(n -> {
        });
        ExperimentDetail after = autotune.history().show("1");
        assertThat(after.status()).isEqualTo(ExperimentStatus.VALIDATED);
        assertThat(after.metadata()).isEqualTo(before.metadata()).containsEntry("cloudai.test_id", "vllm.agg.1node");
        assertThat(after.timeline()).extracting(ExperimentDetail.TimelineEntry::event).contains("RunDetailsRecorded",
                "ExperimentValidated");
    }

    // ------------------------------------------------------------------ 5

    @Test
    void aMissingPathArgumentIsRefusedBeforeAnythingIsRecorded() throws IOException {
        Path missing = dir.resolve("no-such-system.toml");
        assertThatThrownBy(() -> run(single, missing, Map.of(), null, false)).isInstanceOf(UserError.class)
                .hasMessage(missing + ": no such file").extracting(e -> ((UserError) e).field())
                .isEqualTo("system_config");
        assertThatThrownBy(() -> run(input(single, SYSTEM, dir.resolve("nope"), cloudai(Map.of()), null, false, null)))
                .isInstanceOf(UserError.class).extracting(e -> ((UserError) e).field()).isEqualTo("tests_dir");
        assertThatThrownBy(() -> run(input(single, SYSTEM, TESTS, dir.resolve("bin/nope").toString(), null, false,
                null))).isInstanceOf(UserError.class).hasMessage(dir.resolve("bin/nope") + ": no such file")
                .extracting(e -> ((UserError) e).field()).isEqualTo("cloudai_bin");
        assertThatThrownBy(() -> run(input(single, SYSTEM, TESTS, cloudai(Map.of()), null, false,
                List.of("--output-dir", "elsewhere")))).isInstanceOf(UserError.class)
                .hasMessage("--output-dir is set by autotune; use autotune's own option");
        assertThat(list()).isEmpty();
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    // ------------------------------------------------------------------ 7

    @Test
    void aCompletedRunRecordsTheSameKnobsAsOneWhoseLaunchFailed() throws IOException {
        run(single, Map.of("FAKE_CLOUDAI_MODE", "config_error"), null, false);
        run(single, Map.of(), null, false);

        List<ExperimentSummary> rows = list();
        assertThat(rows).extracting(ExperimentSummary::status).containsExactly(ExperimentStatus.FAILED,
                ExperimentStatus.COMPLETED);
        // the completed job's report states its load, which is the load knob (docs/KNOBS.md); the rest is the same
        java.util.Set<String> completedKnobs = new java.util.TreeSet<>(rows.get(1).knobs().keySet());
        assertThat(completedKnobs.remove("concurrency")).isTrue();
        assertThat(completedKnobs).isEqualTo(rows.get(0).knobs().keySet());
        assertThat(dev.autotune.domain.analysis.KnobValues.varying(rows.stream().map(ExperimentSummary::knobs).toList()))
                .as("no column because one job got further than the other").isEmpty();
        // 9: what cloudai filled in is still part of the record, as are the test id and iteration
        assertThat(autotune.history().show("2").metadata()).containsEntry("cloudai.default.bench_cmd_args.max_concurrency", "16")
                .containsEntry("cloudai.default.bench_cmd_args.num_prompts", "30")
                .containsEntry("cloudai.test_id", "vllm.agg.1node").containsEntry("cloudai.iteration", "0");
    }

    @Test
    void eachTestOfAScenarioRecordsItsOwnKnobs() throws IOException {
        Path two = Files.writeString(dir.resolve("two.toml"), """
                name = "vllm-two"

                [[Tests]]
                id = "vllm.a"
                test_name = "vllm"

                  [Tests.cmd_args.decode]
                  tensor_parallel_size = 4
                  max_num_seqs = 8

                [[Tests]]
                id = "vllm.b"
                test_name = "vllm"

                  [Tests.cmd_args.decode]
                  tensor_parallel_size = 2
                """);
        run(two, Map.of(), null, false);

        List<ExperimentSummary> rows = list();
        assertThat(rows.get(0).knobs()).containsEntry("decode.tensor_parallel_size", 4)
                .containsEntry("decode.max_num_seqs", 8);
        assertThat(rows.get(1).knobs()).containsEntry("decode.tensor_parallel_size", 2)
                .doesNotContainKey("decode.max_num_seqs");
    }

    // ------------------------------------------------------------------ 10

    @Test
    void aSweepWithAFailedStepDoesNotSucceed() throws IOException {
        var result = run(sweep2x2, Map.of("FAKE_CLOUDAI_FAIL_STEPS", "2"), null, false);

        assertThat(result.failureCategory()).isNull();
        assertThat(result.succeeded()).isFalse();
        assertThat(list()).extracting(ExperimentSummary::status).containsExactly(ExperimentStatus.COMPLETED,
                ExperimentStatus.FAILED, ExperimentStatus.COMPLETED, ExperimentStatus.COMPLETED);
    }

    // ------------------------------------------------------------------ 11

    @Test
    void everyAiperfPhaseIsAMeasurementOfItsOwnAndAccuracyIsRecorded() throws IOException {
        var result = run(single, Map.of("FAKE_CLOUDAI_WORKLOAD", "aidynamo",
                "FAKE_CLOUDAI_AIPERF_PHASES", "round_1:2 round_2:4"), null, false);

        assertThat(result.succeeded()).as(terminal.toString()).isTrue();
        List<ExperimentSummary> rows = list();
        assertThat(rows).hasSize(2);
        assertThat(rows).extracting(r -> r.knobs().get("aiperf_phase")).containsExactly("round_1", "round_2");
        assertThat(rows).extracting(r -> ((Number) r.knobs().get("aiperf.args.concurrency")).intValue())
                .containsExactly(2, 4);
        assertThat(rows).extracting(r -> r.metric(Metric.THROUGHPUT_TOKENS_PER_SEC.key()))
                .containsExactly(600.0, 1200.0);
        assertThat(rows.get(1).runId()).isEqualTo(rows.get(0).runId());
        // the accuracy is the run's: every phase carries it, and says whose it is
        for (String n : List.of("1", "2")) {
            assertThat(autotune.history().show(n).metrics()).containsEntry(Metric.ACCURACY.key(), 0.35);
            assertThat(autotune.history().show(n).metadata()).containsEntry(RunRecorder.ACCURACY_OF,
                    "the run (accuracy_results.csv), the same for each of its 2 AIPerf phases");
        }
        assertThat(autotune.history().show("1").reports()).extracting(r -> Path.of(r.path()).getFileName().toString())
                .containsExactly("aiperf_round_1_report.csv", "accuracy_results.csv");
        assertThat(autotune.history().show("2").reports()).extracting(r -> Path.of(r.path()).getFileName().toString())
                .containsExactly("aiperf_round_2_report.csv", "accuracy_results.csv");
        // genai-perf did not run: its args are no knob and no default of the run
        assertThat(rows.get(0).knobs()).doesNotContainKey("genai_perf.args.concurrency");
        assertThat(autotune.history().show("1").metadata()).doesNotContainKey("cloudai.default.genai_perf.args.concurrency");
        // the progress line names the files the measurements were read from
        assertThat(terminal.toString()).contains("[autotune] step vllm.agg.1node/0 ok: 3 reports"
                + " (aiperf_round_1_report.csv, aiperf_round_2_report.csv, accuracy_results.csv)");
    }
}
