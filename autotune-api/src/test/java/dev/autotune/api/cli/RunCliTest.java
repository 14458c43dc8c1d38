package dev.autotune.api.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.autotune.api.cli.InProcessCli.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * `autotune run` over a stand-in cloudai that behaves as the real CLI's contract says, failures included, through
 * the CLI in process ({@link InProcessCli}); the stand-in's settings, which {@link RunIT} gives the jar's process as
 * environment variables, are set by a wrapper script passed as --cloudai-bin. {@link RunIT} keeps what needs a real
 * runner process: a whole run end to end, SIGTERM, kill -9 and a hanging job's time limit.
 */
class RunCliTest {
    static final Path FAKE = RunIT.FAKE;
    static final Path TESTS = RunIT.TESTS;
    static final Path SYSTEM = RunIT.SYSTEM;
    static final Path SWEEP = RunIT.SWEEP;

    @TempDir
    Path dir;
    Path scenario;

    @BeforeEach
    void oneTestScenario() throws Exception {
        scenario = RunIT.oneTestScenario(dir);
    }

    private AutotuneProcess.Result autotuneRun(Map<String, String> env, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", scenario.toString(), "--system-config", SYSTEM.toString(),
                "--tests-dir", TESTS.toString(), "--cloudai-bin", InProcessCli.cloudai(dir, FAKE, env).toString()));
        args.addAll(List.of(extra));
        return run(dir, args.toArray(String[]::new));
    }

    private String showJson(String id) {
        return run(dir, "show", id, "--json").out();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String between(String text, String start, String end) {
        int i = text.indexOf(start) + start.length();
        return text.substring(i, text.indexOf(end, i));
    }

    @Test
    void aSweepBecomesOneExperimentPerStepLinkedToTheRun() {
        scenario = SWEEP;
        var r = autotuneRun(Map.of("FAKE_CLOUDAI_MODE", "sweep"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("recorded experiments 1, 2, 3");
        String list = run(dir, "list", "--json").out();
        assertThat(list).contains("\"decode.max_num_batched_tokens\" : 1024")
                .contains("\"decode.max_num_batched_tokens\" : 2048").contains("\"decode.max_num_batched_tokens\" : 4096");
        String runId = between(showJson("1"), "\"run_id\" : \"", "\"");
        assertThat(showJson("3")).contains("\"run_id\" : \"" + runId + "\"");
    }

    @Test
    void aJobThatFailsWhileCloudaiExitsZeroIsRecordedAsJobFailed() {
        var r = autotuneRun(Map.of("FAKE_CLOUDAI_MODE", "job_failure"));
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(showJson("1")).contains("\"status\" : \"failed\"").contains("\"category\" : \"job_failed\"");
        assertThat(run(dir, "list").out()).contains("failed:job_failed");
    }

    @Test
    void everyWayARunCanFailEndsInAFailedExperimentWithItsCategory() throws Exception {
        record Case(String category, Map<String, String> env, String[] extra) {
        }
        List<Case> cases = List.of(
                new Case("usage_error", Map.of("FAKE_CLOUDAI_MODE", "usage"), new String[0]),
                new Case("config_error", Map.of("FAKE_CLOUDAI_MODE", "config_error"), new String[0]),
                new Case("no_report", Map.of("FAKE_CLOUDAI_MODE", "no_report"), new String[0]),
                new Case("unreadable_report", Map.of("FAKE_CLOUDAI_MODE", "garbage"), new String[0]),
                new Case("timeout", Map.of("FAKE_CLOUDAI_MODE", "slow", "FAKE_CLOUDAI_SLEEP", "60"),
                        new String[]{"--timeout-sec", "2"}));
        int id = 0;
        for (Case c : cases) {
            var r = autotuneRun(c.env(), c.extra());
            id++;
            assertThat(r.exit()).as(c.category() + "\n" + r).isEqualTo(1);
            assertThat(showJson(Integer.toString(id))).as(c.category())
                    .contains("\"category\" : \"" + c.category() + "\"");
        }
        var missing = run(dir, "run", scenario.toString(), "--system-config", SYSTEM.toString(),
                "--cloudai-bin", "no-such-cloudai-on-path");
        assertThat(missing.exit()).as(missing.toString()).isEqualTo(1);
        assertThat(showJson(Integer.toString(id + 1))).contains("\"category\" : \"launch_failed\"");
        for (Path log : RunIT.runDirs(dir)) {
            assertThat(Files.readString(log.resolve("stdout.log"))).contains("[autotune]");
        }
    }

    @Test
    void rebuildAnswersEveryViewByteForByteAsBefore() throws Exception {
        assertThat(run(dir, "demo", "--db", "autotune.db").exit()).isZero();
        assertThat(autotuneRun(Map.of("FAKE_CLOUDAI_MODE", "job_failure")).exit()).isEqualTo(1);
        scenario = SWEEP;
        assertThat(autotuneRun(Map.of("FAKE_CLOUDAI_MODE", "sweep")).exit()).isZero();
        List<String[]> views = new ArrayList<>(List.of(new String[]{"list"}, new String[]{"list", "--json"},
                new String[]{"check", "--latency-budget-ms", "200", "--json"},
                new String[]{"check", "--min-throughput-tokens-per-sec", "300"},
                new String[]{"recommend", "--knob", "serving.batch_size", "--latency-budget-ms", "200",
                        "--scenario", "llama3-8b-chat", "--json"},
                new String[]{"recommend", "--knob", "decode.max_num_batched_tokens", "--scenario", "vllm-dse"},
                new String[]{"diff", "1", "3", "--json"}, new String[]{"diff", "5", "7"},
                new String[]{"export", "--format", "csv"}, new String[]{"export", "--format", "json"},
                new String[]{"export", "--template", "benchmark-report", "--latency-budget-ms", "200"}));
        for (int id = 1; id <= 7; id++) {
            views.add(new String[]{"show", Integer.toString(id), "--json"});
        }
        List<String> before = new ArrayList<>();
        for (String[] v : views) {
            var r = run(dir, v);
            assertThat(r.exit()).as(String.join(" ", v) + "\n" + r).isZero();
            before.add(r.out());
        }
        assertThat(before.get(1)).contains("failed").contains("\"id\" : 7");

        var rebuild = run(dir, "rebuild");
        assertThat(rebuild.exit()).as(rebuild.toString()).isZero();
        assertThat(rebuild.out()).contains("rebuilt all views from");
        for (int i = 0; i < views.size(); i++) {
            assertThat(run(dir, views.get(i)).out()).as(String.join(" ", views.get(i))).isEqualTo(before.get(i));
        }
    }

    @Test
    void aDryRunIsShownAsValidatedAndIsNoResult() {
        var r = autotuneRun(Map.of(), "--dry-run");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("dry run: validated experiment 1 (nothing was measured)");
        assertThat(run(dir, "list").out()).contains("validated");
        assertThat(showJson("1")).contains("\"status\" : \"validated\"");
        var check = run(dir, "check", "--latency-budget-ms", "200", "--strict");
        assertThat(check.out()).doesNotContain("UNKNOWN");
        assertThat(run(dir, "export", "--format", "csv").out()).doesNotContain("vllm-agg");
    }

    @Test
    void badPathArgumentsAreRefusedWithExitTwoAndNothingRecorded() {
        var r = run(dir, "run", scenario.toString(), "--system-config", dir.resolve("nope.toml").toString(),
                "--tests-dir", TESTS.toString(), "--cloudai-bin", FAKE.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("autotune: --system-config: " + dir.resolve("nope.toml")
                + ": no such file");
        var hooks = autotuneRun(Map.of(), "--hook-dir", dir.resolve("no-hooks").toString());
        assertThat(hooks.exit()).as(hooks.toString()).isEqualTo(2);
        var bin = run(dir, "run", scenario.toString(), "--system-config", SYSTEM.toString(), "--cloudai-bin",
                dir.resolve("no-such-cloudai").toString());
        assertThat(bin.exit()).as(bin.toString()).isEqualTo(2);
        assertThat(bin.err()).contains("--cloudai-bin: ");
        assertThat(run(dir, "list", "--json").out()).doesNotContain("\"id\"");
    }

    @Test
    void failuresKeepEveryErrorLineAndAPartlyFailedSweepExitsOne() throws Exception {
        var invalid = autotuneRun(Map.of("FAKE_CLOUDAI_MODE", "validation_error"));
        assertThat(invalid.exit()).as(invalid.toString()).isEqualTo(1);
        assertThat(showJson("1")).contains("bench_cmd_args.max_concurrency with value")
                .contains("Input should be a valid integer");

        scenario = RunIT.sweep2x2(dir);
        var partly = autotuneRun(Map.of("FAKE_CLOUDAI_FAIL_STEPS", "2"));
        assertThat(partly.exit()).as(partly.toString()).isEqualTo(1);
        assertThat(partly.out()).contains("run FAILED: 1 of 4 jobs failed");
    }

    @Test
    void sglangAccuracyAndPassThroughOptions() {
        var r = autotuneRun(Map.of("FAKE_CLOUDAI_WORKLOAD", "sglang"), "--enable-cache-without-check",
                "--log-level", "DEBUG", "--", "--single-sbatch");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(showJson("1")).contains("\"accuracy\" : 0.945").doesNotContain("vllm-gsm8k.json");
        String log = read(RunIT.onlyRunDir(dir).resolve("stdout.log"));
        assertThat(log).contains("--log-level DEBUG run").contains("--enable-cache-without-check --single-sbatch");
        var help = run(dir, "run", "--help");
        assertThat(help.out()).contains("--enable-cache-without-check").contains("--single-sbatch")
                .contains("--log-level").contains("validated").contains("Exit codes:");
    }

    @Test
    void eachAiperfPhaseIsListedAsAMeasurement() {
        var r = autotuneRun(Map.of("FAKE_CLOUDAI_WORKLOAD", "aidynamo", "FAKE_CLOUDAI_AIPERF_PHASES",
                "round_1:2 round_2:4"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("recorded experiments 1, 2");
        String list = run(dir, "list").out();
        assertThat(list).contains("aiperf_phase").contains("round_1").contains("round_2");
        assertThat(showJson("2")).contains("\"aiperf_phase\" : \"round_2\"").contains("\"aiperf.args.concurrency\" : 4")
                .contains("aiperf_round_2_report.csv");
        assertThat(showJson("1")).contains("\"accuracy\" : 0.35");
    }
}
