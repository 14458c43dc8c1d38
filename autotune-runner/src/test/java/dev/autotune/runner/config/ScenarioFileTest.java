package dev.autotune.runner.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.autotune.runner.config.ConfigDeriverTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioFileTest {
    @TempDir
    Path tmp;

    @Test
    void realVllmScenarioMergesTheTestWithTheOverrides() throws Exception {
        Path testsDir = resource("cloudai-conf/experimental/vllm/test");
        ScenarioFile s = ScenarioFile.read(resource("cloudai-conf/experimental/vllm/test_scenario/vllm.toml"),
                testsDir);

        assertThat(s.name()).isEqualTo("vllm");
        assertThat(s.warnings()).isEmpty();
        assertThat(s.isSweep()).isFalse();
        assertThat(s.tests()).extracting(ScenarioFile.TestEntry::id).containsExactly("vllm.disagg.4nodes",
                "vllm.agg.1node", "vllm.agg.2nodes", "vllm.disagg.sync", "vllm.disagg.async");
        ScenarioFile.TestEntry agg = s.test("vllm.agg.1node");
        assertThat(agg.testName()).isEqualTo("vllm");
        assertThat(agg.templateName()).isEqualTo("vllm");
        assertThat(agg.backend()).isEqualTo("vllm");
        assertThat(agg.testFile()).isEqualTo(testsDir.resolve("vllm.toml"));
        assertThat(agg.knobs()).containsEntry("docker_image_url", "nvcr.io#nvidia/ai-dynamo/vllm-runtime:1.1.1")
                .containsEntry("serve_healthcheck", "/health")
                .containsEntry("decode.tensor_parallel_size", 4L)
                .containsEntry("decode.max_num_batched_tokens", 1024L)
                .containsEntry("decode.enforce_eager", "")
                .containsEntry("extra_env_vars.UCX_TLS", "^gdr_copy,cuda_ipc")
                .containsEntry("extra_env_vars.CUDA_VISIBLE_DEVICES", "0,1,2,3")
                .containsEntry("NUM_NODES", 1L);
        assertThat(agg.knobs()).doesNotContainKey("decode.gpu_ids");
        assertThat(s.test("vllm.disagg.async").knobs()).containsEntry("prefill.gpu_ids", "0,1")
                .containsEntry("decode.gpu_ids", "2,3");
        assertThat(agg.sweepSize()).isEqualTo(1);
    }

    @Test
    void listValuedKnobsAreSweepDimensions() throws Exception {
        Path testsDir = resource("cloudai-conf/experimental/vllm/test");
        ScenarioFile s = ScenarioFile.read(resource("cloudai-fixtures/real_cli_runs/fake_slurm_vllm_dse/inputs/"
                + "vllm_dse.toml"), testsDir);

        assertThat(s.name()).isEqualTo("vllm-dse");
        assertThat(s.isSweep()).isTrue();
        ScenarioFile.TestEntry t = s.tests().get(0);
        assertThat(t.sweepKnobs()).containsExactly("decode.max_num_batched_tokens");
        assertThat(t.knobs()).containsEntry("decode.max_num_batched_tokens", List.of(1024L, 2048L, 4096L))
                .containsEntry("decode.tensor_parallel_size", 4L);
        assertThat(t.sweepSize()).isEqualTo(3);
    }

    @Test
    void envVarSweepWithoutATestsDirWarnsButStillTracks() throws Exception {
        ScenarioFile s = ScenarioFile.read(resource("cloudai-fixtures/real_cli_runs/standalone_sleep_dse/"
                + "scenario_sleep_dse.toml"), null);

        ScenarioFile.TestEntry t = s.tests().get(0);
        assertThat(t.sweepKnobs()).containsExactly("extra_env_vars.FOO", "extra_env_vars.BAR");
        assertThat(t.sweepSize()).isEqualTo(4);
        assertThat(t.knobs()).containsEntry("seconds", 1L).doesNotContainKey("NUM_NODES");
        assertThat(t.templateName()).isNull();
        assertThat(s.warnings()).singleElement().asString().contains("test 'sleep' of dse.sleep not looked up");
    }

    @Test
    void dseExcludedArgsAreNotSweepsAndNestedOverridesWin() throws Exception {
        ScenarioFile s = ScenarioFile.read(resource("cloudai-conf/experimental/ai_dynamo/test_scenario/"
                + "vllm_slurm.toml"), resource("cloudai-conf/experimental/ai_dynamo/test"));

        assertThat(s.isSweep()).isFalse();
        ScenarioFile.TestEntry t = s.test("test.disagg.multinode");
        assertThat(t.backend()).isEqualTo("dynamo");
        assertThat(t.knobs()).containsEntry("dynamo.prefill_worker.args.tensor-parallel-size", 4L)
                .containsEntry("dynamo.prefill_worker.args.gpu-memory-utilization", 0.8)
                .containsEntry("dynamo.prefill_worker.num-nodes", 2L)
                .containsEntry("dynamo.dcgm_exporter.enabled", true)
                .containsEntry("workloads", "aiperf.sh");
        assertThat((List<?>) t.knobs().get("aiperf_phases")).hasSize(2);
    }

    @Test
    void aiconfiguratorListsAreAGrid() throws Exception {
        ScenarioFile s = ScenarioFile.read(resource("cloudai-conf/experimental/aiconfigurator/test_scenario/"
                + "dse_aiconfigurator_disagg.toml"), resource("cloudai-conf/experimental/aiconfigurator/test"));

        ScenarioFile.TestEntry t = s.tests().get(0);
        assertThat(t.sweepKnobs()).containsExactly("disagg.p_tp", "disagg.p_pp", "disagg.p_dp", "disagg.p_workers",
                "disagg.d_tp", "disagg.d_pp", "disagg.d_dp", "disagg.d_bs", "disagg.d_workers");
        assertThat(t.sweepSize()).isEqualTo(4);
        assertThat(t.backend()).isEqualTo("aiconfigurator");
    }

    @Test
    void unknownTestNameIsAWarningAndBrokenScenariosAreErrors() throws Exception {
        Path sc = tmp.resolve("s.toml");
        Files.writeString(sc, "name = \"s\"\n[[Tests]]\nid = \"a\"\ntest_name = \"nope\"\n");
        ScenarioFile s = ScenarioFile.read(sc, resource("cloudai-conf/experimental/vllm/test"));
        assertThat(s.warnings()).singleElement().asString().contains("test 'nope' of a is not defined in");

        Files.writeString(sc, "[[Tests]]\nid = \"a\"\n");
        assertThatThrownBy(() -> ScenarioFile.read(sc, null)).isInstanceOf(ConfigException.class)
                .hasMessage(sc + ": key 'name': missing: a CloudAI scenario needs a top-level name");
        Files.writeString(sc, "name = \"s\"\n");
        assertThatThrownBy(() -> ScenarioFile.read(sc, null)).hasMessageContaining("key 'Tests': missing");
        Files.writeString(sc, "name = \"s\"\n[[Tests]]\ntest_name = \"x\"\n");
        assertThatThrownBy(() -> ScenarioFile.read(sc, null)).hasMessageContaining("key 'Tests.0.id': missing");
        assertThatThrownBy(() -> ScenarioFile.read(sc, tmp.resolve("no-such-dir")))
                .hasMessageContaining("tests dir does not exist");
    }
}
