package dev.autotune.api.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.autotune.api.cli.AutotuneProcess.REPO;
import static dev.autotune.api.cli.AutotuneProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * `autotune tune`, `study`, `ask` and `tell` as a user meets them: the real jar against the stand-in cloudai with
 * its perf model, on a real SQLite file: a whole study, kill -9 and SIGTERM mid-trial, ask and tell by hand. How
 * tune stops on its own and refuses a bad space is {@link TuneCliTest}, in process.
 */
class TuneIT {
    static final Path FAKE = RunIT.FAKE;
    static final Path SYSTEM = RunIT.SYSTEM;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TP = "cmd_args.serve.tensor_parallel_size";
    static final String SEQS = "cmd_args.serve.max_num_seqs";
    static final String KV = "cmd_args.serve.kv_cache_dtype";

    @TempDir
    Path dir;
    Path space;

    @BeforeEach
    void threeKnobSpace() throws Exception {
        space = threeKnobSpace(dir);
    }

    /** Three knobs, a constraint that cuts the grid, a per-GPU objective, a latency budget and a Pareto front. */
    static Path threeKnobSpace(Path dir) throws Exception {
        Files.writeString(dir.resolve("scenario.toml"), """
                name = "vllm-one-test"

                [[Tests]]
                id = "vllm.serve"
                test_name = "vllm"
                num_nodes = 1
                """);
        // CloudAI's vLLM test with the base value of every knob the space searches: a space is checked against it
        Path tests = Files.createDirectories(dir.resolve("tests"));
        Files.writeString(tests.resolve("vllm.toml"), Files.readString(RunIT.TESTS.resolve("vllm.toml"))
                + "\n[cmd_args.serve]\ntensor_parallel_size = 1\nmax_num_seqs = 64\nkv_cache_dtype = \"auto\"\n");
        return Files.writeString(dir.resolve("space.toml"), """
                scenario = "vllm-tune"
                objective = "maximize throughput_tokens_per_sec_per_gpu"
                gpus = "cmd_args.serve.tensor_parallel_size"
                budgets = ["latency_p95_ms <= 250"]
                constraints = ["cmd_args.serve.tensor_parallel_size * cmd_args.serve.max_num_seqs <= 256"]
                pareto = "latency_p95_ms"

                [knobs]
                "cmd_args.serve.tensor_parallel_size" = [1, 2, 4]
                "cmd_args.serve.max_num_seqs" = { values = [16, 32, 64, 128], log = true }
                "cmd_args.serve.kv_cache_dtype" = ["auto", "fp8"]

                [cloudai]
                scenario = "scenario.toml"
                tests_dir = "%s"
                """.formatted(tests.toString().replace("\\", "\\\\")));
    }

    private List<String> tuneArgs(String... extra) {
        return tuneArgs(space, extra);
    }

