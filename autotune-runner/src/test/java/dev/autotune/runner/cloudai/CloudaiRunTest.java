package dev.autotune.runner.cloudai;

import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.Metric;
import dev.autotune.runner.report.ParsedReport;
import dev.autotune.runner.report.ReportParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the real runner against the stand-in cloudai (a real bash process tree) in a temp dir. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CloudaiRunTest {
    private static final String FIXTURES = "cloudai-fixtures/real_cli_runs/fake_slurm_vllm_dse/inputs/";

    @TempDir
    Path tmp;
    FakeCloudai fake;
    Path system;
    Path dseScenario;
    Path plainScenario;
    Path singleScenario;
    Path testsDir;
    ByteArrayOutputStream terminal;
    CloudaiRun.Options options = new CloudaiRun.Options(Duration.ofSeconds(30), Duration.ofSeconds(1),
            Duration.ofSeconds(2));
    int runs;

    @BeforeEach
    void setUp() throws IOException {
        fake = FakeCloudai.install(tmp);
        Path in = tmp.resolve("in");
        system = FakeCloudai.copyResource(FIXTURES + "slurm_fake.toml", in);
        dseScenario = FakeCloudai.copyResource(FIXTURES + "vllm_dse.toml", in);
        testsDir = tmp.resolve("tests");
        FakeCloudai.copyResource("cloudai-conf/experimental/vllm/test/vllm.toml", testsDir);
        plainScenario = in.resolve("vllm_plain.toml");
        Files.writeString(plainScenario, """
                name = "vllm-plain"

                [[Tests]]
                id = "vllm.agg.a"
                test_name = "vllm"
                num_nodes = 1

                  [Tests.cmd_args.decode]
                  tensor_parallel_size = 4

                [[Tests]]
                id = "vllm.agg.b"
                test_name = "vllm"
                num_nodes = 1

                  [Tests.cmd_args.decode]
                  tensor_parallel_size = 2
                """);
        singleScenario = in.resolve("vllm_single.toml");
        Files.writeString(singleScenario, """
                name = "vllm-single"

                [[Tests]]
                id = "vllm.agg.a"
                test_name = "vllm"

                  [Tests.cmd_args.decode]
                  tensor_parallel_size = 4
                """);
    }

    private CloudaiRun newRun(Map<String, String> env, Path scenario, Duration timeout, boolean dryRun) {
        Path bin = fake.wrapper(tmp.resolve("bin" + (++runs)), env);
        return newRun(bin.toString(), scenario, timeout, dryRun);
    }

    private CloudaiRun newRun(String bin, Path scenario, Duration timeout, boolean dryRun) {
        terminal = new ByteArrayOutputStream();
        RunRequest req = new RunRequest(scenario, system, testsDir, null, bin, timeout, dryRun,
                tmp.resolve("runs").resolve(String.format("%04d_test", runs)));
        return new CloudaiRun(req, new ReportParser(), new PrintStream(terminal, true, StandardCharsets.UTF_8),
                options);
    }

    private RunOutcome run(Map<String, String> env, Path scenario) {
        return newRun(env, scenario, Duration.ofSeconds(60), false).execute();
    }

    private String term() {
        return terminal.toString(StandardCharsets.UTF_8);
    }

    private static String log(RunOutcome out) throws IOException {
        return Files.readString(out.logFile(), StandardCharsets.UTF_8);
    }

    private static Optional<ParsedReport> report(StepResult s, String fileName) {
        return s.reports().stream().filter(r -> r.path().getFileName().toString().equals(fileName)).findFirst();
    }

    // ------------------------------------------------------------------ success

    @Test
    void plainRunSucceedsWithReportsKnobsAndLog() throws IOException {
        RunOutcome out = run(Map.of(), plainScenario);

        assertThat(out.failure()).isNull();
        assertThat(out.exitCode()).isZero();
        assertThat(out.resultsDir()).isDirectory();
        assertThat(out.resultsDir().getFileName().toString()).matches("vllm-plain_\\d{4}-\\d\\d-\\d\\d_\\d\\d-\\d\\d-\\d\\d");
        assertThat(out.resultsDir().getParent()).isEqualTo(FsUtil.canon(out.runDir().resolve("results")));
        assertThat(out.steps()).extracting(StepResult::testId).containsExactly("vllm.agg.a", "vllm.agg.b");
        StepResult a = out.steps().get(0);
        assertThat(a.iteration()).isZero();
        assertThat(a.step()).isNull();
        assertThat(a.stepDir()).isEqualTo(out.resultsDir().resolve("vllm.agg.a/0"));
        assertThat(a.failure()).isNull();
        assertThat(a.reports()).extracting(r -> r.path().getFileName().toString())
                .containsExactly("vllm-bench.json", "vllm-gsm8k.json");
        assertThat(report(a, "vllm-bench.json").orElseThrow().get(Metric.THROUGHPUT_TOKENS_PER_SEC)).isEqualTo(3208.0);
        assertThat(a.knobs()).containsEntry("decode.tensor_parallel_size", 4L)
                .containsEntry("model", "Qwen/Qwen3-0.6B")
                .containsEntry("extra_env_vars.UCX_TLS", "^gdr_copy,cuda_ipc")
                .containsEntry("NUM_NODES", 1L);
        assertThat(out.steps().get(1).knobs()).containsEntry("decode.tensor_parallel_size", 2L);
        // where and on what it ran (slurm-job.toml, metadata/node-<host>.toml, test-run.toml)
        assertThat(a.knobs()).containsEntry("bench_cmd_args.max_concurrency", 16L)
                .containsEntry("bench_cmd_args.num_prompts", 30L);
        assertThat(a.details()).containsEntry("cloudai.test_id", "vllm.agg.a").containsEntry("cloudai.iteration", "0")
                .containsEntry("slurm.job_id", "1001").containsEntry("slurm.state", "COMPLETED")
                .containsEntry("slurm.start_time", "2026-01-01T00:00:00").containsEntry("slurm.end_time",
                        "2026-01-01T00:00:42")
                .containsEntry("node.gpu01.gpu", "NVIDIA H100 80GB HBM3").containsEntry("node.gpu01.driver", "570.133.20")
                .containsEntry("node.gpu01.cuda", "12.8")
                .containsEntry("cloudai.container_image", "nvcr.io#nvidia/ai-dynamo/vllm-runtime:1.1.1");

        String log = log(out);
        assertThat(log).contains("[INFO] Scenario results will be stored at: " + out.resultsDir())
                .contains("[INFO] Starting test: vllm.agg.b")
                .contains("[autotune] $ ")
                .contains("[autotune] step vllm.agg.a/0 ok: 2 reports (vllm-bench.json, vllm-gsm8k.json)")
                .contains("[autotune] OK: 2 of 2 runs succeeded");
        assertThat(log).doesNotContain("[autotune 0"); // progress lines are for the terminal only
        assertThat(term()).contains("[INFO] Starting test: vllm.agg.a")
                .containsPattern("\\[autotune 00:\\d\\d] running test vllm.agg.a\\n")
                .containsPattern("\\[autotune 00:\\d\\d] running test vllm.agg.b\\n")
                .contains("[autotune] OK: 2 of 2 runs succeeded");
        assertThat(out.runDir().resolve("cloudai-debug.log")).isRegularFile();
    }

    @Test
    void sweepGivesOneStepPerActionWithItsKnobValues() throws IOException {
        RunOutcome out = run(Map.of("FAKE_CLOUDAI_MODE", "sweep"), dseScenario);

        assertThat(out.failure()).isNull();
        assertThat(out.steps()).hasSize(3);
        assertThat(out.steps()).extracting(StepResult::step).containsExactly(1, 2, 3);
        assertThat(out.steps()).extracting(s -> s.knobs().get("decode.max_num_batched_tokens"))
                .containsExactly(1024L, 2048L, 4096L);
        assertThat(out.steps()).allSatisfy(s -> {
            assertThat(s.testId()).isEqualTo("vllm.dse.1node");
            assertThat(s.iteration()).isZero();
            assertThat(s.failure()).isNull();
            assertThat(s.knobs()).containsEntry("decode.tensor_parallel_size", 4L)
                    .containsEntry("extra_env_vars.CUDA_VISIBLE_DEVICES", "0,1,2,3");
        });
        assertThat(out.steps()).extracting(s -> report(s, "vllm-bench.json").orElseThrow()
                .get(Metric.THROUGHPUT_TOKENS_PER_SEC)).containsExactly(1672.0, 2184.0, 3208.0);
        assertThat(out.steps().get(2).stepDir()).isEqualTo(out.resultsDir().resolve("vllm.dse.1node/0/3"));
        assertThat(term()).containsPattern("\\[autotune \\d\\d:\\d\\d] running test vllm.dse.1node step 1/3\\n")
                .containsPattern("\\[autotune \\d\\d:\\d\\d] running test vllm.dse.1node step 3/3\\n");
        assertThat(log(out)).contains("[autotune] step vllm.dse.1node/0/3 ok");
    }

    @Test
    void sweepOverStringEnvVarsTakesKnobsFromTheTrajectoryAction() {
        Path scenario = FakeCloudai.copyResource(
                "cloudai-fixtures/real_cli_runs/standalone_sleep_dse/scenario_sleep_dse.toml", tmp.resolve("in"));
        RunOutcome out = run(Map.of(), scenario);

        assertThat(out.failure()).isNull();
        assertThat(out.steps()).hasSize(4);
        assertThat(out.steps()).extracting(s -> s.knobs().get("extra_env_vars.FOO") + "/"
                + s.knobs().get("extra_env_vars.BAR")).containsExactly("a/x", "a/y", "b/x", "b/y");
    }

    @Test
    void sweepWithAFailedStepIsNoSuccessButOnlyThatStepFailed() throws IOException {
        RunOutcome out = run(Map.of("FAKE_CLOUDAI_FAIL_STEPS", "2"), dseScenario);

        assertThat(out.failure()).isNull();
        assertThat(out.exitCode()).isZero();
        assertThat(out.failedSteps()).hasSize(1);
        StepResult failed = out.steps().get(1);
        assertThat(failed.step()).isEqualTo(2);
        assertThat(failed.failure().category()).isEqualTo(FailureCategory.JOB_FAILED);
        assertThat(failed.failure().message()).startsWith("Job 1002 for test vllm.dse.1node failed: vLLM bench log");
        assertThat(failed.knobs()).containsEntry("decode.max_num_batched_tokens", 2048L);
        assertThat(out.steps().get(0).failure()).isNull();
        assertThat(out.steps().get(2).failure()).isNull();
        assertThat(log(out)).contains("[autotune] step vllm.dse.1node/0/2 FAILED job_failed: Job 1002 for test")
                .contains("[autotune] FAILED: 2 of 3 runs succeeded");
        assertThat(out.succeeded()).isFalse();
    }

    /**
     * `run --recover`: a run dir read after its supervisor died (here: after it ended, so both readings can be
     * compared) gives the same jobs with the same knobs and reports; the exit code is unknown, so a job without results
     * is abandoned, not failed, and a finished job says it was recovered.
     */
    @Test
    void aRunDirReadAfterItsSupervisorDiedGivesTheSameJobsJudgedByTheirFiles() {
        RunOutcome live = run(Map.of("FAKE_CLOUDAI_FAIL_STEPS", "2"), dseScenario);
        RunOutcome recovered = CloudaiRun.recover(live.runDir(), dseScenario, false, new ReportParser());

        assertThat(recovered.exitCode()).isNull();
        assertThat(recovered.steps()).extracting(StepResult::label)
                .containsExactlyElementsOf(live.steps().stream().map(StepResult::label).toList());
        assertThat(recovered.steps()).extracting(StepResult::knobs)
                .containsExactlyElementsOf(live.steps().stream().map(StepResult::knobs).toList());
        assertThat(recovered.steps()).extracting(s -> report(s, "vllm-bench.json")
                .map(r -> r.get(Metric.THROUGHPUT_TOKENS_PER_SEC)).orElse(null)).containsExactly(1672.0, null, 3208.0);
        for (int i : new int[]{0, 2}) {
            assertThat(recovered.steps().get(i).failure()).isNull();
            assertThat(recovered.steps().get(i).note()).contains("autotune run --recover");
        }
        StepResult unfinished = recovered.steps().get(1);
        assertThat(unfinished.failure().category()).isEqualTo(FailureCategory.ABANDONED);
        assertThat(unfinished.failure().message())
                .startsWith("the autotune runner was killed before this run finished: Job 1002");
    }

    @Test
    void failureIsJudgedFromTheFilesWhenCloudaiSaysNothing() {
        RunOutcome out = run(Map.of("FAKE_CLOUDAI_FAIL_STEPS", "3", "FAKE_CLOUDAI_SILENT_FAILURE", "1"), dseScenario);

        assertThat(out.failure()).isNull();
        Failure f = out.steps().get(2).failure();
        assertThat(f.category()).isEqualTo(FailureCategory.JOB_FAILED);
        assertThat(f.message()).startsWith("vLLM bench log not found in").contains("vllm.dse.1node/0/3")
                .endsWith(" (Slurm job 1003 FAILED, exit code 1:0)");
        // the job's exit code (Slurm's), not cloudai's 0
        assertThat(f.exitCode()).isEqualTo(1);
    }

    @Test
    void aJobThatRanOutOfMemoryIsItsOwnFailureCategoryFromTheServingLog() {
        RunOutcome out = run(Map.of("FAKE_CLOUDAI_FAIL_STEPS", "2", "FAKE_CLOUDAI_FAILURE", "oom"), dseScenario);

        Failure f = out.steps().get(1).failure();
        assertThat(f.category()).isEqualTo(FailureCategory.OUT_OF_MEMORY);
        assertThat(f.message()).startsWith("out of memory: vllm-serve.log: torch.OutOfMemoryError: CUDA out of"
                + " memory. Tried to allocate 2.00 GiB.").contains("; Job 1002 for test vllm.dse.1node failed: ")
                .endsWith(" (Slurm job 1002 FAILED, exit code 1:0)");
        assertThat(f.exitCode()).isEqualTo(1);
        assertThat(out.steps().get(1).details()).containsEntry("slurm.state", "FAILED")
                .containsEntry("slurm.exit_code", "1:0");
        // a job that broke otherwise stays a job failure
        RunOutcome broke = run(Map.of("FAKE_CLOUDAI_FAIL_STEPS", "2"), dseScenario);
        assertThat(broke.steps().get(1).failure().category()).isEqualTo(FailureCategory.JOB_FAILED);
    }

    @Test
    void sweepWhereEveryStepFailsFailsOverall() throws IOException {
        RunOutcome out = run(Map.of("FAKE_CLOUDAI_FAIL_STEPS", "1 2 3"), dseScenario);

        assertThat(out.exitCode()).isZero();
        assertThat(out.failure().category()).isEqualTo(FailureCategory.JOB_FAILED);
        assertThat(out.failure().message()).startsWith("all 3 runs failed; first, vllm.dse.1node/0/1: Job 1001");
        assertThat(log(out)).contains("[autotune] FAILED job_failed: all 3 runs failed");
    }

    @Test
    void sglangAndDynamoWorkloadsAreParsedAndJudged() {
        RunOutcome sglang = run(Map.of("FAKE_CLOUDAI_WORKLOAD", "sglang"), singleScenario);
        assertThat(sglang.failure()).isNull();
        assertThat(sglang.steps().get(0).reports()).extracting(r -> r.path().getFileName().toString())
                .containsExactly("sglang-bench.jsonl", "sglang-semantic-eval.log");
        assertThat(sglang.steps().get(0).reports().get(0).get(Metric.REQUEST_THROUGHPUT)).isEqualTo(2400.0);
        assertThat(sglang.steps().get(0).reports().get(1).get(Metric.ACCURACY)).isEqualTo(0.945);

        RunOutcome dynamo = run(Map.of("FAKE_CLOUDAI_WORKLOAD", "aidynamo"), singleScenario);
        assertThat(dynamo.failure()).isNull();
        assertThat(dynamo.steps().get(0).reports()).extracting(r -> r.path().getFileName().toString())
                .containsExactly("aiperf_report.csv", "accuracy_results.csv");
        // genai-perf did not run (workloads = "aiperf.sh"): its args are no knob of the run
        assertThat(dynamo.steps().get(0).knobs()).containsKey("workloads")
                .doesNotContainKey("genai_perf.args.concurrency");

        RunOutcome dynamoFailed = run(Map.of("FAKE_CLOUDAI_WORKLOAD", "aidynamo", "FAKE_CLOUDAI_FAIL_STEPS", "1",
                "FAKE_CLOUDAI_SILENT_FAILURE", "1"), singleScenario);
        assertThat(dynamoFailed.failure().category()).isEqualTo(FailureCategory.JOB_FAILED);
        assertThat(dynamoFailed.failure().message()).startsWith("Failure marker found:")
                .endsWith("worker exited with code 1 (Slurm job 1001 FAILED, exit code 1:0)");
    }

    @Test
    void iterationsAreSeparateRuns() throws IOException {
        Path scenario = tmp.resolve("in/iter.toml");
        Files.writeString(scenario, Files.readString(singleScenario).replace("test_name = \"vllm\"",
                "test_name = \"vllm\"\niterations = 2"));
        RunOutcome out = run(Map.of(), scenario);

        assertThat(out.failure()).isNull();
        assertThat(out.steps()).extracting(StepResult::label).containsExactly("vllm.agg.a/0", "vllm.agg.a/1");
        assertThat(out.steps()).extracting(StepResult::step).containsOnlyNulls();
        assertThat(term()).containsPattern("running test vllm.agg.a iteration 2\\n");
    }

    @Test
    void dryRunSucceedsWithoutReports() throws IOException {
        RunOutcome out = newRun(Map.of(), dseScenario, Duration.ofSeconds(60), true).execute();

        assertThat(out.failure()).isNull();
        assertThat(out.steps()).hasSize(3);
        assertThat(out.steps()).allSatisfy(s -> assertThat(s.reports()).isEmpty());
        assertThat(out.steps()).extracting(s -> s.knobs().get("decode.max_num_batched_tokens"))
                .containsExactly(1024L, 2048L, 4096L);
        assertThat(log(out)).contains("[INFO] Initializing Runner [DRY-RUN] mode").contains("(dry-run)");
    }

    @Test
    void resultsDirIsFoundByScanningWhenCloudaiDoesNotAnnounceIt() {
        RunOutcome out = run(Map.of("FAKE_CLOUDAI_NO_RESULTS_LINE", "1"), plainScenario);

        assertThat(out.failure()).isNull();
        assertThat(out.resultsDir().getFileName().toString()).startsWith("vllm-plain_");
        assertThat(out.steps()).hasSize(2);
    }

    // ------------------------------------------------------------------ failures, one per category

    @Test
    void jobFailureExitsZeroButIsJobFailedWithCloudaisMessage() throws IOException {
        RunOutcome out = run(Map.of("FAKE_CLOUDAI_MODE", "job_failure"), singleScenario);

        assertThat(out.exitCode()).isZero();
        assertThat(out.failure().category()).isEqualTo(FailureCategory.JOB_FAILED);
        assertThat(out.failure().message()).startsWith("Job 1001 for test vllm.agg.a failed: vLLM bench log not found in ")
                .endsWith("vllm.agg.a/0. (Slurm job 1001 FAILED, exit code 1:0)");
        assertThat(out.failure().exitCode()).isZero();
        assertThat(log(out)).contains("[ERROR] Job 1001 for test vllm.agg.a failed:")
                .contains("[autotune] FAILED job_failed: Job 1001 for test vllm.agg.a failed: vLLM bench log");
        assertThat(out.resultsDir().resolveSibling(out.resultsDir().getFileName() + ".tgz")).isRegularFile();
    }

    @Test
    void jobFailureMarksTheTerminatedTestAsFailedToo() {
        RunOutcome out = run(Map.of("FAKE_CLOUDAI_MODE", "job_failure"), plainScenario);

        assertThat(out.failure().category()).isEqualTo(FailureCategory.JOB_FAILED);
        assertThat(out.failure().message()).startsWith("all 2 runs failed; first, vllm.agg.a/0: Job 1001");
        assertThat(out.steps().get(1).failure().message())
                .startsWith("cloudai terminated job 1002 for test vllm.agg.b");
    }

    @Test
    void missingInputFileIsAUsageError() throws IOException {
        RunOutcome out = run(Map.of(), tmp.resolve("in/does-not-exist.toml"));

        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.failure().category()).isEqualTo(FailureCategory.USAGE_ERROR);
        assertThat(out.failure().message()).isEqualTo("cloudai rejected its arguments (exit 2): Invalid value for"
                + " '--test-scenario': Path '" + tmp.resolve("in/does-not-exist.toml") + "' does not exist.");
        assertThat(out.steps()).isEmpty();
        assertThat(log(out)).contains("Usage: cloudai run [OPTIONS]").contains("[autotune] FAILED usage_error:");
    }

    @Test
    void unknownOptionIsAUsageError() {
        RunOutcome out = run(Map.of("FAKE_CLOUDAI_MODE", "usage"), plainScenario);

        assertThat(out.failure()).isEqualTo(new Failure(FailureCategory.USAGE_ERROR,
                "cloudai rejected its arguments (exit 2): No such option: --mode", 2));
    }

    @Test
    void missingTestIsAConfigError() throws IOException {
        RunOutcome out = run(Map.of("FAKE_CLOUDAI_MODE", "config_error"), plainScenario);

        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.failure().category()).isEqualTo(FailureCategory.CONFIG_ERROR);
        // the lines after the first belong to the same error (Python's logging does not prefix them)
        assertThat(out.failure().message()).startsWith("cloudai exited 1: Test 'no_such_test' is not defined."
                + " | Please check: | 1. The tests directory argument (--tests-dir) is set correctly | 2.");
        assertThat(log(out)).contains("[autotune] FAILED config_error: cloudai exited 1: Test 'no_such_test'");
    }

    @Test
    void aValidationErrorKeepsTheLineThatNamesTheField() {
        RunOutcome out = run(Map.of("FAKE_CLOUDAI_MODE", "validation_error"), plainScenario);

        assertThat(out.failure().category()).isEqualTo(FailureCategory.CONFIG_ERROR);
        assertThat(out.failure().message()).startsWith("cloudai exited 1: Failed to parse test spec: '")
                .contains("vllm.toml' | bench_cmd_args.max_concurrency with value \"sixteen\" is invalid: Input should"
                        + " be a valid integer");

        RunOutcome install = run(Map.of("FAKE_CLOUDAI_MODE", "install_failure"), plainScenario);
        assertThat(install.failure().message()).isEqualTo("cloudai exited 1: Failed to install workloads components."
                + " | Required binary 'srun' is not installed.");
    }

    @Test
    void invalidScenarioTomlIsAConfigError() throws IOException {
        Path bad = tmp.resolve("in/bad.toml");
        Files.writeString(bad, "this is [not toml\n");
        RunOutcome out = run(Map.of(), bad);

        assertThat(out.failure().category()).isEqualTo(FailureCategory.CONFIG_ERROR);
        assertThat(out.failure().message()).startsWith("cloudai exited 1: Failed to parse test scenario '")
                .contains("bad.toml");
    }

    @Test
    void missingBinaryIsALaunchFailure() throws IOException {
        RunOutcome out = newRun(tmp.resolve("nowhere/cloudai").toString(), plainScenario, null, false).execute();

        assertThat(out.exitCode()).isNull();
        assertThat(out.failure().category()).isEqualTo(FailureCategory.LAUNCH_FAILED);
        assertThat(out.failure().message()).contains("nowhere/cloudai does not exist");
        assertThat(log(out)).contains("[autotune] FAILED launch_failed: cloudai executable");

        RunOutcome notOnPath = newRun("cloudai-not-installed-anywhere-42", plainScenario, null, false).execute();
        assertThat(notOnPath.failure().category()).isEqualTo(FailureCategory.LAUNCH_FAILED);
        assertThat(notOnPath.failure().message()).contains("'cloudai-not-installed-anywhere-42' not found on PATH");
    }

    @Test
    void nonExecutableBinaryIsALaunchFailure() throws IOException {
        Path plain = tmp.resolve("plainfile/cloudai");
        Files.createDirectories(plain.getParent());
        Files.writeString(plain, "#!/bin/sh\nexit 0\n");
        RunOutcome out = newRun(plain.toString(), plainScenario, null, false).execute();

        assertThat(out.failure().category()).isEqualTo(FailureCategory.LAUNCH_FAILED);
        assertThat(out.failure().message()).contains("is not executable");
    }

    @Test
    void crashIsJobFailedWithTheSignal() {
        RunOutcome out = run(Map.of("FAKE_CLOUDAI_MODE", "crash"), plainScenario);

        assertThat(out.exitCode()).isEqualTo(137);
        assertThat(out.failure().category()).isEqualTo(FailureCategory.JOB_FAILED);
        assertThat(out.failure().message()).startsWith("cloudai crashed with exit code 137 (killed by signal 9)");
    }

    @Test
    void garbageReportIsUnreadableAndGarbageOutputIsLoggedSafely() throws IOException {
        RunOutcome out = run(Map.of("FAKE_CLOUDAI_MODE", "garbage"), singleScenario);

        assertThat(out.exitCode()).isZero();
        assertThat(out.failure().category()).isEqualTo(FailureCategory.UNREADABLE_REPORT);
        StepResult s = out.steps().get(0);
        assertThat(s.failure().category()).isEqualTo(FailureCategory.UNREADABLE_REPORT);
        assertThat(s.failure().message()).contains("vllm-bench.json");
        assertThat(s.reports()).extracting(r -> r.path().getFileName().toString()).containsExactly("vllm-gsm8k.json");
        List<String> lines = Files.readAllLines(out.logFile(), StandardCharsets.UTF_8);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(CloudaiRun.MAX_LINE));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("garbage "));
        assertThat(String.join("", lines)).contains("x".repeat(100_000));
    }

    @Test
    void successfulJobWithoutReportFilesIsNoReport() throws IOException {
        RunOutcome out = run(Map.of("FAKE_CLOUDAI_MODE", "no_report"), singleScenario);

        assertThat(out.failure().category()).isEqualTo(FailureCategory.NO_REPORT);
        assertThat(out.failure().message()).startsWith("no report file in ").contains("vllm.agg.a/0");
        assertThat(log(out)).contains("[autotune] FAILED no_report: no report file in");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void timeoutKillsTheWholeProcessTree(boolean cloudaiIgnoresSigterm) throws Exception {
        Path pids = tmp.resolve("pids.txt");
        Map<String, String> env = new HashMap<>(Map.of("FAKE_CLOUDAI_MODE", "slow",
                "FAKE_CLOUDAI_PIDFILE", pids.toString()));
        if (cloudaiIgnoresSigterm) {
            env.put("FAKE_CLOUDAI_IGNORE_TERM", "1");
        }
        long t0 = System.nanoTime();
        RunOutcome out = newRun(env, plainScenario, Duration.ofSeconds(6), false).execute();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);

        assertThat(out.failure().category()).isEqualTo(FailureCategory.TIMEOUT);
        assertThat(out.failure().message()).startsWith("timed out: cloudai still ran after 6 s while running test vllm.agg.a");
        assertThat(seconds).isLessThan(25);
        assertAllDead(pids);
        assertThat(log(out)).contains("[autotune] FAILED timeout: timed out");
        if (!cloudaiIgnoresSigterm) {
            assertThat(log(out)).contains("Signal 15 received, shutting down...");
        }
        assertThat(out.steps()).singleElement().satisfies(s ->
                assertThat(s.failure().category()).isEqualTo(FailureCategory.TIMEOUT));
    }

    /** A four-step sweep on the (emulated) Slurm system whose cloudai keeps submitting after SIGTERM. */
    private Path fourStepSweep() throws IOException {
        return Files.writeString(tmp.resolve("in/vllm_dse4.toml"), """
                name = "vllm-dse4"

                [[Tests]]
                id = "vllm.dse"
                test_name = "vllm"
                num_nodes = 1

                  [Tests.cmd_args.decode]
                  max_num_batched_tokens = [1024, 2048, 4096, 8192]
                """);
    }

    @Test
    void noJobStartsAfterTheTimeLimitEveryLateJobIsCancelledAndNotRun() throws Exception {
        options = new CloudaiRun.Options(Duration.ofSeconds(30), Duration.ofSeconds(8), Duration.ofSeconds(2),
                fake.scancel().toString());
        RunOutcome out = newRun(Map.of("FAKE_CLOUDAI_HANG_RUN", "2", "FAKE_CLOUDAI_HANG_AFTER_RESULTS", "1",
                "FAKE_CLOUDAI_TERM_CONTINUES", "1", "FAKE_CLOUDAI_PIDFILE", tmp.resolve("pids.txt").toString()),
                fourStepSweep(), Duration.ofSeconds(6), false).execute();

        assertThat(out.failure().category()).isEqualTo(FailureCategory.TIMEOUT);
        assertThat(out.failure().message()).contains("while running test vllm.dse step 2/4")
                .endsWith("; 2 jobs it started after that not run");
        assertThat(out.steps()).extracting(StepResult::step).containsExactly(1, 2, 3, 4);
        // finished long before the limit: its own verdict, no note about the stop
        StepResult first = out.steps().get(0);
        assertThat(first.failure()).isNull();
        assertThat(first.note()).isNull();
        // the job running at the limit had written its results: completed, with the note
        StepResult atLimit = out.steps().get(1);
        assertThat(atLimit.failure()).isNull();
        assertThat(atLimit.note()).isEqualTo("cloudai was stopped at the time limit after this job had written its"
                + " results");
        // submitted inside the grace period: cancelled, not run, whatever results they left
        for (int i = 2; i < 4; i++) {
            StepResult late = out.steps().get(i);
            assertThat(late.failure().category()).isEqualTo(FailureCategory.CANCELLED);
            assertThat(late.failure().message()).isEqualTo("not run: cloudai started this job after the time limit;"
                    + " Slurm job " + (1001 + i) + " cancelled by autotune (scancel)");
            assertThat(late.reports()).isEmpty();
            assertThat(late.note()).isNull();
        }
        // cloudai cancelled the job it ran at the limit; autotune every job cloudai submitted after it
        assertThat(fake.cancelled()).containsExactly("1002", "1003", "1004");
        assertThat(log(out)).contains("[autotune] cancelled Slurm jobs 1003, 1004, which cloudai submitted after it"
                + " was told to stop (scancel)");
    }

    @Test
    void aLateJobStillPendingWhenCloudaiIsKilledIsCancelled() throws Exception {
        options = new CloudaiRun.Options(Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(2),
                fake.scancel().toString());
        RunOutcome out = newRun(Map.of("FAKE_CLOUDAI_HANG_RUN", "2 3", "FAKE_CLOUDAI_TERM_CONTINUES", "1",
                "FAKE_CLOUDAI_PIDFILE", tmp.resolve("pids.txt").toString()), fourStepSweep(), Duration.ofSeconds(6),
                false).execute();

        assertThat(out.failure().category()).isEqualTo(FailureCategory.TIMEOUT);
        assertThat(out.steps()).extracting(StepResult::step).containsExactly(1, 2, 3);
        assertThat(out.steps().get(0).failure()).isNull();
        assertThat(out.steps().get(1).failure().category()).isEqualTo(FailureCategory.TIMEOUT);
        assertThat(out.steps().get(2).failure().message()).isEqualTo("not run: cloudai started this job after the"
                + " time limit; Slurm job 1003 cancelled by autotune (scancel)");
        assertThat(fake.cancelled()).containsExactly("1002", "1003");
        assertAllDead(tmp.resolve("pids.txt"));
    }

    @Test
    void aLateJobThatCannotBeCancelledSaysHowToCancelItByHand() throws Exception {
        options = new CloudaiRun.Options(Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(2),
                tmp.resolve("no/scancel").toString());
        RunOutcome out = newRun(Map.of("FAKE_CLOUDAI_HANG_RUN", "2 3", "FAKE_CLOUDAI_TERM_CONTINUES", "1",
                "FAKE_CLOUDAI_PIDFILE", tmp.resolve("pids.txt").toString()), fourStepSweep(), Duration.ofSeconds(6),
                false).execute();

        assertThat(out.steps().get(2).failure().category()).isEqualTo(FailureCategory.CANCELLED);
        assertThat(out.steps().get(2).failure().message()).startsWith("not run: cloudai started this job after the"
                + " time limit; Slurm job 1003 could not be cancelled: ").endsWith("; cancel it by hand");
        assertThat(log(out)).contains("[autotune] could not cancel Slurm job 1003, which cloudai submitted after it"
                + " was told to stop: ").contains("(scancel 1003)");
    }

    @Test
    void interruptFromAnotherThreadStopsCloudaiAndItsChildren() throws Exception {
        Path pids = tmp.resolve("pids.txt");
        CloudaiRun run = newRun(Map.of("FAKE_CLOUDAI_MODE", "slow", "FAKE_CLOUDAI_PIDFILE", pids.toString()),
                plainScenario, null, false);
        CompletableFuture<RunOutcome> future = CompletableFuture.supplyAsync(run::execute);
        Path logFile = tmp.resolve("runs").resolve(String.format("%04d_test", runs)).resolve("stdout.log");
        waitFor(() -> Files.exists(pids) && Files.size(pids) > 0);
        // the log is written as lines arrive, not at the end
        waitFor(() -> Files.readString(logFile).contains("[INFO] Starting test: vllm.agg.a"));

        run.interrupt();
        RunOutcome out = future.get(60, TimeUnit.SECONDS);

        assertThat(out.failure().category()).isEqualTo(FailureCategory.INTERRUPTED);
        assertThat(out.failure().message()).startsWith("interrupted after 00:");
        assertAllDead(pids);
        assertThat(log(out)).contains("[autotune] FAILED interrupted:");
    }

    @Test
    void interruptBeforeExecuteMeansCloudaiNeverStarts() {
        CloudaiRun run = newRun(Map.of(), plainScenario, null, false);
        run.interrupt();
        RunOutcome out = run.execute();

        assertThat(out.failure().category()).isEqualTo(FailureCategory.INTERRUPTED);
        assertThat(out.exitCode()).isNull();
        assertThat(out.runDir().resolve("results")).doesNotExist();
    }

    @Test
    void heartbeatProgressWhileNothingChanges() {
        options = new CloudaiRun.Options(Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(1));
        RunOutcome out = newRun(Map.of("FAKE_CLOUDAI_MODE", "slow",
                "FAKE_CLOUDAI_PIDFILE", tmp.resolve("p.txt").toString()), plainScenario, Duration.ofSeconds(6), false)
                .execute();

        assertThat(out.failure().category()).isEqualTo(FailureCategory.TIMEOUT);
        assertThat(term()).containsPattern("\\[autotune 00:0\\d] still running test vllm.agg.a\\n");
    }

    @Test
    void cloudaiIsCalledWithAnArgumentArrayNeverThroughAShell() throws IOException {
        Path recorder = tmp.resolve("rec/cloudai");
        Path args = tmp.resolve("args.txt");
        Files.createDirectories(recorder.getParent());
        Files.writeString(recorder, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + args + "'\nexit 0\n");
        FakeCloudai.executable(recorder);
        Path weird = tmp.resolve("in/my scenario $(touch PWNED) 'q'.toml");
        Files.copy(plainScenario, weird);
        Path hooks = Files.createDirectories(tmp.resolve("hooks"));
        terminal = new ByteArrayOutputStream();
        Path runDir = tmp.resolve("runs/0001_x");
        RunRequest req = new RunRequest(weird, system, testsDir, hooks, recorder.toString(), null, false, runDir);
        new CloudaiRun(req, new ReportParser(), new PrintStream(terminal), options).execute();

        assertThat(Files.readAllLines(args)).containsExactly(
                "--log-file", runDir.resolve("cloudai-debug.log").toAbsolutePath().toString(),
                "run",
                "--system-config", system.toString(),
                "--test-scenario", weird.toString(),
                "--tests-dir", testsDir.toString(),
                "--hook-dir", hooks.toString(),
                "--output-dir", runDir.resolve("results").toAbsolutePath().toString());
        assertThat(tmp.resolve("in/PWNED")).doesNotExist();

        var pass = new RunRequest.PassThrough(true, true, "DEBUG", List.of("--future-flag", "x y"));
        new CloudaiRun(new RunRequest(weird, system, null, null, recorder.toString(), null, true, runDir, pass),
                new ReportParser(), new PrintStream(terminal), options).execute();
        assertThat(Files.readAllLines(args)).containsExactly(
                "--log-file", runDir.resolve("cloudai-debug.log").toAbsolutePath().toString(),
                "--log-level", "DEBUG",
                "dry-run",
                "--system-config", system.toString(),
                "--test-scenario", weird.toString(),
                "--output-dir", runDir.resolve("results").toAbsolutePath().toString(),
                "--enable-cache-without-check", "--single-sbatch", "--future-flag", "x y");
        assertThat(Path.of("PWNED")).doesNotExist();
    }

    @Test
    void labelOfRunDirPaths() {
        assertThat(RunAnalysis.labelOf("vllm.dse.1node", Path.of("/r/x_2026/vllm.dse.1node/0/3")))
                .isEqualTo("vllm.dse.1node/0/3");
        assertThat(RunAnalysis.labelOf("a", Path.of("results/s/a/1"))).isEqualTo("a/1");
        assertThat(RunAnalysis.labelOf("a", Path.of("results/s/b/1"))).isNull();
        assertThat(CloudaiRun.clock(Duration.ofSeconds(42))).isEqualTo("00:42");
        assertThat(CloudaiRun.clock(Duration.ofSeconds(3725))).isEqualTo("1:02:05");
    }

    // ------------------------------------------------------------------ helpers

    /** Never leave a sleeping grandchild behind, even when a test failed. */
    @AfterEach
    void killLeftovers() throws IOException {
        for (String name : List.of("pids.txt", "p.txt")) {
            Path f = tmp.resolve(name);
            if (Files.exists(f)) {
                for (String pid : Files.readString(f).trim().split("\\s+")) {
                    if (!pid.isEmpty()) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            }
        }
    }

    private static void assertAllDead(Path pidFile) throws Exception {
        String[] pids = Files.readString(pidFile).trim().split("\\s+");
        assertThat(pids).hasSize(2);
        for (String pid : pids) {
            long p = Long.parseLong(pid);
            waitFor(() -> ProcessHandle.of(p).map(h -> !h.isAlive()).orElse(true));
            assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
                    .as("process %s of the fake's tree is still alive", p).isFalse();
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException e) {
                // not there yet
            }
            Thread.sleep(50);
        }
        assertThat(check.ok()).as("condition within 20 s").isTrue();
    }
}
