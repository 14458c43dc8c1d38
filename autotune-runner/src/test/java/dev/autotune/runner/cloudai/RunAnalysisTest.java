package dev.autotune.runner.cloudai;

import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.Metric;
import dev.autotune.runner.report.ReportParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analysis on results directories and console lines alone: no process is started. Directories are built from the
 * real fixture files under {@code cloudai-fixtures/} (see PROVENANCE.md there).
 */
class RunAnalysisTest {
    static final String VLLM = "cloudai-fixtures/extracted_from_tests/vllm/";
    static final String SGLANG = "cloudai-fixtures/extracted_from_tests/sglang/";

    @TempDir
    Path tmp;
    Path out;
    Path root;
    CloudaiOutput output;

    @BeforeEach
    void setUp() throws IOException {
        out = Files.createDirectories(tmp.resolve("results"));
        root = Files.createDirectories(out.resolve("vllm-dse_2026-11-24_22-06-25"));
        output = new CloudaiOutput(tmp);
        lines("[INFO] Scenario results will be stored at: " + root);
    }

    void lines(String... lines) {
        for (String l : lines) {
            output.accept(l);
        }
    }

    /** A run dir: test-run.toml naming the template and its knobs, plus the given fixture files. */
    Path runDir(String label, String template, String decode, String... fixtures) throws IOException {
        Path dir = Files.createDirectories(root.resolve(label));
        if (template != null) {
            Files.writeString(dir.resolve("test-run.toml"), """
                    name = "t"
                    nnodes = 1

                    [test_definition]
                    name = "t"
                    test_template_name = "%s"

                    [test_definition.cmd_args]
                    model = "Qwen/Qwen3-0.6B"

                    [test_definition.cmd_args.decode]
                    %s
                    """.formatted(template, decode));
        }
        for (String f : fixtures) {
            Files.copy(FakeCloudai.resource(f), dir.resolve(Path.of(f).getFileName().toString()));
        }
        return dir;
    }

    void vllmResults(Path dir) throws IOException {
        for (String f : List.of("vllm-bench.json", "vllm-bench.log")) {
            Files.copy(FakeCloudai.resource(VLLM + f), dir.resolve(f));
        }
    }

    RunAnalysis.Result analyze(int exit, RunAnalysis.Stop stop, boolean dryRun) {
        return RunAnalysis.analyze(new RunAnalysis.Input(out, "vllm-dse", dryRun, exit, output, stop),
                new ReportParser());
    }

    static final RunAnalysis.Stop TIMEOUT = new RunAnalysis.Stop(FailureCategory.TIMEOUT,
            "timed out: cloudai still ran after 6 s while running test t step 3/4; stopped cloudai (exit 143)");

    // ------------------------------------------------------------------ 1: a step that hangs keeps its knobs

    @Test
    void aStepStoppedByTheTimeoutKeepsTheKnobsCloudaiAnnouncedForIt() throws IOException {
        Path s1 = runDir("t/0/1", "vllm", "max_num_batched_tokens = 1024");
        vllmResults(s1);
        Files.writeString(root.resolve("t/0/trajectory.csv"), """
                step,action,reward,observation
                1,"{'decode.max_num_batched_tokens': 1024, 'decode.max_num_seqs': 8}",1.0,[1.0]
                """);
        // step 2 hung before it wrote anything, test-run.toml included: only the console said what it was
        Files.createDirectories(root.resolve("t/0/2"));
        lines("[INFO] Running step 1 (of 4) with action {'decode.max_num_batched_tokens': 1024, 'decode.max_num_seqs': 8}",
                "[INFO] Starting test: t (results at: " + root.resolve("t/0/1") + ")",
                "[INFO] Running step 2 (of 4) with action {'decode.max_num_batched_tokens': 1024, 'decode.max_num_seqs': 16}",
                "[INFO] Starting test: t (results at: " + root.resolve("t/0/2") + ")");

        RunAnalysis.Result r = analyze(143, TIMEOUT, false);

        assertThat(r.steps()).hasSize(2);
        StepResult hung = r.steps().get(1);
        assertThat(hung.knobs()).containsEntry("decode.max_num_batched_tokens", 1024L)
                .containsEntry("decode.max_num_seqs", 16L);
        assertThat(hung.failure().category()).isEqualTo(FailureCategory.TIMEOUT);
        assertThat(hung.failure().message()).startsWith("timed out before this run finished");
        assertThat(r.steps().get(0).succeeded()).isTrue();
        assertThat(r.failure().category()).isEqualTo(FailureCategory.TIMEOUT);
    }

