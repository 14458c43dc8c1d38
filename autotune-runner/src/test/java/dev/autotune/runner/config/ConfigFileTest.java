package dev.autotune.runner.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.autotune.runner.config.ConfigDeriverTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileTest {
    @TempDir
    Path tmp;

    @Test
    void plainKnobFileIsFlattenedWithJavaTypes() throws Exception {
        Path f = tmp.resolve("knobs.toml");
        Files.writeString(f, """
                scenario = "vllm-dse"
                name = "ignored because scenario wins"
                backend = "sglang"
                test_template_name = "vllm"

                [serving]
                batch_size = 4
                ratio = 0.5
                enabled = true
                flags = [1, 2]
                model = "Qwen/Qwen3-0.6B"
                  [serving."odd.key"]
                  x = 1
                """);
        ConfigFile c = ConfigFile.read(f);

        assertThat(c.scenario()).isEqualTo("vllm-dse");
        assertThat(c.backend()).isEqualTo("sglang");
        assertThat(c.values()).containsEntry("serving.batch_size", 4L)
                .containsEntry("serving.ratio", 0.5)
                .containsEntry("serving.enabled", true)
                .containsEntry("serving.flags", List.of(1L, 2L))
                .containsEntry("serving.model", "Qwen/Qwen3-0.6B")
                .containsEntry("serving.\"odd.key\".x", 1L);
        assertThat(c.values().keySet()).startsWith("scenario", "name", "backend");
        assertThat(c.sha256()).isEqualTo(Hashing.sha256(Files.readAllBytes(f))).hasSize(64);
        assertThat(c.path()).isEqualTo(f);
    }

    @Test
    void aScenarioOrBackendThatIsNotANameIsRefusedNamingTheKey() throws Exception {
        for (String[] bad : new String[][]{{"scenario = [\"a\"]", "scenario", "[\"a\"]"}, {"backend = 7", "backend", "7"},
                {"scenario = \"\"", "scenario", "\"\""}}) {
            Path f = tmp.resolve("c.toml");
            Files.writeString(f, bad[0] + "\n[serving]\nbatch_size = 4\n");
            assertThatThrownBy(() -> ConfigFile.read(f)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining(bad[1]).hasMessageContaining("must be a non-empty string, got " + bad[2]);
        }
    }

    @Test
    void cloudaiTestRunTomlGivesNameAndBackendFromTheTestDefinition() throws Exception {
        ConfigFile c = ConfigFile.read(resource(
                "cloudai-fixtures/real_cli_runs/fake_slurm_vllm_dse/vllm.dse.1node/0/3/test-run.toml"));

        assertThat(c.scenario()).isEqualTo("vllm.dse.1node");
        assertThat(c.backend()).isEqualTo("vllm");
        assertThat(c.values()).containsEntry("test_definition.cmd_args.decode.max_num_batched_tokens", 4096L)
                .containsEntry("test_definition.agent_metrics", List.of("throughput", "tps-per-gpu"))
                .containsEntry("nnodes", 1L)
                .containsEntry("nodes", List.of());
        assertThat(c.values().get("test_definition.git_repos")).isEqualTo(List.of(Map.of(
                "url", "https://github.com/vllm-project/vllm.git", "commit", "main", "init_submodules", false,
                "installed_path", "PosixPath('install_dir/vllm__main')", "mount_as", "/vllm_repo")));
    }

    @Test
    void backendComesFromTheTemplateName() throws Exception {
        assertThat(ConfigFile.read(resource("cloudai-conf/experimental/ai_dynamo/test/vllm.toml")).backend())
                .isEqualTo("dynamo");
        assertThat(ConfigFile.read(resource("cloudai-conf/experimental/sglang/test/sglang.toml")).backend())
                .isEqualTo("sglang");
        assertThat(ConfigFile.read(resource("cloudai-conf/experimental/aiconfigurator/test/"
                + "dse_aiconfigurator_disagg.toml")).backend()).isEqualTo("aiconfigurator");
        ConfigFile scenario = ConfigFile.read(resource("cloudai-conf/experimental/vllm/test_scenario/vllm.toml"));
        assertThat(scenario.scenario()).isEqualTo("vllm");
        assertThat(scenario.backend()).isNull();
        assertThat(Backends.fromTemplate("TritonInference")).isEqualTo("triton");
        assertThat(Backends.fromTemplate("AIDynamo")).isEqualTo("dynamo");
        assertThat(Backends.fromTemplate("NcclTest")).isEqualTo("nccltest");
        assertThat(Backends.fromTemplate(" ")).isNull();
    }

    @Test
    void unreadableFilesAreConfigErrors() throws Exception {
        Path bad = tmp.resolve("bad.toml");
        Files.writeString(bad, "a = [1,\n");
        assertThatThrownBy(() -> ConfigFile.read(bad)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(bad + ": invalid TOML at line ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> ConfigFile.read(tmp)).hasMessage(tmp + ": is a directory, not a TOML file");
    }
}
