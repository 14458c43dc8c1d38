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
    @TempDir
    Path dir;

    @Test
    void theFormatsOfOneRunIngestedAtOnceByManyProcessesAreRecordedOnce() throws Exception {
        List<Path> formats = new ArrayList<>();
        for (String f : List.of("profile_export_aiperf.json", "profile_export_aiperf.csv", "profile_export.jsonl")) {
            formats.add(ReportFactsCliTest.copy(ReportFactsCliTest.RUN1 + f, dir));
        }
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
