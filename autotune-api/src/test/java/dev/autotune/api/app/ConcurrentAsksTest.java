package dev.autotune.api.app;

import dev.autotune.api.app.common.StoreLocation;
import dev.autotune.api.app.studies.Studies;
import dev.autotune.store.testing.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21, item 3: four processes ask one study at once (as four `tune` workers or scripts on four machines
 * sharing the team's database would), on SQLite and on PostgreSQL. Every ask is decided and recorded under the
 * study's lock in the store, so each process gets its own configs: twelve asks, twelve trials, twelve distinct
 * configs, none lost. Without the lock two processes decide from the same state, propose the same next config of
 * the grid, and the study refuses the second (a config already waiting), so an ask fails.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrentAsksTest {
    static final int PROCESSES = 4;
    static final int ASKS = 3;

    @TempDir
    Path dir;

    private Path space() throws Exception {
        return Files.writeString(dir.resolve("space.toml"), """
                scenario = "chat"
                objective = "maximize throughput_tokens_per_sec"
                budgets = ["latency_ms <= 200"]
                strategy = "grid"

                [knobs]
                "serving.batch_size" = { start = 1, end = 32, step = 1 }
                """);
    }

    @Test
    void fourProcessesAskingOneStudyOnSqliteGetDistinctConfigsAndNoneIsLost() throws Exception {
        askFromFourProcesses(dir.resolve("shared.db").toString());
    }

    @Test
    void fourProcessesAskingOneStudyOnPostgresqlGetDistinctConfigsAndNoneIsLost() throws Exception {
        PostgresCluster pg = PostgresCluster.get();
        askFromFourProcesses(pg.url(pg.freshDatabase("concurrent_asks")));
    }

    private void askFromFourProcesses(String db) throws Exception {
        Path space = space();
        try (Autotune autotune = new Autotune(StoreLocation.of("db", db))) {
            autotune.studies().create(space, null, null);
        }
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            processes.add(ask(db, p));
        }
        List<String> failures = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            Process process = processes.get(p);
            assertThat(process.waitFor(240, TimeUnit.SECONDS)).as("process %d ended", p).isTrue();
            if (process.exitValue() != 0) {
                failures.add("process " + p + " exit " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("err-" + p + ".txt"), StandardCharsets.UTF_8));
            }
        }
        assertThat(failures).as("every ask of every process was answered").isEmpty();
        try (Autotune autotune = new Autotune(StoreLocation.of("db", db))) {
            var trials = autotune.studies().show("1").trials();
            assertThat(trials).hasSize(PROCESSES * ASKS);
            Set<Map<String, Object>> configs = new HashSet<>();
            trials.forEach(t -> configs.add(t.config()));
            assertThat(configs).as("no config proposed twice").hasSize(PROCESSES * ASKS);
            assertThat(trials).extracting(Studies.TrialView::trial)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, PROCESSES * ASKS).boxed().toList());
        }
        // what each process printed: its own trials, every one of them recorded
        Set<String> printed = new HashSet<>();
        for (int p = 0; p < PROCESSES; p++) {
            for (String line : Files.readAllLines(dir.resolve("out-" + p + ".txt"))) {
                if (line.startsWith("trial ")) {
                    assertThat(printed.add(line.substring(0, line.indexOf(':')))).as(line).isTrue();
                }
            }
        }
        assertThat(printed).hasSize(PROCESSES * ASKS);
    }

    /** `autotune ask 1 -n 3` in a JVM of its own, from the test's class path. */
    private Process ask(String db, int p) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Daxoniq.update-checker.disabled=true", "-cp", System.getProperty("java.class.path"),
                "dev.autotune.api.cli.AutotuneCli", "ask", "1", "-n", Integer.toString(ASKS), "--db", db);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("out-" + p + ".txt").toFile())
                .redirectError(dir.resolve("err-" + p + ".txt").toFile());
        pb.environment().remove("AUTOTUNE_DB");
        return pb.start();
    }
}
