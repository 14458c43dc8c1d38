package dev.autotune.api.cli;

import dev.autotune.store.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BulkIngestTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("autotune.repo", ".."))
            .toAbsolutePath().normalize().resolve("reports/examples");
    private static final List<String> SAMPLES = List.of("batch-1-vllm-bench.json", "batch-4-aiperf.json",
            "batch-8-genai-perf.csv");

    @TempDir
    Path tmp;

    private Path folder(boolean broken) throws IOException {
        Path dir = tmp.resolve("reports");
        Path nested = Files.createDirectories(dir.resolve("nested"));
        for (int i = 0; i < SAMPLES.size(); i++) {
            Files.copy(EXAMPLES.resolve(SAMPLES.get(i)), (i == 2 ? nested : dir).resolve(SAMPLES.get(i)));
        }
        if (broken) {
            Files.writeString(dir.resolve("truncated.json"), "{\"mean_ttft_ms\": 12.5, \"output_thr");
            Files.writeString(nested.resolve("empty.json"), "");
        }
        return dir;
    }

    @Test
    void aFolderOfSampleReportsIsRecordedOnceAndASecondRunSkipsThemAsDuplicates() throws IOException {
        Path dir = folder(false);
        String db = TestStores.location(tmp, "a.db");
        Run first = run("ingest", dir.toString(), "--db", db);
        assertThat(first.exit).isZero();
        assertThat(first.out).contains("recorded 3, duplicates skipped 0, refused 0");
        Run again = run("ingest", dir.toString(), "--db", db);
        assertThat(again.exit).isZero();
        assertThat(again.out).contains("recorded 0, duplicates skipped 3, refused 0");
        assertThat(run("list", "--db", db).out.lines().count()).isEqualTo(4);
    }

    @Test
    void brokenFilesAreRefusedWithTheirReasonAndTheRestIsRecorded() throws IOException {
        Path dir = folder(true);
        String db = TestStores.location(tmp, "b.db");
        Run r = run("ingest", dir.toString(), "--db", db);
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.out).contains("recorded 3, duplicates skipped 0, refused 2")
                .contains("refused " + dir.resolve("truncated.json"))
                .contains("refused " + dir.resolve("nested/empty.json"));
        // each refusal's reason on stderr too
        assertThat(r.err.lines().filter(l -> !l.contains("created new database"))).hasSize(2)
                .allMatch(l -> l.startsWith("autotune: refused " + dir))
                .contains("autotune: refused " + dir.resolve("truncated.json") + ": truncated JSON at line 1 column 35"
                        + " (unexpected end of input)");
        assertThat(run("list", "--db", db).out.lines().count()).isEqualTo(4);
    }

    @Test
    void severalFilesAndGlobsAreExpandedAndAGlobMatchingNothingIsRefused() throws IOException {
        Path dir = folder(true);
        String db = TestStores.location(tmp, "c.db");
        Run r = run("ingest", dir.resolve("*.json").toString(), dir.resolve("nested/batch-8-genai-perf.csv").toString(),
                dir.resolve("*.nothing").toString(), "--db", db);
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.out).contains("recorded 3, duplicates skipped 0, refused 2")
                .contains("no file matches");
    }

    @Test
    void aCommandThatCreatesADatabaseSaysSoOnStderrOnce() throws IOException {
        Path dir = folder(false);
        String db = TestStores.location(tmp, "swep.db");
        Run first = run("ingest", dir.resolve("batch-1-vllm-bench.json").toString(), "--db", db);
        if (!db.contains("://")) { // a SQLite file; a server database is created by whoever runs the server
            assertThat(first.err).isEqualTo("autotune: created new database " + db + "\n");
        }
        Run again = run("ingest", dir.resolve("batch-4-aiperf.json").toString(), "--db", db);
        assertThat(again.err).isEmpty();
    }

    @Test
    void anEmptyFolderIsRefusedWithItsReasonOnStderr() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Run r = run("ingest", empty.toString(), "--db", TestStores.location(tmp, "e.db"));
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).isEqualTo("autotune: refused " + empty + ": no report files in it\n");
        assertThat(r.out).contains("refused 1");
    }

    /**
     * A CloudAI DSE results dir (shaped as cloudai writes one; files from the real fake-Slurm run in
     * shared/cloudai/fixtures/real_cli_runs/fake_slurm_vllm_dse, via autotune-runner's test resources): the agent
     * repeated step 1's action at step 3, so CloudAI reused its result and wrote no step dir for it.
     */
    private Path dseResultsDir(boolean missingStep) throws IOException {
        Path fixture = EXAMPLES.getParent().getParent().resolve("autotune-runner/src/test/resources/cloudai-fixtures"
                + "/real_cli_runs/fake_slurm_vllm_dse/vllm.dse.1node/0");
        Path root = tmp.resolve("results" + missingStep + "/vllm-dse_2026-11-24_22-06-25");
        Path iteration = Files.createDirectories(root.resolve("vllm.dse.1node/0"));
        for (int step : new int[]{1, 2, 4}) {
            Path dir = Files.createDirectories(iteration.resolve(Integer.toString(step)));
            try (var files = Files.list(fixture.resolve("3"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        }
        Files.copy(fixture.resolve("vllm.dse.1node.toml"), iteration.resolve("vllm.dse.1node.toml"));
        Files.writeString(root.resolve("vllm-dse.html"), "<html>status</html>");
        Files.writeString(iteration.resolve("trajectory.csv"), """
                step,action,reward,observation
                1,{'decode.max_num_batched_tokens': 1024},1672.0,"[1672.0, 418.0]"
                2,{'decode.max_num_batched_tokens': 2048},2184.0,"[2184.0, 546.0]"
                3,{'decode.max_num_batched_tokens': 1024},1672.0,"[1672.0, 418.0]"
                4,{'decode.max_num_batched_tokens': 4096},3208.0,"[3208.0, 802.0]"
                """ + (missingStep ? "5,{'decode.max_num_batched_tokens': 8192},1.0,\"[1.0, 1.0]\"\n" : ""));
        return root;
    }

    @Test
    void aDseResultsDirSkipsCloudaisOwnFilesAndAccountsForEveryTrajectoryRow() throws IOException {
        Path root = dseResultsDir(false);
        String db = TestStores.location(tmp, "d.db");
        Run r = run("ingest", root.toString(), "--db", db);

        assertThat(r.exit).as(r.out + r.err).isZero();
        assertThat(r.err.lines().filter(l -> !l.contains("created new database"))).isEmpty();
        Path traj = root.resolve("vllm.dse.1node/0/trajectory.csv");
        assertThat(r.out).contains("recorded 1, duplicates skipped 0, CloudAI's own files skipped 2, refused 0")
                .contains("  skipped " + root.resolve("vllm.dse.1node/0/vllm.dse.1node.toml") + ": CloudAI's own file"
                        + " (the best config of sweep vllm.dse.1node), not a report")
                .contains("  skipped " + root.resolve("vllm-dse.html") + ": CloudAI's own file (a scenario report"
                        + " page), not a report")
                .contains("  " + traj + ": step 1: recorded as experiment 1")
                .contains("  " + traj + ": step 2: recorded as experiment 2")
                .contains("  " + traj + ": step 3: skipped, a reuse of step 1 (the same action: CloudAI reused its"
                        + " result and ran no job)")
                .contains("  " + traj + ": step 4: recorded as experiment 3");
        assertThat(run("list", "--db", db).out.lines().count()).isEqualTo(4);

        Run missing = run("ingest", dseResultsDir(true).toString(), "--db", TestStores.location(tmp, "m.db"));
        assertThat(missing.exit).isEqualTo(2);
        assertThat(missing.err).contains("step 5: refused, no step directory 5/ beside the trajectory (its results"
                + " are missing)");
    }

    private record Run(int exit, String out, String err) {
    }

    /** Every call names its database, so the working directory is moot. */
    private static Run run(String... args) {
        AutotuneProcess.Result r = InProcessCli.run(Path.of(System.getProperty("java.io.tmpdir")), args);
        return new Run(r.exit(), r.out(), r.err());
    }
}
