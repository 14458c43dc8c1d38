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

    private record Run(int exit, String out) {
    }

    private static Run run(String... args) {
        InProcess.Result r = InProcess.run(args);
        return new Run(r.exit(), r.out());
    }
}
