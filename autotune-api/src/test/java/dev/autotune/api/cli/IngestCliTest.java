package dev.autotune.api.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import dev.autotune.store.testing.TestStores;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.autotune.api.cli.AutotuneProcess.example;
import static dev.autotune.api.cli.InProcessCli.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingest's rules through the CLI in process ({@link InProcessCli}): a config's scenario, backend and knobs, the
 * duplicate refusal, bad reports refused with nothing written. {@link CliIT} keeps the end-to-end runs of the jar.
 */
class IngestCliTest {
    @TempDir
    Path dir;

    @Test
    void ingestTakesScenarioBackendAndKnobsFromAConfigUnlessGivenExplicitly() {
        var r = run(dir, "ingest", example("batch-1-vllm-bench.json").toString(),
                "--config", AutotuneProcess.REPO.resolve("configs/examples/llama3-8b-chat.toml").toString(),
                "--set", "serving.batch_size=1");
        assertThat(r.exit()).as(r.toString()).isZero();
        var show = run(dir, "show", "1", "--json");
        assertThat(show.out()).contains("\"scenario\" : \"llama3-8b-chat\"").contains("\"backend\" : \"vllm\"")
                .contains("\"serving.batch_size\" : 1").contains("\"serving.gpu_memory_utilization\" : 0.9")
                .contains("\"config_sha256\" : \"");
    }

    @Test
    void theSameReportWithTheSameConfigIsRefusedUnlessAllowed() throws Exception {
        String report = example("batch-8-genai-perf.csv").toString();
        assertThat(run(dir, "ingest", report, "--set", "b=8").exit()).isZero();
        var dup = run(dir, "ingest", report, "--set", "b=8");
        assertThat(dup.exit()).isEqualTo(2);
        assertThat(dup.err().strip()).contains("already recorded as experiment 1").doesNotContain("\n");
        assertThat(run(dir, "ingest", report, "--set", "b=16").exit()).isZero();
        assertThat(run(dir, "ingest", report, "--set", "b=8", "--allow-duplicate").exit()).isZero();
        assertThat(run(dir, "list", "--json").out()).contains("\"id\" : 3");
    }

    @Test
    void badReportsAreRefusedWithOneLineAndNothingIsWritten() throws Exception {
        Path db = dir.resolve("kept.db");
        assertThat(run(dir, "ingest", example("batch-1-vllm-bench.json").toString(), "--db", db.toString()).exit()).isZero();
        // on PostgreSQL the file is a database on the server; the list below shows nothing changed there
        long before = TestStores.onPostgres() ? 0 : Files.size(db);
        String listBefore = run(dir, "list", "--db", db.toString(), "--json").out();

        Path truncated = dir.resolve("cut.json");
        String full = Files.readString(example("batch-4-aiperf.json"));
        Files.writeString(truncated, full.substring(0, full.length() / 2));
        Path empty = Files.writeString(dir.resolve("empty.json"), "");
        Path binary = Files.write(dir.resolve("blob.bin"), new byte[]{0, 1, 2, (byte) 0xff, 0, 7});
        Path noMetrics = Files.writeString(dir.resolve("other.json"), "{\"hello\": \"world\"}");
        for (Path bad : List.of(truncated, empty, binary, noMetrics, dir.resolve("missing.json"))) {
            var r = run(dir, "ingest", bad.toString(), "--db", db.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip()).as(r.toString()).startsWith("autotune: ").contains(bad.getFileName().toString())
                    .doesNotContain("\n").doesNotContain("Exception");
        }
        assertThat(run(dir, "list", "--db", db.toString(), "--json").out()).isEqualTo(listBefore);

        var neverCreated = run(dir, "ingest", empty.toString(), "--db", dir.resolve("fresh.db").toString());
        assertThat(neverCreated.exit()).isEqualTo(2);
        assertThat(dir.resolve("fresh.db")).doesNotExist();
    }
}
