package dev.autotune.api.cli;

import dev.autotune.domain.PathKnobs;
import dev.autotune.store.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void correctionsOverAFilterCountWhatMatchedAndGiveEachExperimentItsOwnEvent() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sweep"));
        String report = Files.readString(VLLM);
        int n = 0;
        for (String name : List.of("tp4_c16", "tp8_c16", "tp8_c32")) {
            n++;
            Files.writeString(dir.resolve(name + ".json"), report.replace("\"max_concurrency\": null",
                    "\"max_concurrency\": " + name.substring(name.indexOf("_c") + 2))
                    .replace("\"duration\": 18.0", "\"duration\": " + (18 + n)));
        }
        String db = TestStores.location(tmp, "b.db");
        assertThat(run("ingest", dir.toString(), "--scenario", "gpt-oss", "--knobs-from-path",
                "tp{cmd_args.serve.tensor_parallel_size}_c{max_concurrency}", "--db", db)[0]).isEqualTo("0");

        String[] tagged = run("tag", "--where", "knob.tp = 8", "gpu=H200", "--db", db);
        assertThat(tagged[0]).isEqualTo("0");
        assertThat(tagged[1]).contains("2 experiments match 'knob.tp = 8'").contains("tagged 2 experiments; each has its "
                + "own event in the timeline");
        String[] excluded = run("exclude", "--where", "knob.concurrency = 16", "--reason", "warm-up runs", "--db", db);
        assertThat(excluded[1]).contains("2 experiments match").contains("excluded 2 experiments");
        // excluded experiments match only when asked
        String[] again = run("exclude", "--where", "knob.concurrency = 16", "--reason", "x", "--db", db);
        assertThat(again[0]).isEqualTo("2");
        assertThat(again[1]).contains("no experiment matches 'knob.concurrency = 16' (excluded ones only with "
                + "--include-excluded)");
        // a correction an experiment refuses is reported on its line, the others still get theirs
        String[] same = run("amend", "--where", "knob.tp = 8", "--include-excluded", "--set",
                "cmd_args.serve.tensor_parallel_size=8", "--db", db);
        assertThat(same[0]).isEqualTo("2");
        assertThat(same[1]).contains("refused experiment 2: nothing to amend").contains("amended 0 experiments, refused 2");
        String[] amended = run("amend", "--where", "knob.max_concurrency = 32", "--set", "bench_cmd_args.max_concurrency=48",
                "--db", db);
        assertThat(amended[1]).contains("1 experiment match").contains("amended 1 experiment");
        for (int id = 1; id <= 3; id++) {
            String show = run("show", Integer.toString(id), "--db", db)[1];
            assertThat(show).as("experiment " + id).contains(id == 1 ? "ExperimentExcluded" : "ExperimentTagged");
        }
        assertThat(run("show", "3", "--db", db)[1]).contains("ExperimentAmended");
        assertThat(run("tag", "--where", "knob.tp = 2", "gpu=H200", "--db", db)[1])
                .contains("--where: no experiment matches 'knob.tp = 2'");
        assertThat(run("exclude", "--reason", "x", "--db", db)[1]).contains("give an experiment ID, or --where");
    }

    /** The exit code and everything printed; every call names its database, so the working directory is moot. */
    private static String[] run(String... args) {
        AutotuneProcess.Result r = InProcessCli.run(Path.of(System.getProperty("java.io.tmpdir")), args);
        return new String[]{Integer.toString(r.exit()), r.out() + r.err()};
    }
}
