package dev.autotune.api.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.store.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.autotune.api.cli.AutotuneProcess.REPO;
import static dev.autotune.api.cli.InProcessCli.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The facts a report states, other formats of one run, folders and CloudAI trajectories, recorded through the
 * CLI in process ({@link InProcessCli}). {@link ReportFactsIT} keeps what needs several real processes at once.
 */
class ReportFactsCliTest {
    private static final Path SAMPLES = REPO.resolve("autotune-runner/src/test/resources/reports");
    static final String RUN1 = "aiperf/run1-2025-10-03/";
    private static final String SMOKE = "aiperf/v0.8.0-smoke-100k-conc/";
    private static final String GUIDELLM = "guidellm/pre-v0.4-stripped-fixture/";

    @TempDir
    Path dir;

    /** A shared report sample copied into {@code into} under its relative path. */
    static Path copy(String relative, Path into) throws Exception {
        Path target = into.resolve(relative);
        Files.createDirectories(target.getParent());
        return Files.copy(SAMPLES.resolve(relative), target);
    }

    /**
     * A DSE sweep CloudAI ran without autotune, from the real fake-Slurm vLLM run (cloudai-fixtures, see its
     * PROVENANCE.md): its trajectory.csv has steps 1 to 3, but only step 3's directory was kept upstream, so
     * copies of it stand in for steps 1 and 2; each step's knob comes from its trajectory row, as in `run`.
     */
    private Path sweep() throws Exception {
        Path fixture = REPO.resolve("autotune-runner/src/test/resources/cloudai-fixtures/real_cli_runs/"
                + "fake_slurm_vllm_dse/vllm.dse.1node/0");
        Path iteration = Files.createDirectories(dir.resolve("results/vllm-dse_2026-11-24_22-06-25/vllm.dse.1node/0"));
        Files.copy(fixture.resolve("trajectory.csv"), iteration.resolve("trajectory.csv"));
        for (String step : List.of("1", "2", "3")) {
            Path stepDir = Files.createDirectories(iteration.resolve(step));
            try (var files = Files.list(fixture.resolve("3"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, stepDir.resolve(f.getFileName()));
                }
            }
        }
        return iteration.resolve("trajectory.csv");
    }

