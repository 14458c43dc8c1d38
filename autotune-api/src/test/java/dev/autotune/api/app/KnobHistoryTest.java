package dev.autotune.api.app;

import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.common.BudgetInput;
import dev.autotune.api.app.common.StoreLocation;
import dev.autotune.api.app.studies.Studies;
import dev.autotune.api.app.recording.Recording;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.store.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A history recorded before knobs had one name (issue 20) gets canonical knobs from its unchanged events: on import,
 * and again on rebuild, with the same experiment numbers.
 */
class KnobHistoryTest {
    @TempDir
    Path dir;

    @Test
    void anEventLogRecordedBeforeKnobsHadOneNameReplaysIntoOneColumnPerKnob() throws Exception {
        Path log = dir.resolve("before-knob-names.jsonl");
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/history/before-knob-names.jsonl"))) {
            Files.copy(in, log);
        }
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "old.db")))) {
            assertThat(autotune.eventLog().importEvents(log, p -> {
            })).isEqualTo(20);
            assertCanonical(StoreFixture.views(autotune).list().list(ListFilter.ALL, 0));
            autotune.eventLog().rebuild(p -> {
            });
            List<ExperimentSummary> rebuilt = StoreFixture.views(autotune).list().list(ListFilter.ALL, 0);
            assertCanonical(rebuilt);
            // the events keep the paths as recorded: the audit trail is unchanged
            assertThat(Files.readString(log)).contains("cmd_args.serve.tensor_parallel_size")
                    .contains("bench_cmd_args.max_concurrency");
        }
    }

    @Test
    void aReportFactAndAConfigValueOfTheLoadAreOneKnobAndADisagreementIsOneLine() throws Exception {
        Path repo = Path.of(System.getProperty("autotune.repo", "..")).toAbsolutePath().normalize();
        Path report = Files.writeString(dir.resolve("c16.json"), Files.readString(
                repo.resolve("reports/examples/batch-1-vllm-bench.json")).replace("\"max_concurrency\": null",
                "\"max_concurrency\": 16"));
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "load.db")))) {
            var r = autotune.recording().ingest(new Recording.IngestInput(report, null, null, "gpt-oss", null,
                    List.of("bench_cmd_args.max_concurrency=64", "cmd_args.serve.tensor_parallel_size=8"), null,
                    List.of(), false));
            assertThat(r.warnings()).containsExactly("the report states concurrency 16 but the config sets "
                    + "bench_cmd_args.max_concurrency=64; views use the config value (show has both)");
            ExperimentSummary row = StoreFixture.views(autotune).list().list(ListFilter.ALL, 0).get(0);
            assertThat(row.knobs()).containsEntry("concurrency", 64).containsEntry("serve.tensor_parallel_size", 8)
                    .hasSize(2);
            assertThat(row.facts()).containsEntry("concurrency", 16);
        }
    }

    @Test
    void aSpaceLearnsFromEveryIngestedExperimentOfItsKnobsAndProposesNoMeasuredConfig() throws Exception {
        Path repo = Path.of(System.getProperty("autotune.repo", "..")).toAbsolutePath().normalize();
        String vllm = Files.readString(repo.resolve("reports/examples/batch-1-vllm-bench.json"));
        Path space = Files.writeString(dir.resolve("space.toml"), """
                scenario = "gpt-oss"
                objective = "maximize throughput_tokens_per_sec"
                strategy = "grid"

                [knobs]
                "cmd_args.serve.tensor_parallel_size" = [4, 8]
                "bench_cmd_args.max_concurrency" = [16, 32]
                """);
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "space.db")))) {
            int n = 0;
            // three of the four configs, recorded the obvious way: --set tp, the load read from each report
            for (int[] tpC : new int[][]{{4, 16}, {4, 32}, {8, 16}}) {
                n++;
                Path report = Files.writeString(dir.resolve("tp" + tpC[0] + "_c" + tpC[1] + ".json"),
                        vllm.replace("\"max_concurrency\": null", "\"max_concurrency\": " + tpC[1])
                                .replace("\"duration\": 18.0", "\"duration\": " + (18 + n)));
                autotune.recording().ingest(new Recording.IngestInput(report, null, null, "gpt-oss", null,
                        List.of("cmd_args.serve.tensor_parallel_size=" + tpC[0]), null, List.of(), false));
            }
            // one without a load, one with tp outside the space
            autotune.recording().ingest(new Recording.IngestInput(repo.resolve("reports/examples/batch-1-vllm-bench.json"), null,
                    null, "gpt-oss", null, List.of("cmd_args.serve.tensor_parallel_size=8"), null, List.of(), false));
            Path tp2 = Files.writeString(dir.resolve("tp2.json"), vllm.replace("\"max_concurrency\": null",
                    "\"max_concurrency\": 16").replace("\"duration\": 18.0", "\"duration\": 30.0"));
            autotune.recording().ingest(new Recording.IngestInput(tp2, null, null, "gpt-oss", null,
                    List.of("cmd_args.serve.tensor_parallel_size=2"), null, List.of(), false));

            Studies studies = autotune.studies();
            assertThat(studies.historyNote(space, false)).isEqualTo("used 3 of 5 experiments of scenario gpt-oss; "
                    + "left out 2: 1 has cmd_args.serve.tensor_parallel_size outside the space, 1 records no value "
                    + "for bench_cmd_args.max_concurrency");
            Studies.Next next = studies.advise(space, null, null, false).next();
            assertThat(next.config()).as("the one config not measured yet").isEqualTo(Map.of(
                    "cmd_args.serve.tensor_parallel_size", 8L, "bench_cmd_args.max_concurrency", 32L));
        }
    }

    @Test
    void aSpaceKnobTheCloudaiTestDoesNotHaveIsRefusedNamingTheNearestKeyBeforeAnythingIsRecorded() throws Exception {
        Path repo = Path.of(System.getProperty("autotune.repo", "..")).toAbsolutePath().normalize();
        String example = Files.readString(repo.resolve("configs/examples/vllm-space.toml"))
                .replace("cloudai/vllm-tune.toml", repo.resolve("configs/examples/cloudai/vllm-tune.toml").toString())
                .replace("\"cloudai/tests\"", "\"" + repo.resolve("configs/examples/cloudai/tests") + "\"");
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "refused.db")))) {
            Studies studies = autotune.studies();
            Path typo = Files.writeString(dir.resolve("typo.toml"), example.replace(
                    "\"cmd_args.serve.tensor_parallel_size\" = [1, 2, 4, 8]",
                    "\"cmd_args.serve.tensor_paralel_size\" = [1, 2, 4, 8]")
                    .replace("gpus = \"cmd_args.serve.tensor_parallel_size\"", "gpus = \"8\"")
                    .replace("cmd_args.serve.tensor_parallel_size * ", "8 * "));
            assertThatThrownBy(() -> studies.create(typo, null, null)).isInstanceOf(UserError.class)
                    .hasMessageContaining("key 'knobs.\"cmd_args.serve.tensor_paralel_size\"': is not a key of CloudAI "
                            + "test 'vllm' (vllm.toml with the scenario's overrides); nearest: "
                            + "cmd_args.serve.tensor_parallel_size");
            Path load = Files.writeString(dir.resolve("load.toml"), example.replace(
                    "\"cmd_args.serve.kv_cache_dtype\" = [\"auto\", \"fp8\"]", "\"concurrency\" = [16, 32]"));
            assertThatThrownBy(() -> studies.create(load, null, null)).isInstanceOf(UserError.class)
                    .hasMessageContaining("knobs.\"concurrency\"");
            assertThat(StoreFixture.views(autotune).studies().list()).isEmpty();
            // the example itself declares every knob it searches
            assertThat(studies.create(Files.writeString(dir.resolve("ok.toml"), example), null, null).created()).isTrue();
        }
    }

    @Test
    void recommendKnobStaysOnTheKnobsLatticeAndTakesTheDomainASpaceDeclares() throws Exception {
        Path repo = Path.of(System.getProperty("autotune.repo", "..")).toAbsolutePath().normalize();
        String vllm = Files.readString(repo.resolve("reports/examples/batch-1-vllm-bench.json"));
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "lattice.db")))) {
            for (int tp : new int[]{4, 8}) {
                Path report = Files.writeString(dir.resolve("tp" + tp + ".json"), vllm
                        .replace("\"mean_e2el_ms\": 90.0", "\"mean_e2el_ms\": " + (tp * 40.0))
                        .replace("\"output_throughput\": 120.0", "\"output_throughput\": " + (tp * 100.0))
                        .replace("\"duration\": 18.0", "\"duration\": " + (18 + tp)));
                autotune.recording().ingest(new Recording.IngestInput(report, null, null, "gpt-oss", null,
                        List.of("cmd_args.serve.tensor_parallel_size=" + tp), null, List.of(), false));
            }
            BudgetInput budget = new BudgetInput("200", null, null, null, List.of());
            var settled = autotune.analysis().recommend(List.of("tp"), budget, null, "gpt-oss", false);
            assertThat(settled.toString()).contains("keep 4; serve.tensor_parallel_size is settled there")
                    .doesNotContain("try 6");
            Path space = Files.writeString(dir.resolve("tp-space.toml"), """
                    scenario = "gpt-oss"
                    objective = "maximize throughput_tokens_per_sec"

                    [knobs]
                    "cmd_args.serve.tensor_parallel_size" = [1, 2, 4, 6, 8]
                    """);
            autotune.studies().create(space, null, null);
            var declared = autotune.analysis().recommend(List.of("tp"), budget, null, "gpt-oss", false);
            assertThat(declared.toString()).contains("try the untested midpoint 6");
        }
    }

    private static void assertCanonical(List<ExperimentSummary> listed) {
        // the list orders by when the benchmark ran; the reports state earlier dates than the run
        List<ExperimentSummary> rows = listed.stream()
                .sorted(java.util.Comparator.comparingInt(ExperimentSummary::number)).toList();
        assertThat(rows).extracting(ExperimentSummary::number).containsExactly(1, 2, 3, 4);
        // ingest --set cmd_args.serve..., run's resolved serve..., the report's load and bench_cmd_args: one knob each
        assertThat(rows).extracting(r -> r.knobs().get("serve.tensor_parallel_size")).containsExactly(4, 8, 4, 4);
        assertThat(rows).extracting(r -> r.knobs().get("concurrency")).containsExactly(16, 32, 16, 32);
        rows.forEach(r -> assertThat(r.knobs()).doesNotContainKeys("cmd_args.serve.tensor_parallel_size",
                "bench_cmd_args.max_concurrency"));
        // the constants a run records beside them are no knob of this history
        assertThat(dev.autotune.domain.analysis.KnobValues.varying(rows.stream().map(ExperimentSummary::knobs).toList()))
                .containsExactly("concurrency", "serve.tensor_parallel_size");
        assertThat(rows.get(2).knobs()).containsEntry("NUM_NODES", 1);
        assertThat(Map.copyOf(rows.get(0).knobs())).hasSize(2);
    }
}