    /** `tune SPACE` against the stand-in cloudai, and {@code extra}. */
    static List<String> tuneArgs(Path space, String... extra) {
        List<String> args = new ArrayList<>(List.of("tune", space.toString(), "--system-config", SYSTEM.toString(),
                "--cloudai-bin", FAKE.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    private AutotuneProcess.Result tune(Map<String, String> env, String... extra) {
        Map<String, String> all = new HashMap<>(env);
        all.put("FAKE_CLOUDAI_PERF_MODEL", "1");
        return run(dir, all, tuneArgs(extra).toArray(String[]::new));
    }

    private JsonNode json(String... args) throws Exception {
        var r = run(dir, args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return JSON.readTree(r.out());
    }

    private static void waitFor(Path file) throws InterruptedException {
        for (int i = 0; i < 900 && !(Files.exists(file) && file.toFile().length() > 0); i++) {
            Thread.sleep(100);
        }
        assertThat(file).exists();
    }

    @Test
    void aThreeKnobStudyRunsToItsTrialBudgetAndEndsWithTheBestConfigAndTheParetoFront() throws Exception {
        var r = tune(Map.of(), "--trials", "8", "--strategy", "grid-random", "--seed", "3", "--out-config", "best.toml");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("[tune] study 1 (space, scenario vllm-tune) created");
        for (int k = 1; k <= 8; k++) {
            assertThat(r.out()).containsPattern("\\[tune\\] trial " + k + "/8  tensor_parallel_size=\\d+ "
                    + "max_num_seqs=\\d+ kv_cache_dtype=(auto|fp8)  -> experiment \\d+ .*\\| best .*elapsed");
        }
        assertThat(r.out()).containsPattern("\\[tune\\] trial 2/8 .* elapsed, at most ~[0-9hms]+ left");
        assertThat(r.out()).contains("[tune] study 1 finished (trial_budget): 8 of 8 trials run")
                .contains("best feasible: ").contains("Pareto front (maximize throughput_tokens_per_sec_per_gpu vs "
                        + "minimize latency_p95_ms)").contains("wrote the best config to best.toml");

        JsonNode show = json("study", "show", "1", "--json");
        JsonNode trials = show.get("trials");
        assertThat(trials).hasSize(8);
        Set<String> experiments = new HashSet<>();
        Set<String> configs = new HashSet<>();
        for (JsonNode t : trials) {
            JsonNode c = t.get("config");
            // every trial lies in the space: its constraint holds
            assertThat(c.get(TP).asLong() * c.get(SEQS).asLong()).isLessThanOrEqualTo(256);
            assertThat(t.get("status").asText()).isIn("completed", "failed");
            experiments.add(t.get("experiment_id").asText());
            configs.add(c.toString());
            if (t.get("status").asText().equals("completed")) {
                assertThat(t.get("metrics").get("throughput_tokens_per_sec_per_gpu").asDouble())
                        .isEqualTo(t.get("metrics").get("throughput_tokens_per_sec").asDouble() / c.get(TP).asLong(),
                                org.assertj.core.data.Offset.offset(1e-9));
            }
        }
        assertThat(experiments).hasSize(8);
        assertThat(configs).as("a measured config is not proposed again").hasSize(8);
        assertThat(show.get("study").get("finish_reason").asText()).isEqualTo("trial_budget");

        // the best feasible config is the one the file holds, derived from the base test
        JsonNode best = show.get("best");
        String written = Files.readString(dir.resolve("best.toml"));
        assertThat(written).contains("test_template_name = \"vllm\"").contains("[cmd_args.serve]")
                .contains("tensor_parallel_size = " + best.get("config").get(TP).asLong())
                .contains("max_num_seqs = " + best.get("config").get(SEQS).asLong())
                .contains("kv_cache_dtype = \"" + best.get("config").get(KV).asText() + "\"");
        assertThat(show.get("pareto").size()).isGreaterThanOrEqualTo(1);

        // running the same command again finds the finished study, and runs nothing
        var again = tune(Map.of(), "--trials", "8");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("resumed with 8 trial(s) recorded").doesNotContain("[tune] trial");
        assertThat(json("list", "--json")).hasSize(8);

        // the study views come back byte for byte from the events
        String before = run(dir, "study", "show", "1", "--json").out();
        String list = run(dir, "study", "list").out();
        assertThat(run(dir, "rebuild").exit()).isZero();
        assertThat(run(dir, "study", "show", "1", "--json").out()).isEqualTo(before);
        assertThat(run(dir, "study", "list").out()).isEqualTo(list);
    }

    @Test
    void killedWithMinusNineInTheMiddleOfATrialItResumesWithoutRepeatingACompletedTrial() throws Exception {
        Path pids = dir.resolve("pids.txt");
        Map<String, String> env = Map.of("FAKE_CLOUDAI_PERF_MODEL", "1", "FAKE_CLOUDAI_HOLD_RUN", "3",
                "FAKE_CLOUDAI_RUN_COUNTER", dir.resolve("runs.count").toString(),
                "FAKE_CLOUDAI_PIDFILE", pids.toString());
        Process tune = AutotuneProcess.start(dir, env, tuneArgs("--trials", "5", "--strategy", "grid")
                .toArray(String[]::new));
        waitFor(pids);
        // trial 3 is running: its experiment was linked before cloudai started
        JsonNode running = json("study", "show", "1", "--json").get("trials");
        assertThat(running).hasSize(3);
        assertThat(running.get(2).get("status").asText()).isEqualTo("running");
        tune.destroyForcibly();
        assertThat(tune.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (String pid : Files.readString(pids).trim().split("\\s+")) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }

        var resumed = tune(Map.of(), "--trials", "5", "--strategy", "grid");
        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("resumed with 3 trial(s) recorded")
                .doesNotContain("trial 1/5").doesNotContain("trial 2/5").doesNotContain("trial 3/5")
                .contains("trial 4/5").contains("trial 5/5").contains("finished (trial_budget)");

        JsonNode trials = json("study", "show", "1", "--json").get("trials");
        assertThat(trials).extracting(t -> t.get("status").asText())
                .containsExactly("completed", "completed", "abandoned", "completed", "completed");
        assertThat(trials).extracting(t -> t.get("experiment").asInt()).containsExactly(1, 2, 3, 4, 5);
        // one experiment per trial: nothing ran twice, and no completed config was measured again
        JsonNode experiments = json("list", "--json");
        assertThat(experiments).hasSize(5);
        Set<String> completed = new HashSet<>();
        for (JsonNode t : trials) {
            if (t.get("status").asText().equals("completed")) {
                assertThat(completed.add(t.get("config").toString())).as(t.toString()).isTrue();
            }
        }
        assertThat(run(dir, "show", "3").out()).contains("abandoned").contains("is gone");
    }

    @Test
    void sigtermStopsTheRunningTrialAsInterruptedAndTheSameCommandResumes() throws Exception {
        Path pids = dir.resolve("pids.txt");
        Map<String, String> env = Map.of("FAKE_CLOUDAI_PERF_MODEL", "1", "FAKE_CLOUDAI_HOLD_RUN", "2",
                "FAKE_CLOUDAI_RUN_COUNTER", dir.resolve("runs.count").toString(),
                "FAKE_CLOUDAI_PIDFILE", pids.toString());
        Path out = dir.resolve("tune.out");
        Process tune = AutotuneProcess.builder(dir, env, tuneArgs("--trials", "3", "--strategy", "grid", "--parallel",
                "2").toArray(String[]::new)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        waitFor(pids);
        tune.destroy();
        assertThat(tune.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tune.exitValue()).isEqualTo(1);
        assertThat(Files.readString(out)).contains("failed:interrupted")
                .contains("run the same command again to resume study 1");
        JsonNode study = json("study", "show", "1", "--json");
        assertThat(study.get("study").get("status").asText()).isEqualTo("open");

        var resumed = tune(Map.of(), "--trials", "3", "--strategy", "grid", "--parallel", "2");
        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("finished (trial_budget)");
        JsonNode trials = json("study", "show", "1", "--json").get("trials");
        assertThat(trials).hasSize(3);
        assertThat(trials).extracting(t -> t.get("status").asText()).contains("failed");
    }

    @Test
    void askAndTellLetAPersonRunTheBenchmarksByHand() throws Exception {
        assertThat(run(dir, "demo", "--db", "autotune.db").exit()).isZero();
        Path batchSpace = REPO.resolve("configs/examples/batch-size-space.toml");
        var created = run(dir, "study", "create", batchSpace.toString());
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.out()).contains("created study 1 (batch-size-space, scenario llama3-8b-chat)");

        // the demo's three experiments are observations already (warm start); two asks before any tell
        JsonNode first = json("ask", "1", "--json");
        JsonNode second = json("ask", "1", "--json");
        String a = first.get("proposals").get(0).get("config").get("serving.batch_size").asText();
        String b = second.get("proposals").get(0).get("config").get("serving.batch_size").asText();
        assertThat(a).isNotEqualTo(b).isNotIn("1", "4", "8");

        var wrote = run(dir, "ask", "1", "--out-config", "next.toml");
        assertThat(wrote.exit()).as(wrote.toString()).isZero();
        assertThat(Files.readString(dir.resolve("next.toml"))).contains("[serving]");
        // the hint names the commands as they run: tell takes the experiment as --experiment
        assertThat(wrote.out()).contains("then autotune tell 1 --experiment EXPERIMENT");

        // measure trial 1's config by hand and tell the study
        var derived = run(dir, "derive", REPO.resolve("configs/examples/llama3-8b-chat.toml").toString(), "mine.toml",
                "--set", "serving.batch_size=" + a);
        assertThat(derived.exit()).as(derived.toString()).isZero();
        var ingest = run(dir, "ingest", AutotuneProcess.example("batch-4-aiperf.json").toString(), "--config",
                "mine.toml", "--allow-duplicate");
        assertThat(ingest.exit()).as(ingest.toString()).isZero();
        var told = run(dir, "tell", "1", "--experiment", "4");
        assertThat(told.exit()).as(told.toString()).isZero();
        assertThat(told.out()).contains("experiment 4 measures trial 1 of study 1");
        JsonNode trials = json("study", "show", "1", "--json").get("trials");
        assertThat(trials.get(0).get("status").asText()).isEqualTo("completed");
        assertThat(trials.get(1).get("status").asText()).isEqualTo("proposed");

        // an experiment outside the space, or told twice, is one line naming what is wrong
        assertThat(run(dir, "derive", "mine.toml", "odd.toml", "--set", "serving.batch_size=3").exit()).isZero();
        assertThat(run(dir, "ingest", AutotuneProcess.example("batch-4-aiperf.json").toString(), "--config",
                "odd.toml", "--allow-duplicate").exit()).isZero();
        var outside = run(dir, "tell", "1", "--experiment", "5");
        assertThat(outside.exit()).isEqualTo(2);
        assertThat(outside.err().strip()).isEqualTo("autotune: --experiment: knobs.\"serving.batch_size\": experiment 5 has 3, "
                + "not one of [1, 2, 4, 6, 8, 12, 16]");
        var twice = run(dir, "tell", "1", "--experiment", "4");
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.err()).contains("experiment 4 already measures trial 1 of study 1");
        assertThat(run(dir, "study", "list").out()).contains("batch-size-space").contains("open");
    }
}
