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
import static dev.autotune.api.cli.AutotuneProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Other formats of one run ingested at once by several real processes of the jar are recorded once. The rest of
 * what a report states is {@link ReportFactsCliTest}, in process.
 */
class ReportFactsIT {
    private static final Path SAMPLES = REPO.resolve("autotune-runner/src/test/resources/reports");
    private static final String RUN1 = "aiperf/run1-2025-10-03/";
    private static final String SMOKE = "aiperf/v0.8.0-smoke-100k-conc/";
    private static final String GUIDELLM = "guidellm/pre-v0.4-stripped-fixture/";

    @TempDir
    Path dir;

    private Path copy(String relative, Path into) throws Exception {
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
    void theFormatsOfOneRunIngestedAtOnceByManyProcessesAreRecordedOnce() throws Exception {
        List<Path> formats = List.of(copy(RUN1 + "profile_export_aiperf.json", dir),
                copy(RUN1 + "profile_export_aiperf.csv", dir), copy(RUN1 + "profile_export.jsonl", dir));
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            processes.add(AutotuneProcess.start(dir, Map.of(), "ingest", formats.get(i % 3).toString(),
                    "--db", "race.db", "--scenario", "race"));
        }
        int recorded = 0;
        for (Process p : processes) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() == 0) {
                recorded++;
            } else {
                assertThat(p.exitValue()).as(err).isEqualTo(2);
                assertThat(err).contains("already recorded as experiment 1");
            }
        }
        assertThat(recorded).isEqualTo(1);
        assertThat(Json.mapper().readTree(run(dir, "list", "--db", "race.db", "--json").out())).hasSize(1);
    }
}
