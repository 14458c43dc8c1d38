package dev.autotune.api.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.autotune.api.cli.AutotuneProcess.REPO;
import static dev.autotune.api.cli.AutotuneProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * `autotune run` on the real jar over a stand-in cloudai: one run end to end, and what needs a real runner process
 * (SIGTERM, kill -9, a hanging job killed at the time limit). Every other outcome of a run is {@link RunCliTest}, in
 * process.
 */
class RunIT {
    static final Path RESOURCES = REPO.resolve("autotune-runner/src/test/resources");
    static final Path FAKE = RESOURCES.resolve("fake-cloudai/cloudai");
    static final Path TESTS = RESOURCES.resolve("cloudai-conf/experimental/vllm/test");
    static final Path SYSTEM = RESOURCES.resolve("cloudai-conf/common/system/standalone_system.toml");
    static final Path SWEEP = RESOURCES.resolve("cloudai-fixtures/real_cli_runs/fake_slurm_vllm_dse/inputs/vllm_dse.toml");

    @TempDir
    Path dir;
    Path scenario;

    @BeforeEach
    void oneTestScenario() throws Exception {
        scenario = oneTestScenario(dir);
    }

    /** One vLLM test on one node, as agg.toml in {@code dir}. */
    static Path oneTestScenario(Path dir) throws Exception {
        assertThat(FAKE).isExecutable();
        return Files.writeString(dir.resolve("agg.toml"), """
                name = "vllm-agg"

                [[Tests]]
                id = "vllm.agg.1node"
                test_name = "vllm"
                num_nodes = 1

                  [Tests.cmd_args.decode]
                  tensor_parallel_size = 4
                  max_num_batched_tokens = 1024
                """);
    }

    private AutotuneProcess.Result autotuneRun(Map<String, String> env, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", scenario.toString(), "--system-config", SYSTEM.toString(),
                "--tests-dir", TESTS.toString(), "--cloudai-bin", FAKE.toString()));
        args.addAll(List.of(extra));
        return run(dir, env, args.toArray(String[]::new));
    }

    private String showJson(String id) {
        return run(dir, "show", id, "--json").out();
    }

    // ------------------------------------------------------------------ issue 11: what the real CloudAI did

    /** Two knobs swept two by two, as sweep.toml in {@code dir}. */
    static Path sweep2x2(Path dir) throws Exception {
        return Files.writeString(dir.resolve("sweep.toml"), """
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

    private static void waitFor(Path file) throws InterruptedException {
        for (int i = 0; i < 600 && !(Files.exists(file) && sizeOf(file) > 0); i++) {
            Thread.sleep(100);
        }
        assertThat(file).exists();
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    static List<Path> runDirs(Path dir) throws Exception {
        try (var s = Files.list(dir.resolve("runs"))) {
            return s.sorted().toList();
        }
    }

    static Path onlyRunDir(Path dir) {
        try {
            List<Path> dirs = runDirs(dir);
            assertThat(dirs).hasSize(1);
            return dirs.get(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSuccessfulRunIsRecordedWithItsMetricsAndLog() {
        var r = autotuneRun(Map.of("FAKE_CLOUDAI_MODE", "success"), "--set", "serving.batch_size=4");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("[autotune] experiment 1 running").contains("recorded experiment 1");
        String show = showJson("1");
        assertThat(show).contains("\"status\" : \"completed\"").contains("\"source\" : \"run\"")
                .contains("\"throughput_tokens_per_sec\"").contains("\"decode.max_num_batched_tokens\" : 1024")
                .contains("\"serving.batch_size\" : 4").contains("vllm-bench.json");
        Path log = onlyRunDir(dir).resolve("stdout.log");
        assertThat(log).exists();
    }

    @Test
    void sigtermStopsCloudaiAndRecordsTheInterruption() throws Exception {
        Path pids = dir.resolve("pids.txt");
        Process autotune = AutotuneProcess.start(dir, Map.of("FAKE_CLOUDAI_MODE", "slow",
                        "FAKE_CLOUDAI_PIDFILE", pids.toString()), "run", scenario.toString(), "--system-config",
                SYSTEM.toString(), "--tests-dir", TESTS.toString(), "--cloudai-bin", FAKE.toString());
        waitFor(pids);
        long grandchild = Long.parseLong(Files.readString(pids).trim().split("\\s+")[1]);
        autotune.destroy();
        assertThat(autotune.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(autotune.exitValue()).isEqualTo(1);
        assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(showJson("1")).contains("\"category\" : \"interrupted\"");
    }

    @Test
    void aRunnerKilledHardIsRecordedAsAbandonedByTheNextCommand() throws Exception {
        Path pids = dir.resolve("pids.txt");
        Process autotune = AutotuneProcess.start(dir, Map.of("FAKE_CLOUDAI_MODE", "slow",
                        "FAKE_CLOUDAI_PIDFILE", pids.toString()), "run", scenario.toString(), "--system-config",
                SYSTEM.toString(), "--tests-dir", TESTS.toString(), "--cloudai-bin", FAKE.toString());
        waitFor(pids);
        assertThat(run(dir, "list").out()).contains("running");
        autotune.destroyForcibly();
        autotune.waitFor(30, TimeUnit.SECONDS);
        String[] orphans = Files.readString(pids).trim().split("\\s+");
        var list = run(dir, "list");
        assertThat(list.out()).contains("abandoned").doesNotContain("running");
        assertThat(showJson("1")).contains("is gone");
        for (String pid : orphans) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aTimeoutRecordsEveryStepThatStartedWithItsKnobsAndOneExperimentPerJob() throws Exception {
        scenario = sweep2x2(dir);
        var r = autotuneRun(Map.of("FAKE_CLOUDAI_HANG_RUN", "3", "FAKE_CLOUDAI_SLEEP", "60",
                "FAKE_CLOUDAI_PIDFILE", dir.resolve("pids.txt").toString()), "--timeout-sec", "3");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(run(dir, "list").out()).contains("failed:timeout");
        String third = showJson("3");
        assertThat(third).contains("\"category\" : \"timeout\"").contains("\"decode.max_num_batched_tokens\" : 2048")
                .contains("\"decode.max_num_seqs\" : 8").contains("\"cloudai.step\" : \"3\"");

        scenario = Files.writeString(dir.resolve("single.toml"), Files.readString(dir.resolve("agg.toml"))
                .replace("vllm-agg", "vllm-late"));
        var late = autotuneRun(Map.of("FAKE_CLOUDAI_HANG_RUN", "1", "FAKE_CLOUDAI_HANG_AFTER_RESULTS", "1",
                "FAKE_CLOUDAI_SLEEP", "60", "FAKE_CLOUDAI_PIDFILE", dir.resolve("pids2.txt").toString()),
                "--timeout-sec", "3");
        assertThat(late.exit()).as(late.toString()).isEqualTo(1);
        String list = run(dir, "list", "--scenario", "vllm-late", "--json").out();
        assertThat(list).contains("\"status\" : \"completed\"").doesNotContain("failed");
        assertThat(showJson("4")).contains("cloudai was stopped at the time limit after this job had written its results");
    }
}
