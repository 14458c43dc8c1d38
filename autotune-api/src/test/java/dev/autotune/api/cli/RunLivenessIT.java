package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.ExperimentApi.AbandonExperiment;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import dev.autotune.store.FileRunLiveness;
import dev.autotune.store.RunLiveness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.autotune.api.cli.AutotuneProcess.run;
import static dev.autotune.api.cli.RunIT.FAKE;
import static dev.autotune.api.cli.RunIT.SYSTEM;
import static dev.autotune.api.cli.RunIT.TESTS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 item 2, with real processes: a run is alive while its runner holds the run's lease, whatever its pid and
 * host look like; a run declared abandoned that then finishes records what it measured, after an event that says so.
 */
class RunLivenessIT {
    @TempDir
    Path dir;
    Path db;
    Path scenario;

    @BeforeEach
    void oneTestScenario() throws Exception {
        db = dir.resolve("autotune.db");
        scenario = Files.writeString(dir.resolve("agg.toml"), """
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

    /**
     * The container case: the runner's pid names no live process here (another PID namespace with the same host
     * name), and its recorded start time matches nothing (a wall-clock step); it holds the run's lease, so another
     * command leaves the run alone.
     */
    @Test
    void aRunWhoseLeaseIsHeldStaysRunningWhateverItsPidAndHostSay() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        String id = UUID.randomUUID().toString();
        String host = InetAddress.getLocalHost().getHostName();
        try (RunLiveness.Lease lease = FileRunLiveness.forDatabase(db).tryHold(id).orElseThrow()) {
            try (Autotune autotune = new Autotune(db)) {
                autotune.send(new StartExperiment(id, "vllm-agg", "vllm", Map.of(), null, null, null, Map.of(),
                        ExperimentApi.Source.RUN, id, new ExperimentApi.RunnerProcess(gone.pid(), host,
                        Instant.parse("2001-01-01T00:00:00Z"))));
            }
            var list = run(dir, "list");
            assertThat(list.out()).as(list.toString()).contains("running").doesNotContain("abandoned");
            assertThat(run(dir, "show", "1", "--json").out()).contains("\"status\" : \"running\"");
        }
    }

    /**
     * A run declared abandoned while it ran (as an autotune that judged liveness by pid did in a container) records
     * its metrics when it finishes: the experiment is reopened, then completed, and the timeline tells both.
     */
    @Test
    void aRunDeclaredAbandonedThatFinishesRecordsItsResultsAsLate() throws Exception {
        Path pids = dir.resolve("pids.txt");
        Path out = dir.resolve("run.out");
        Process runner = AutotuneProcess.builder(dir, Map.of("FAKE_CLOUDAI_MODE", "slow",
                        "FAKE_CLOUDAI_PIDFILE", pids.toString()), "run", scenario.toString(), "--system-config",
                SYSTEM.toString(), "--tests-dir", TESTS.toString(), "--cloudai-bin", FAKE.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            waitFor(pids);
            try (Autotune autotune = new Autotune(db)) {
                String id = autotune.show("1").experimentId();
                autotune.send(new AbandonExperiment(id, "runner process 1 on another-namespace is gone"));
            }
            assertThat(run(dir, "list").out()).contains("abandoned");
            // the job ends: cloudai writes its results and exits 0
            long sleeper = Long.parseLong(Files.readString(pids).trim().split("\\s+")[1]);
            ProcessHandle.of(sleeper).ifPresent(ProcessHandle::destroy);
            assertThat(runner.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String printed = Files.readString(out);
            assertThat(runner.exitValue()).as(printed).isZero();
            assertThat(printed).contains("had been declared abandoned while it ran").doesNotContain("internal error");
        } finally {
            runner.destroyForcibly();
        }
        String show = run(dir, "show", "1", "--json").out();
        assertThat(show).contains("\"status\" : \"completed\"").contains("\"throughput_tokens_per_sec\"");
        for (String event : List.of("ExperimentAbandoned", "ExperimentReopened", "MetricsRecorded",
                "ExperimentCompleted")) {
            assertThat(show).contains("\"" + event + "\"");
        }
        assertThat(show.indexOf("\"ExperimentAbandoned\"")).isLessThan(show.indexOf("\"ExperimentReopened\""));
        assertThat(show.indexOf("\"ExperimentReopened\"")).isLessThan(show.indexOf("\"ExperimentCompleted\""));
        assertThat(run(dir, "list").out()).contains("completed").doesNotContain("abandoned");
    }

    static void waitFor(Path file) throws InterruptedException {
        for (int i = 0; i < 600 && !(Files.exists(file) && size(file) > 0); i++) {
            Thread.sleep(100);
        }
        assertThat(file).exists();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
