package dev.autotune.runner.space;

import dev.autotune.domain.Budget;
import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.Objective;
import dev.autotune.domain.search.SoftSlo;
import dev.autotune.domain.search.Spaces;
import dev.autotune.runner.config.ConfigException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpaceFileTest {
    /** The form issue 10 says every space file may take, word for word. */
    static final String ISSUE_FORM = """
            scenario = "gptoss-120b-h200-1k1k"
            objective = "maximize throughput_tokens_per_sec_per_gpu"   # or "minimize latency_p95_ms", any metric
            gpus = "cmd_args.serve.tensor_parallel_size * cmd_args.serve.pipeline_parallel_size"
            budgets = ["latency_p95_ms <= 200", "ttft_ms <= 50"]        # same meaning as `check --metric`
            constraints = ["cmd_args.serve.max_num_batched_tokens >= cmd_args.serve.max_num_seqs"]

            [knobs]                                                    # dotted paths inside the CloudAI test definition
            "cmd_args.serve.tensor_parallel_size" = [1, 2, 4, 8]
            "cmd_args.serve.max_num_seqs" = { start = 16, end = 512, step = 16 }
            "cmd_args.serve.max_num_batched_tokens" = { values = [2048, 4096, 8192, 16384], log = true }
            "cmd_args.serve.kv_cache_dtype" = ["auto", "fp8"]

            [cloudai]                           # what `tune` runs: a one-test CloudAI scenario, and its tests dir if it names
            scenario = "conf/scenario.toml"     # its test by test_name; each trial runs it with the test's knobs set
            tests_dir = "conf/tests"            # (relative paths are relative to this file)
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void cloudaiFiles() throws Exception {
        Files.createDirectories(dir.resolve("conf/tests"));
        Files.writeString(dir.resolve("conf/scenario.toml"), "name = \"s\"\n");
    }

    private SpaceFile read(String text) throws ConfigException {
        Path f = dir.resolve("space.toml");
        try {
            Files.writeString(f, text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return SpaceFile.read(f);
    }

    @Test
    void theIssueFormReadsIntoTheSpaceItDescribes() throws Exception {
        // the gpus expression names a knob that the issue's [knobs] leave out; a space using it must declare it
        SpaceFile f = read(ISSUE_FORM.replace("\"cmd_args.serve.kv_cache_dtype\" = [\"auto\", \"fp8\"]",
                "\"cmd_args.serve.kv_cache_dtype\" = [\"auto\", \"fp8\"]\n\"cmd_args.serve.pipeline_parallel_size\" = [1]"));
        var space = f.space();
        assertThat(space.scenario()).isEqualTo("gptoss-120b-h200-1k1k");
        assertThat(space.objective()).isEqualTo(new Objective("throughput_tokens_per_sec_per_gpu", true));
        assertThat(space.budgets()).containsExactly("latency_p95_ms <= 200", "ttft_ms <= 50");
        assertThat(space.knobs()).extracting(Knob::path).containsExactly("cmd_args.serve.tensor_parallel_size",
                "cmd_args.serve.max_num_seqs", "cmd_args.serve.max_num_batched_tokens", "cmd_args.serve.kv_cache_dtype",
                "cmd_args.serve.pipeline_parallel_size");
        assertThat(space.knobs().get(0).values()).containsExactly(1L, 2L, 4L, 8L);
        assertThat(space.knobs().get(1).values()).hasSize(32).startsWith(16L, 32L).endsWith(512L);
        assertThat(space.knobs().get(2).log()).isTrue();
        assertThat(space.knobs().get(3).kind()).isEqualTo(Knob.Kind.CATEGORY);
        assertThat(f.cloudai().scenario()).isEqualTo(dir.resolve("conf/scenario.toml"));
        assertThat(f.cloudai().testsDir()).isEqualTo(dir.resolve("conf/tests"));
        assertThat(Spaces.configs(space)).isNotEmpty();
    }

    @Test
    void theOptionalKeysReadToo() throws Exception {
        Files.writeString(dir.resolve("base.toml"), "name = \"vllm\"\n");
        SpaceFile f = read("""
                scenario = "chat"
                objective = "minimize latency_p95_ms"
                soft_slos = ["ttft_ms <= 50", { slo = "tpot_ms <= 20", weight = 3.0 }]
                soft_slo_weight = 2.0
                pareto = "throughput_tokens_per_sec"
                strategy = "grid"
                seed = 7
                base_test = "base.toml"

                [knobs]
                "serving.batch_size" = [1, 2]
                "serving.dtype" = ["fp16", "bf16"]

                [[candidates]]
                "serving.batch_size" = 1
                "serving.dtype" = "fp16"

                [[candidates]]
                "serving.batch_size" = 2
                "serving.dtype" = "bf16"
                """);
        var space = f.space();
        assertThat(space.softSlos()).containsExactly(new SoftSlo("ttft_ms", Budget.Bound.AT_MOST, 50, 2.0),
                new SoftSlo("tpot_ms", Budget.Bound.AT_MOST, 20, 3.0));
        assertThat(space.secondObjective()).isEqualTo(new Objective("throughput_tokens_per_sec", true));
        assertThat(f.strategy()).isEqualTo("grid");
        assertThat(f.seed()).isEqualTo(7L);
        assertThat(f.baseTest()).isEqualTo(dir.resolve("base.toml"));
        assertThat(space.candidates()).containsExactly(Map.of("serving.batch_size", 1L, "serving.dtype", "fp16"),
                Map.of("serving.batch_size", 2L, "serving.dtype", "bf16"));
        assertThat(f.cloudai()).isNull();
    }

    @Test
    void theExampleSpacesTheReadmeWalksThroughRead() throws Exception {
        Path examples = Path.of(System.getProperty("autotune.repo", "..")).toAbsolutePath().normalize()
                .resolve("configs/examples");
        SpaceFile batch = SpaceFile.read(examples.resolve("batch-size-space.toml"));
        assertThat(batch.space().scenario()).isEqualTo("llama3-8b-chat");
        assertThat(batch.baseTest()).isEqualTo(examples.resolve("llama3-8b-chat.toml"));
        SpaceFile vllm = SpaceFile.read(examples.resolve("vllm-space.toml"));
        assertThat(vllm.space().knobs()).hasSize(3);
        assertThat(vllm.space().constraints()).hasSize(1);
        assertThat(vllm.space().objective().metric()).isEqualTo("throughput_tokens_per_sec_per_gpu");
        assertThat(TrialFiles.oneTest(vllm).testName()).isEqualTo("vllm");
        assertThat(TrialFiles.baseTest(vllm)).isEqualTo(examples.resolve("cloudai/tests/vllm.toml"));
    }

    @Test
    void aTrialsFilesCarryItsValuesInTheScenarioAndInACopyOfTheTest() throws Exception {
        Path examples = Path.of(System.getProperty("autotune.repo", "..")).toAbsolutePath().normalize()
                .resolve("configs/examples");
        SpaceFile vllm = SpaceFile.read(examples.resolve("vllm-space.toml"));
        var written = new TrialFiles().write(vllm, Map.of("cmd_args.serve.tensor_parallel_size", 4L,
                "cmd_args.serve.max_num_seqs", 64L, "cmd_args.serve.kv_cache_dtype", "fp8"), dir.resolve("trial-1"));
        var scenario = dev.autotune.runner.config.ScenarioFile.read(written.scenario(), written.testsDir());
        assertThat(scenario.name()).isEqualTo("vllm-serve-tune");
        assertThat(scenario.tests()).hasSize(1);
        assertThat(scenario.tests().get(0).testFile()).isEqualTo(written.test());
        // the knob names experiments record: cmd_args without its prefix
        assertThat(scenario.tests().get(0).knobs()).containsEntry("serve.tensor_parallel_size", 4L)
                .containsEntry("serve.max_num_seqs", 64L).containsEntry("serve.kv_cache_dtype", "fp8")
                .containsEntry("docker_image_url", "nvcr.io#nvidia/ai-dynamo/vllm-runtime:1.1.1");
        assertThat(Files.readString(written.test())).contains("[cmd_args.serve]").contains("tensor_parallel_size = 4")
                .contains("test_template_name = \"vllm\"");
    }

    @Test
    void everyBadSpaceIsOneLineNamingTheFileAndTheKey() {
        String ok = """
                scenario = "chat"
                objective = "maximize throughput_tokens_per_sec"
                [knobs]
                "serving.batch_size" = [1, 2, 4]
                """;
        record Case(String text, String key, String says) {
        }
        List<Case> cases = List.of(
                new Case("scenario = [", null, "invalid TOML"),
                new Case(ok.replace("scenario = \"chat\"\n", ""), "scenario", "missing"),
                new Case(ok + "budget = [\"latency_ms <= 1\"]\n".replace("[knobs]", ""), null, null),
                new Case(ok.replace("maximize throughput_tokens_per_sec", "maximize tokens_galore"), "objective",
                        "tokens_galore"),
                new Case(ok.replace("[knobs]", "budgets = [\"latency_ms < 3\"]\n[knobs]"), "budgets[0]", "latency_ms"),
                new Case(ok.replace("[1, 2, 4]", "{ start = 8, end = 1, step = 1 }"), "knobs.\"serving.batch_size\"",
                        "empty range"),
                new Case(ok.replace("[1, 2, 4]", "[]"), "knobs.\"serving.batch_size\"", "no values"),
                new Case(ok.replace("[knobs]", "constraints = [\"serving.batch_size > 100\"]\n[knobs]"),
                        "constraints", "no config satisfies"),
                new Case(ok.replace("[knobs]", "strategy = \"annealing\"\n[knobs]"), "strategy", "unknown strategy"),
                new Case(ok + "[cloudai]\nscenario = \"missing.toml\"\n", "cloudai.scenario", "does not exist"),
                // the string among the numbers shows as the string it is
                new Case(ok.replace("[1, 2, 4]", "[1, \"4\", 8]"), "knobs.\"serving.batch_size\"",
                        "values must be all numbers, or all strings/booleans: [1, \"4\", 8]"),
                // a typo'd knob inside gpus is named
                new Case(ok.replace("[knobs]", "gpus = \"batch_sise * 2\"\n[knobs]"), "gpus",
                        "unknown knob 'batch_sise'"));
        for (Case c : cases) {
            if (c.says() == null) {
                // an unknown top-level key (a typo of budgets) is refused, not silently ignored
                assertThatThrownBy(() -> read(ok.replace("[knobs]", "budget = [\"latency_ms <= 1\"]\n[knobs]")))
                        .isInstanceOf(ConfigException.class).hasMessageContaining("key 'budget'")
                        .hasMessageContaining("unknown key");
                continue;
            }
            assertThatThrownBy(() -> read(c.text())).as(c.text())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(dir.resolve("space.toml").toString())
                    .hasMessageContaining(c.key() == null ? "" : "key '" + c.key() + "'")
                    .hasMessageContaining(c.says())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }
}