    @Test
    void aStepCloudaiAnnouncedButNeverCreatedIsRecordedToo() throws IOException {
        Path s1 = runDir("t/0/1", "vllm", "max_num_batched_tokens = 1024");
        vllmResults(s1);
        lines("[INFO] Running step 1 (of 2) with action {'decode.max_num_batched_tokens': 1024}",
                "[INFO] Starting test: t (results at: " + s1 + ")",
                "[INFO] Running step 2 (of 2) with action {'decode.max_num_batched_tokens': 2048}",
                "[INFO] Starting test: t (results at: " + root.resolve("t/0/2") + ")");

        RunAnalysis.Result r = analyze(143, TIMEOUT, false);

        assertThat(r.steps()).extracting(StepResult::label).containsExactly("t/0/1", "t/0/2");
        assertThat(r.steps().get(1).knobs()).containsEntry("decode.max_num_batched_tokens", 2048L);
        assertThat(r.steps().get(1).failure().category()).isEqualTo(FailureCategory.TIMEOUT);
    }

    // ------------------------------------------------------------------ 2: results written, then the timeout

    @Test
    void aJobThatWroteItsResultsBeforeTheTimeoutSucceedsWithANote() throws IOException {
        Path dir = runDir("t/0", "vllm", "max_num_batched_tokens = 1024");
        vllmResults(dir);
        lines("[INFO] Starting test: t (results at: " + dir + ")");

        RunAnalysis.Result r = analyze(143, TIMEOUT, false);

        StepResult only = r.steps().get(0);
        assertThat(only.succeeded()).isTrue();
        assertThat(only.reports()).isNotEmpty();
        assertThat(only.note()).isEqualTo("cloudai was stopped at the time limit after this job had written its results");
        assertThat(r.failure().category()).isEqualTo(FailureCategory.TIMEOUT);
    }

    @Test
    void detailsNameTheTestIterationAndStep() throws IOException {
        vllmResults(runDir("t/1/2", "vllm", "max_num_batched_tokens = 1024"));

        StepResult s = analyze(0, null, false).steps().get(0);

        assertThat(s.details()).containsEntry("cloudai.test_id", "t").containsEntry("cloudai.iteration", "1")
                .containsEntry("cloudai.step", "2");
        assertThat(s.note()).isNull();
    }

    @Test
    void withSingleSbatchTheJobAndNodesAreFoundAtTheResultsRoot() throws IOException {
        vllmResults(runDir("t/0", "vllm", "max_num_batched_tokens = 1024"));
        Files.copy(FakeCloudai.resource("cloudai-fixtures/real_cli_runs/fake_slurm_vllm_dse/vllm.dse.1node/0/3/slurm-job.toml"),
                root.resolve("slurm-job.toml"));
        Files.createDirectories(root.resolve("metadata"));
        Files.copy(FakeCloudai.resource("fake-cloudai/artifacts/slurm/node-gpu01.toml"),
                root.resolve("metadata/node-gpu01.toml"));

        StepResult s = analyze(0, null, false).steps().get(0);

        assertThat(s.details()).containsEntry("slurm.job_id", "1003").containsEntry("slurm.elapsed_time_sec", "42")
                .containsEntry("node.gpu01.gpu", "NVIDIA H100 80GB HBM3").containsEntry("node.gpu01.os",
                        "ubuntu 24.04.2 LTS (Noble Numbat)")
                .doesNotContainKey("node.gpu01.gpu_count");
    }

