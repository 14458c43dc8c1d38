package dev.autotune.api.cli;

import dev.autotune.domain.PathKnobs;
import dev.autotune.store.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** `ingest DIR --knobs-from-path PATTERN`: a sweep folder whose reports do not state every knob. */
class KnobsFromPathTest {
    private static final Path VLLM = Path.of(System.getProperty("autotune.repo", "..")).toAbsolutePath().normalize()
            .resolve("reports/examples/batch-1-vllm-bench.json");

    @TempDir
    Path tmp;

    @Test
    void aPatternReadsKnobValuesFromTheFileNameElseADirectoryName() {
        PathKnobs p = PathKnobs.compile("tp{tensor_parallel_size}_c{max_concurrency}");
        assertThat(p.match(List.of("tp8_c32"))).contains(Map.of("tensor_parallel_size", 8L, "max_concurrency", 32L));
        assertThat(p.match(List.of("vllm-bench", "tp4_c16", "sweep"))).contains(
                Map.of("tensor_parallel_size", 4L, "max_concurrency", 16L));
        assertThat(p.match(List.of("tp8", "sweep"))).isEmpty();
        assertThat(PathKnobs.compile("{kv_cache_dtype}-{gpu_memory_utilization}").match(List.of("fp8-0.9")))
                .contains(Map.of("kv_cache_dtype", "fp8", "gpu_memory_utilization", 0.9));
        assertThatThrownBy(() -> PathKnobs.compile("tp_c")).hasMessageContaining("names no knob");
    }

    @Test
    void aSweepFolderIsOneIngestAndEachFileThatDoesNotMatchIsOneLine() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sweep"));
        String report = Files.readString(VLLM);
        int n = 0;
        for (String name : List.of("tp4_c16", "tp8_c16", "tp8_c32", "tp8")) {
            n++;
            String c = name.contains("_c") ? name.substring(name.indexOf("_c") + 2) : "16";
            Files.writeString(dir.resolve(name + ".json"), report.replace("\"max_concurrency\": null",
                    "\"max_concurrency\": " + c).replace("\"duration\": 18.0", "\"duration\": " + (18 + n)));
        }
        String db = TestStores.location(tmp, "a.db");
        String[] out = run("ingest", dir.toString(), "--scenario", "gpt-oss", "--knobs-from-path",
                "tp{tensor_parallel_size}_c{max_concurrency}", "--db", db);
        assertThat(out[0]).isEqualTo("2");
        assertThat(out[1]).contains("recorded 3, duplicates skipped 0, refused 1")
                .contains("refused " + dir.resolve("tp8.json")
                        + ": its name does not match 'tp{tensor_parallel_size}_c{max_concurrency}'");
        String list = run("list", "--db", db, "--columns", "id,tp,concurrency", "--sort", "id")[1];
        // one column per knob: the file name's max_concurrency is the load the report states
        assertThat(list.lines().map(String::strip).toList()).contains("1                     4           16",
                "3                     8           32");
        assertThat(run("ingest", dir.toString(), "--knobs-from-path", "tp_c", "--db", db)[1])
                .contains("--knobs-from-path").contains("names no knob");
    }

    private static String[] run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            int exit = AutotuneCli.execute(args);
            return new String[]{Integer.toString(exit), bytes.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
