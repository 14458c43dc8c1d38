package dev.autotune.runner.cloudai;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadsAndResultsTest {
    @TempDir
    Path tmp;

    private static TomlTable td(String toml) {
        return Toml.parse(toml);
    }

    private Path dir(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    @Test
    void vllmSuccessNeedsTheBannerAndSuccessfulRequests() throws IOException {
        Path d = dir("v");
        assertThat(Workloads.judge("vllm", null, d)).startsWith("vLLM bench log not found in " + d);
        Files.writeString(d.resolve("vllm-bench.log"), "Successful requests: 30\n");
        assertThat(Workloads.judge("vllm", null, d)).contains("has no 'Serving Benchmark Result' banner");
        Files.writeString(d.resolve("vllm-bench.log"), Workloads.VLLM_BANNER + "\nSuccessful requests:   0\n");
        assertThat(Workloads.judge("vllm", null, d)).endsWith("reports 0 successful requests");
        Files.writeString(d.resolve("vllm-bench.log"), Files.readString(FakeCloudai.resource(
                "cloudai-fixtures/extracted_from_tests/vllm/vllm-bench.log")));
        assertThat(Workloads.judge("vllm", null, d)).isNull();
        // semantic eval configured: the accuracy must be there too
        TomlTable withEval = td("[semantic_eval_cmd_args]\nentrypoint = \"x\"\n");
        assertThat(Workloads.judge("vllm", withEval, d)).startsWith("vLLM semantic accuracy not found");
        Files.writeString(d.resolve("vllm-semantic-eval.log"), "Accuracy: 0.742\n");
        assertThat(Workloads.judge("vllm", withEval, d)).isNull();
        // without a template, the files tell the workload
        assertThat(Workloads.kind(null, d)).isEqualTo("vllm");
    }

    @Test
    void sglangNeedsCompletedRequests() throws IOException {
        Path d = dir("s");
        assertThat(Workloads.judge("sglang", null, d)).startsWith("SGLang bench output not found");
        Files.writeString(d.resolve("sglang-bench.jsonl"), "not json\n{\"completed\": 0}\n");
        assertThat(Workloads.judge("sglang", null, d)).contains("does not contain successful requests (completed=0)");
        // SGLang's default request rate is infinite, and Python's json writes it as a bare Infinity
        Files.writeString(d.resolve("sglang-bench.jsonl"), "{\"request_rate\": Infinity, \"completed\": 48}\n");
        assertThat(Workloads.judge("sglang", null, d)).isNull();
        Files.copy(FakeCloudai.resource("cloudai-fixtures/extracted_from_tests/sglang/sglang-bench.jsonl"),
                d.resolve("sglang-bench.jsonl"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(Workloads.judge("sglang", null, d)).isNull();
        assertThat(Workloads.judge("sglang", td("[semantic_eval_cmd_args]\n"), d))
                .startsWith("SGLang semantic accuracy not found");
    }

    @Test
    void dynamoNeedsMarkersAndEveryWorkloadReport() throws IOException {
        Path d = dir("a");
        TomlTable both = td("[cmd_args]\nworkloads = \"aiperf.sh,genai_perf.sh\"\n[cmd_args.aiperf_accuracy]\n");
        assertThat(Workloads.judge("AIDynamo", both, d)).startsWith("Success marker file not found: ");
        Files.writeString(d.resolve("success-marker.txt"), "");
        assertThat(Workloads.judge("AIDynamo", both, d))
                .endsWith(": aiperf_report.csv, genai_perf_report.csv");
        Files.writeString(d.resolve("aiperf_report.csv"), "Metric,avg\n");
        Files.writeString(d.resolve("genai_perf_report.csv"), "Metric,avg\n");
        assertThat(Workloads.judge("AIDynamo", both, d)).startsWith("AIPerf accuracy results");
        Files.createDirectories(d.resolve("aiperf_artifacts"));
        Files.writeString(d.resolve("aiperf_artifacts/accuracy_results.csv"), "Task,Correct,Total,Accuracy\n");
        assertThat(Workloads.judge("AIDynamo", both, d)).isNull();
        assertThat(Workloads.reportFiles("AIDynamo", both, d, new ReadBoundary(d))).extracting(f -> d.relativize(f.path()).toString())
                .containsExactly("aiperf_report.csv", "genai_perf_report.csv", "aiperf_artifacts/accuracy_results.csv");
        Files.writeString(d.resolve("failure-marker.txt"), "\nprefill worker died\nmore\n");
        assertThat(Workloads.judge("AIDynamo", both, d)).startsWith("Failure marker found: ")
                .endsWith(": prefill worker died");
        assertThat(Workloads.judge("Sleep", null, d)).isNull();
    }

    @Test
    void resultsRootIsTheAnnouncedDirElseTheNewestForTheScenario() throws IOException {
        Path out = dir("out");
        Path older = Files.createDirectories(out.resolve("vllm-dse_2026-01-01_00-00-00"));
        Path newer = Files.createDirectories(out.resolve("vllm-dse_2026-02-01_00-00-00"));
        Path other = Files.createDirectories(out.resolve("other_2027-01-01_00-00-00"));
        Files.createDirectories(out.resolve("not-a-root"));
        Files.setLastModifiedTime(older, FileTime.fromMillis(System.currentTimeMillis() + 100_000));

        assertThat(ResultsScanner.findRoot(out, null, "vllm-dse")).isEqualTo(FsUtil.canon(newer));
        assertThat(ResultsScanner.findRoot(out, older, "vllm-dse")).isEqualTo(FsUtil.canon(older));
        assertThat(ResultsScanner.findRoot(out, out.resolve("gone"), "vllm-dse")).isEqualTo(FsUtil.canon(newer));
        assertThat(ResultsScanner.findRoot(out, null, "unknown")).isEqualTo(FsUtil.canon(other));
        assertThat(ResultsScanner.findRoot(tmp.resolve("none"), null, "x")).isNull();
    }

    @Test
    void runDirsInCloudaiOrderIterationsAndStepsNumerically() throws IOException {
        Path root = dir("root");
        for (String p : List.of("b/0", "b/1", "a/0/1", "a/0/2", "a/0/10", "metadata", "c/0/pre_test/x")) {
            Files.createDirectories(root.resolve(p));
        }
        Files.writeString(root.resolve("s.html"), "");
        List<ResultsScanner.RunDir> dirs = ResultsScanner.runDirs(root, List.of("b", "a"));
        assertThat(dirs).extracting(d -> d.testId() + "/" + d.iteration() + "/" + d.step())
                .containsExactly("b/0/null", "b/1/null", "a/0/1", "a/0/2", "a/0/10", "c/0/null");
    }

    @Test
    void runDirsAreNumberedAndNeverReused() throws IOException {
        Path runs = tmp.resolve("runs");
        LocalDateTime t = LocalDateTime.of(2026, 11, 24, 22, 6, 25);
        Path first = RunDirs.allocate(runs, "vllm-dse", t);
        Path second = RunDirs.allocate(runs, "vllm dse/../x", t);
        Files.createDirectories(runs.resolve("0041_old_2026-01-01_00-00-00"));
        Path third = RunDirs.allocate(runs, null, t);

        assertThat(first.getFileName().toString()).isEqualTo("0001_vllm-dse_2026-11-24_22-06-25");
        assertThat(second.getFileName().toString()).isEqualTo("0002_vllm-dse-..-x_2026-11-24_22-06-25");
        assertThat(third.getFileName().toString()).isEqualTo("0042_scenario_2026-11-24_22-06-25");
        assertThat(List.of(first, second, third)).allSatisfy(p -> assertThat(p).isDirectory());
    }

    @Test
    void executablesAreFoundLikeAShellWould() throws IOException {
        Path bin = dir("bin");
        Path exe = bin.resolve("cloudai");
        Files.writeString(exe, "#!/bin/sh\n");
        assertThat(Executables.resolve("cloudai", bin.toString()).problem()).contains("not found on PATH")
                .contains("git clone https://github.com/NVIDIA/cloudai.git").contains("pip install -e .");
        FakeCloudai.executable(exe);
        assertThat(Executables.resolve("cloudai", "/nonexistent:" + bin).path()).isEqualTo(exe.toAbsolutePath());
        assertThat(Executables.resolve(exe.toString(), "").path()).isEqualTo(exe.toAbsolutePath());
        assertThat(Executables.resolve(bin.toString(), "").problem()).endsWith("is a directory");
        assertThat(Executables.resolve("", "").problem()).isEqualTo("no cloudai executable given");
    }
}