    // ------------------------------------------------------------------ 6: every error line cloudai printed

    @Test
    void exitOneKeepsEveryErrorLineCloudaiPrinted() {
        lines("[INFO] Checking if workloads components are installed.",
                "[ERROR] Failed to parse test spec: '/conf/test/vllm.toml'",
                "[ERROR] bench_cmd_args.max_concurrency with value \"sixteen\" is invalid: Input should be a valid integer",
                "[INFO] Installing test templates.",
                "[ERROR] Failed to install workloads components.",
                "Required binary 'srun' is not installed.");

        RunAnalysis.Result r = analyze(1, null, false);

        assertThat(r.failure().category()).isEqualTo(FailureCategory.CONFIG_ERROR);
        assertThat(r.failure().message()).isEqualTo("cloudai exited 1: Failed to parse test spec: '/conf/test/vllm.toml'"
                + " | bench_cmd_args.max_concurrency with value \"sixteen\" is invalid: Input should be a valid integer"
                + " | Failed to install workloads components. | Required binary 'srun' is not installed.");
    }

    @Test
    void aTracebackAfterAnErrorAddsOnlyItsLastLine() {
        lines("[ERROR] Failed to parse test spec: '/conf/test/vllm.toml'",
                "Traceback (most recent call last):",
                "  File \"/x/cloudai/cli.py\", line 10, in main",
                "pydantic_core._pydantic_core.ValidationError: 1 validation error for VllmTestDefinition");

        assertThat(analyze(1, null, false).failure().message())
                .isEqualTo("cloudai exited 1: Failed to parse test spec: '/conf/test/vllm.toml' | pydantic_core."
                        + "_pydantic_core.ValidationError: 1 validation error for VllmTestDefinition");
    }

    @Test
    void aRunawayErrorStreamIsCut() {
        for (int i = 0; i < 100; i++) {
            lines("[ERROR] problem " + i);
        }
        assertThat(analyze(1, null, false).failure().message()).contains("problem 19").doesNotContain("problem 20");
    }

    // ------------------------------------------------------------------ 4: accuracy per workload, from its own file

    @Test
    void sglangAccuracyComesFromItsSemanticEvalLogAndNeverFromAStrayVllmFile() throws IOException {
        Path dir = runDir("t/0", "sglang", "", SGLANG + "sglang-bench.jsonl", SGLANG + "sglang-semantic-eval.log",
                VLLM + "vllm-gsm8k.json");

        StepResult s = analyze(0, null, false).steps().get(0);

        assertThat(s.succeeded()).isTrue();
        assertThat(s.reports()).extracting(r -> r.path().getFileName().toString())
                .containsExactly("sglang-bench.jsonl", "sglang-semantic-eval.log");
        assertThat(s.reports().get(1).get(Metric.ACCURACY)).isEqualTo(0.945);
        assertThat(dir.resolve("vllm-gsm8k.json")).exists();
    }

    @Test
    void onlyTheAccuracyIsReadFromAnEvalLogNeverItsOtherLines() throws IOException {
        Path dir = runDir("t/0", "sglang", "", SGLANG + "sglang-bench.jsonl");
        Files.writeString(dir.resolve("sglang-semantic-eval.log"), "Mean TTFT (ms): 999.0\nTotal latency: 31.2 s\n"
                + "Score: 0.945\n");

        StepResult s = analyze(0, null, false).steps().get(0);

        assertThat(s.reports().get(1).metrics()).containsOnlyKeys(Metric.ACCURACY);
        assertThat(s.reports().get(1).get(Metric.ACCURACY)).isEqualTo(0.945);
    }

    @Test
    void vllmAccuracyFallsBackToTheSemanticEvalLog() throws IOException {
        Path dir = runDir("t/0", "vllm", "", VLLM + "vllm-semantic-eval.log");
        vllmResults(dir);

        StepResult s = analyze(0, null, false).steps().get(0);

        assertThat(s.reports()).extracting(r -> r.path().getFileName().toString())
                .containsExactly("vllm-bench.json", "vllm-semantic-eval.log");
        assertThat(s.reports().get(1).get(Metric.ACCURACY)).isNotNull();
    }

