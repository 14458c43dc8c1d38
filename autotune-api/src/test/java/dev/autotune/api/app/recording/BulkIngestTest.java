package dev.autotune.api.app.recording;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.common.StoreLocation;
import dev.autotune.store.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bulk-ingest use case in process: each report on its own, every outcome reported as it happens. */
class BulkIngestTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("autotune.repo", ".."))
            .toAbsolutePath().normalize().resolve("reports/examples");

    @TempDir
    Path tmp;

    @Test
    void eachReportIsRecordedARepeatIsADuplicateOfTheFirstAndABrokenOneIsRefusedWithoutStoppingTheRest()
            throws IOException {
        Path good = EXAMPLES.resolve("batch-1-vllm-bench.json");
        Path broken = Files.writeString(tmp.resolve("truncated.json"), "{\"mean_ttft_ms\": 12.5, \"output_thr");
        Path other = EXAMPLES.resolve("batch-4-aiperf.json");
        List<String> seen = new ArrayList<>();
        List<BulkIngest.Outcome<Path>> outcomes;
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(tmp, "bulk.db")))) {
            outcomes = new BulkIngest(autotune.recording()).record(List.of(good, broken, good, other),
                    file -> new Recording.IngestInput(file, null, null, null, null, List.of(), null, List.of(), false),
                    o -> seen.add(o.item().getFileName() + " " + o.status()));
        }
        assertThat(seen).containsExactly("batch-1-vllm-bench.json RECORDED", "truncated.json REFUSED",
                "batch-1-vllm-bench.json DUPLICATE", "batch-4-aiperf.json RECORDED");
        assertThat(outcomes.get(0).result().number()).isEqualTo(1);
        assertThat(outcomes.get(0).problem()).isNull();
        assertThat(outcomes.get(1).result()).isNull();
        assertThat(outcomes.get(1).reason()).contains("truncated JSON at line 1 column 35");
        assertThat(outcomes.get(2).problem().existing()).isEqualTo(1);
        assertThat(outcomes.get(3).result().number()).isEqualTo(2);
    }

    @Test
    void anItemWhoseInputCannotBeMadeIsRefusedWithThatReason() {
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(tmp, "input.db")))) {
            List<BulkIngest.Outcome<String>> outcomes = new BulkIngest(autotune.recording()).record(List.of("upload.zip"),
                    name -> {
                        throw new IllegalArgumentException(name + ": not a zip of a sweep");
                    }, o -> { });
            assertThat(outcomes).singleElement().satisfies(o -> {
                assertThat(o.status()).isEqualTo(BulkIngest.Status.REFUSED);
                assertThat(o.reason()).isEqualTo("upload.zip: not a zip of a sweep");
            });
        }
    }
}
