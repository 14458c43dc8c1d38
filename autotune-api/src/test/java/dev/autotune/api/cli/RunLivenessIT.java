package dev.autotune.api.cli;

import dev.autotune.api.app.StoreFixture;
import dev.autotune.api.app.Autotune;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.ExperimentApi.AbandonExperiment;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import dev.autotune.api.app.common.StoreLocation;
import dev.autotune.store.Database;
import dev.autotune.store.DatabaseUrl;
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
    /** The store the commands run in {@code dir} use: ./autotune.db, or the PostgreSQL database standing in for it. */
    String db;
    Path scenario;

    @BeforeEach
    void oneTestScenario() throws Exception {
        db = AutotuneProcess.database(dir, "autotune.db");
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
        // the lease as the store's runner takes it: a file lock beside SQLite, a session advisory lock on PostgreSQL
        try (Database store = Database.open(DatabaseUrl.parse(db));
             RunLiveness.Lease lease = store.runLiveness().tryHold(id).orElseThrow()) {
            try (Autotune autotune = new Autotune(StoreLocation.of("db", db))) {
                StoreFixture.send(autotune, new StartExperiment(id, "vllm-agg", "vllm", Map.of(), null, null, null, Map.of(),
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
            try (Autotune autotune = new Autotune(StoreLocation.of("db", db))) {
                String id = autotune.history().show("1").experimentId();
                StoreFixture.send(autotune, new AbandonExperiment(id, "runner process 1 on another-namespace is gone"));
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

    /**
     * kill -9 of the runner in the middle of a sweep: steps 1 and 2 have their results on disk, step 3 is still
     * running. `run --recover` records the two finished steps and the started one (abandoned, no results), and running
     * it again records nothing; once step 3's results appear, the next recovery records them.
     */
    @Test
    void aSweepWhoseRunnerWasKilledIsRecoveredOnceFromItsRunDirectory() throws Exception {
        Path pids = dir.resolve("pids.txt");
        Process runner = AutotuneProcess.builder(dir, Map.of("FAKE_CLOUDAI_MODE", "sweep",
                        "FAKE_CLOUDAI_HANG_RUN", "3", "FAKE_CLOUDAI_PIDFILE", pids.toString()), "run",
                RunIT.SWEEP.toString(), "--system-config", SYSTEM.toString(), "--tests-dir", TESTS.toString(),
                "--cloudai-bin", FAKE.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("run.out").toFile()).start();
        List<ProcessHandle> tree;
        try {
            waitFor(pids);
            var live = run(dir, "run", "--recover", "1");
            assertThat(live.exit()).as(live.toString()).isEqualTo(2);
            assertThat(live.err()).contains("still going");
            tree = runner.descendants().toList();
        } finally {
            runner.destroyForcibly();
        }
        runner.waitFor(30, TimeUnit.SECONDS);
        tree.forEach(ProcessHandle::destroyForcibly);
        assertThat(run(dir, "list").out()).contains("abandoned");

        var first = run(dir, "run", "--recover", "1");
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.out()).contains("recorded experiments 1, 2, 3");
        String list = run(dir, "list", "--json").out();
        assertThat(statuses(list)).containsExactly("completed", "completed", "abandoned");
        assertThat(list).contains("\"decode.max_num_batched_tokens\" : 1024")
                .contains("\"decode.max_num_batched_tokens\" : 2048")
                .contains("\"decode.max_num_batched_tokens\" : 4096");
        String launch = run(dir, "show", "1", "--json").out();
        assertThat(launch).contains("\"ExperimentAbandoned\"").contains("\"ExperimentReopened\"")
                .contains("\"throughput_tokens_per_sec\"");

        var again = run(dir, "run", "--recover", "2");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("nothing new to record");
        assertThat(run(dir, "list", "--json").out()).isEqualTo(list);

        // step 3 finishes after all (cloudai outlived its runner): its results reopen experiment 3
        Path sweepDir;
        try (var found = Files.walk(dir.resolve("runs"))) {
            sweepDir = found.filter(p -> p.getFileName().toString().equals("trajectory.csv")).findFirst()
                    .orElseThrow().getParent();
        }
        try (var files = Files.list(sweepDir.resolve("2"))) {
            for (Path f : files.filter(f -> !f.getFileName().toString().equals("test-run.toml")).toList()) {
                Files.copy(f, sweepDir.resolve("3").resolve(f.getFileName()));
            }
        }
        var late = run(dir, "run", "--recover", "1");
        assertThat(late.exit()).as(late.toString()).isZero();
        assertThat(late.out()).contains("recorded experiment 3;");
        assertThat(statuses(run(dir, "list", "--json").out())).containsExactly("completed", "completed", "completed");
    }

    private static List<String> statuses(String listJson) {
        List<String> out = new java.util.ArrayList<>();
        var m = java.util.regex.Pattern.compile("\"status\" : \"([a-z]+)\"").matcher(listJson);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
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