    // ------------------------------------------------------------------ 12: dry-run writes the tarball too

    @Test
    void theTarballOfADryRunIsNoSignOfFailure() throws IOException {
        runDir("t/0", "vllm", "max_num_batched_tokens = 1024");
        Files.writeString(root.resolveSibling(root.getFileName() + ".tgz"), "");

        RunAnalysis.Result dry = analyze(0, null, true);
        assertThat(dry.failure()).isNull();
        assertThat(dry.steps().get(0).succeeded()).isTrue();
        assertThat(dry.diagnostics()).noneMatch(d -> d.contains(".tgz"));
    }

    @Test
    void whenCloudaiExitsOneAfterStartingAJobTheJobSaysWhy() throws IOException {
        Path dir = runDir("t/0", "vllm", "max_num_batched_tokens = 1024");
        lines("[INFO] Starting test: t (results at: " + dir + ")",
                "[ERROR] Failed to submit job: sbatch: error: invalid partition specified: gpu");

        RunAnalysis.Result r = analyze(1, null, false);

        Failure f = r.steps().get(0).failure();
        assertThat(f.category()).isEqualTo(FailureCategory.CONFIG_ERROR);
        assertThat(f.message()).startsWith("cloudai exited 1: Failed to submit job: sbatch: error: invalid partition"
                + " specified: gpu (this job: vLLM bench log not found");
    }

    // ------------------------------------------------------------------ 11: AIPerf phases

    @Test
    void eachAiperfPhaseIsAMeasurementWithItsNameAndArgs() throws IOException {
        Path dir = Files.createDirectories(root.resolve("t/0"));
        Files.writeString(dir.resolve("test-run.toml"), """
                name = "t"
                nnodes = 1

                [test_definition]
                name = "t"
                test_template_name = "AIDynamo"

                [test_definition.cmd_args]
                workloads = "aiperf.sh"

                [test_definition.cmd_args.aiperf.args]
                concurrency = 2

                [[test_definition.cmd_args.aiperf_phases]]
                name = "round_1"
                [test_definition.cmd_args.aiperf_phases.args]
                concurrency = 2

                [[test_definition.cmd_args.aiperf_phases]]
                name = "round_2"
                report-name = "second.csv"
                [test_definition.cmd_args.aiperf_phases.args]
                concurrency = 4
                request-count = 50
                """);
        Path csv = FakeCloudai.resource("cloudai-fixtures/extracted_from_tests/ai_dynamo/aiperf_report.csv");
        Files.copy(csv, dir.resolve("aiperf_round_1_report.csv"));
        Files.copy(csv, dir.resolve("second.csv"));
        Files.copy(csv, dir.resolve("aiperf_report.csv"));
        Files.copy(FakeCloudai.resource("cloudai-fixtures/extracted_from_tests/ai_dynamo/accuracy_results.csv"),
                dir.resolve("accuracy_results.csv"));
        Files.writeString(dir.resolve("success-marker.txt"), "");

        StepResult s = analyze(0, null, false).steps().get(0);

        assertThat(s.succeeded()).isTrue();
        assertThat(s.phases()).extracting(StepResult.Phase::name).containsExactly("round_1", "round_2");
        assertThat(s.phases().get(1).knobs()).containsEntry("aiperf_phase", "round_2")
                .containsEntry("aiperf.args.concurrency", 4L).containsEntry("aiperf.args.request-count", 50L);
        assertThat(s.phases().get(1).report().path().getFileName().toString()).isEqualTo("second.csv");
        assertThat(s.phases().get(0).report().get(Metric.THROUGHPUT_TOKENS_PER_SEC)).isEqualTo(595.68);
        assertThat(s.reports()).extracting(r -> r.get(Metric.ACCURACY)).contains(0.35);
    }
}