    @Test
    void aFolderOfTheSharedSamplesPlusBrokenFilesIsOneCommandWithTheRightSummary() throws Exception {
        Path folder = dir.resolve("reports");
        for (String sample : List.of(RUN1 + "profile_export_aiperf.json", RUN1 + "profile_export_aiperf.csv",
                RUN1 + "profile_export.jsonl", SMOKE + "profile_export_aiperf.json", SMOKE + "profile_export_aiperf.csv",
                "genai-perf/cloudai-userguide-excerpt/profile_genai_perf.csv", GUIDELLM + "benchmarks_stripped.json",
                GUIDELLM + "benchmarks_stripped.yaml", GUIDELLM + "benchmarks_stripped_output.txt",
                "cloudai/extracted_from_tests/vllm/vllm-bench.json",
                "cloudai/extracted_from_tests/sglang/sglang-bench.jsonl")) {
            copy(sample, folder);
        }
        Files.writeString(folder.resolve("truncated.json"), "{\"mean_ttft_ms\": 12.5, \"output_thr");
        Files.writeString(folder.resolve("empty.csv"), "");

        var r = run(dir, "ingest", folder.toString(), "--db", "f.db");

        // one experiment per run: AIPerf run1 (3 formats), AIPerf 0.8 (2), GenAI-Perf, GuideLLM (3), vLLM, SGLang
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).contains("recorded 6, duplicates skipped 5, refused 2")
                .contains("refused " + folder.resolve("truncated.json"))
                .contains("refused " + folder.resolve("empty.csv"))
                .contains("the same benchmark run is already recorded as experiment");
        var list = Json.mapper().readTree(run(dir, "list", "--db", "f.db", "--json").out());
        assertThat(list).hasSize(6);
    }

    @Test
    void theFactsAppearInShowListAndExport() throws Exception {
        Path json = copy(RUN1 + "profile_export_aiperf.json", dir);
        var ingest = run(dir, "ingest", json.toString(), "--db", "s.db");
        assertThat(ingest.exit()).as(ingest.toString()).isZero();

        JsonNode show = Json.mapper().readTree(run(dir, "show", "1", "--db", "s.db", "--json").out());
        assertThat(show.get("measured_at").asText()).isEqualTo("2025-10-03T20:13:39.154Z");
        assertThat(show.get("facts").get("model").asText()).isEqualTo("openai/gpt-oss-20b");
        assertThat(show.get("facts").get("isl").asInt()).isEqualTo(550);
        assertThat(show.get("facts").get("requests").asInt()).isEqualTo(100);
        // the stated concurrency is a knob, since the user did not set one
        assertThat(show.get("config").get("concurrency").asInt()).isEqualTo(100);
        assertThat(show.get("reports").get(0).get("run_fingerprint").asText()).hasSize(64);
        assertThat(show.get("started_at").asText()).isNotEqualTo(show.get("measured_at").asText());

        String text = run(dir, "show", "1", "--db", "s.db").out();
        assertThat(text).contains("measured     2025-10-03").contains("report facts")
                .contains("model = openai/gpt-oss-20b");

        JsonNode row = Json.mapper().readTree(run(dir, "list", "--db", "s.db", "--json").out()).get(0);
        assertThat(row.get("measured_at").asText()).isEqualTo("2025-10-03T20:13:39.154Z");
        assertThat(row.get("facts").get("concurrency").asInt()).isEqualTo(100);
        assertThat(run(dir, "list", "--db", "s.db").out()).contains("2025-10-03");

        String csv = run(dir, "export", "--db", "s.db", "--format", "csv").out();
        assertThat(csv.lines().findFirst().orElseThrow()).contains("measured_at").contains("fact:model");
        assertThat(csv).contains("openai/gpt-oss-20b").contains("2025-10-03T20:13:39.154Z");
        assertThat(run(dir, "export", "--db", "s.db", "--format", "markdown").out()).contains("| model |");
    }

    @Test
    void aSetKnobWinsOverTheStatedLoad() throws Exception {
        Path json = copy(RUN1 + "profile_export_aiperf.json", dir);
        assertThat(run(dir, "ingest", json.toString(), "--db", "k.db", "--set", "concurrency=64").exit()).isZero();
        JsonNode show = Json.mapper().readTree(run(dir, "show", "1", "--db", "k.db", "--json").out());
        assertThat(show.get("config").get("concurrency").asInt()).isEqualTo(64);
        assertThat(show.get("facts").get("concurrency").asInt()).isEqualTo(100);
    }

    @Test
    void anotherFormatOfTheSameRunIsRefusedNamingTheEarlierExperimentUnlessAllowed() throws Exception {
        Path json = copy(RUN1 + "profile_export_aiperf.json", dir);
        Path csv = copy(RUN1 + "profile_export_aiperf.csv", dir);
        assertThat(run(dir, "ingest", json.toString(), "--db", "d.db").exit()).isZero();

        var again = run(dir, "ingest", csv.toString(), "--db", "d.db");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err().strip()).doesNotContain("\n").contains(csv.toString())
                .contains("the same benchmark run is already recorded as experiment 1");

        var allowed = run(dir, "ingest", csv.toString(), "--db", "d.db", "--allow-duplicate");
        assertThat(allowed.exit()).as(allowed.toString()).isZero();
        // another run of the same tool is not a duplicate
        Path other = copy(SMOKE + "profile_export_aiperf.csv", dir);
        assertThat(run(dir, "ingest", other.toString(), "--db", "d.db").exit()).isZero();
        assertThat(Json.mapper().readTree(run(dir, "list", "--db", "d.db", "--json").out())).hasSize(3);
    }

    @Test
    void aTrajectoryIsOneExperimentPerStepWithTheStepsKnobs() throws Exception {
        Path trajectory = sweep();
        var r = run(dir, "ingest", trajectory.toString(), "--db", "t.db", "--scenario", "vllm-dse");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("recorded experiments 1, 2, 3 from " + trajectory + " (cloudai-trajectory, one per step)");

        JsonNode list = Json.mapper().readTree(run(dir, "list", "--db", "t.db", "--json").out());
        assertThat(list).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode row = list.get(i);
            assertThat(row.get("status").asText()).isEqualTo("completed");
            assertThat(row.get("source").asText()).isEqualTo("ingest");
            assertThat(row.get("scenario").asText()).isEqualTo("vllm-dse");
            assertThat(row.get("knobs").get("decode.max_num_batched_tokens").asInt()).isEqualTo(1024 << i);
            assertThat(row.get("run_id").asText()).isEqualTo(list.get(0).get("run_id").asText());
            assertThat(row.get("metrics").get("throughput_tokens_per_sec")).isNotNull();
        }
        JsonNode show = Json.mapper().readTree(run(dir, "show", "2", "--db", "t.db", "--json").out());
        assertThat(show.get("metadata").get("cloudai.step").asText()).isEqualTo("2");

        var again = run(dir, "ingest", trajectory.toString(), "--db", "t.db", "--scenario", "vllm-dse");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("this sweep is already recorded").contains("experiment 1");
    }

    @Test
    void aFolderWithASweepRecordsItThroughItsTrajectoryOnly() throws Exception {
        sweep();
        var r = run(dir, "ingest", dir.resolve("results").toString(), "--db", "b.db");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("recorded 1, duplicates skipped 0, refused 0")
                .contains("experiments 1, 2, 3 (cloudai-trajectory)");
        assertThat(Json.mapper().readTree(run(dir, "list", "--db", "b.db", "--json").out())).hasSize(3);
    }

    @Test
    void aTrajectoryWithoutItsStepDirectoriesIsRefusedWithOneLine() throws Exception {
        Path lone = Files.createDirectories(dir.resolve("lone")).resolve("trajectory.csv");
        Files.copy(REPO.resolve("autotune-runner/src/test/resources/cloudai-fixtures/real_cli_runs/"
                + "fake_slurm_vllm_dse/vllm.dse.1node/0/trajectory.csv"), lone);
        var r = run(dir, "ingest", lone.toString(), "--db", "l.db");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains(lone.toString()).contains("no step directories");
    }
}
