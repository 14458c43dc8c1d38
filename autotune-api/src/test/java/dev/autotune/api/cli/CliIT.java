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
import static dev.autotune.api.cli.AutotuneProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI end to end on the real jar: demo, ingest and list, export, check, diff, recommend and the templates;
 * bad usage and exit codes; where the database comes from; several processes at once. Ingest's finer rules are
 * {@link IngestCliTest}, in process.
 */
class CliIT {
    @TempDir
    Path dir;

    @Test
    void demoRecordsTheClassicHistoryListsItAndRecommendsSix() {
        var first = run(dir, "demo");
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.out())
                .contains("recorded experiment 1: serving.batch_size=1 from batch-1-vllm-bench.json (vllm-json)")
                .contains("recorded experiment 3: serving.batch_size=8 from batch-8-genai-perf.csv (genai-perf-csv)")
                .contains("serving.batch_size: try 6");
        if (!TestStores.onPostgres()) { // on PostgreSQL the files are databases on the server
            assertThat(dir.resolve("autotune-demo.db")).exists();
        }

        var again = run(dir, "demo");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("is already experiment 2").contains("try 6");
        var list = run(dir, "list", "--db", "autotune-demo.db");
        assertThat(list.out().lines().filter(l -> l.matches("^\\s*\\d+\\s+completed.*"))).hasSize(3);
    }

    @Test
    void ingestPrintsTheIdAndHeadlineMetricsAndListShowsThem() {
        var r = run(dir, "ingest", example("batch-4-aiperf.json").toString(), "--scenario", "chat",
                "--backend", "vllm", "--set", "serving.batch_size=4", "--notes", "first try", "--metadata", "gpu=H100");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("recorded experiment 1").contains("aiperf-json")
                .containsPattern("latency_ms\\s+160\\b").containsPattern("throughput_tokens_per_sec\\s+330\\b");

        var list = run(dir, "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("completed").contains("chat").contains("160").contains("330");

        var show = run(dir, "show", "1");
        assertThat(show.out()).contains("serving.batch_size = 4").contains("first try").contains("gpu = H100")
                .contains("ExperimentStarted").contains("ReportParsed").contains("MetricsRecorded")
                .contains("ExperimentCompleted");

        var json = run(dir, "show", "1", "--json");
        assertThat(json.out()).contains("\"latency_ms\" : 160.0").contains("\"serving.batch_size\" : 4");
    }

    @Test
    void badUsageExitsTwoWithoutAStackTrace() {
        for (String[] args : List.of(new String[]{"show", "42"}, new String[]{"list", "--status", "sleeping"},
                new String[]{"ingest"}, new String[]{"frobnicate"},
                new String[]{"ingest", example("batch-1-vllm-bench.json").toString(), "--set", "novalue"},
                new String[]{"ingest", example("batch-1-vllm-bench.json").toString(), "--format", "pdf"},
                new String[]{"check", "--latency-budget-ms", "abc"}, new String[]{"check", "--latency-budget-ms", "-5"})) {
            var r = run(dir, args);
            assertThat(r.exit()).as(String.join(" ", args) + "\n" + r).isEqualTo(2);
            assertThat(r.err()).as(r.toString()).doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    @Test
    void theDatabaseComesFromDbThenAutotuneDbThenTheDefault() {
        String report = example("batch-1-vllm-bench.json").toString();
        assertThat(run(dir, Map.of("AUTOTUNE_DB", dir.resolve("env.db").toString()), "ingest", report).exit()).isZero();
        if (!TestStores.onPostgres()) { // on PostgreSQL the files are databases on the server
            assertThat(dir.resolve("env.db")).exists();
        }
        if (!TestStores.onPostgres()) { // on PostgreSQL the files are databases on the server
            assertThat(dir.resolve("autotune.db")).doesNotExist();
        }
        assertThat(run(dir, Map.of("AUTOTUNE_DB", dir.resolve("env.db").toString()), "ingest", report,
                "--db", dir.resolve("flag.db").toString()).exit()).isZero();
        if (!TestStores.onPostgres()) { // on PostgreSQL the files are databases on the server
            assertThat(dir.resolve("flag.db")).exists();
        }
        assertThat(run(dir, "ingest", report).exit()).isZero();
        if (!TestStores.onPostgres()) { // on PostgreSQL the files are databases on the server
            assertThat(dir.resolve("autotune.db")).exists();
        }
    }

    @Test
    void threeIngestsStartedAtOnceOnOneFileAllSucceed() throws Exception {
        List<Process> processes = new ArrayList<>();
        String[] reports = {"batch-1-vllm-bench.json", "batch-4-aiperf.json", "batch-8-genai-perf.csv"};
        for (String report : reports) {
            processes.add(AutotuneProcess.start(dir, Map.of(), "ingest", example(report).toString(),
                    "--db", "shared.db", "--scenario", "race"));
        }
        for (Process p : processes) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(err).isZero();
        }
        var list = run(dir, "list", "--db", "shared.db", "--json");
        assertThat(list.out()).contains("\"id\" : 1").contains("\"id\" : 2").contains("\"id\" : 3")
                .doesNotContain("\"id\" : 4").doesNotContain("running");
    }

    @Test
    void eightIngestsOfOneReportStartedAtOnceRecordItOnce() throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            processes.add(AutotuneProcess.start(dir, Map.of(), "ingest", example("batch-4-aiperf.json").toString(),
                    "--db", "same.db", "--scenario", "race"));
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
        var list = run(dir, "list", "--db", "same.db", "--json");
        assertThat(list.out()).contains("\"id\" : 1").doesNotContain("\"id\" : 2");
    }

    @Test
    void exportWritesEveryFormat() throws Exception {
        assertThat(run(dir, "demo", "--db", "d.db").exit()).isZero();
        var csv = run(dir, "export", "--db", "d.db", "--format", "csv");
        assertThat(csv.out().lines().count()).isEqualTo(4);
        assertThat(csv.out().lines().findFirst().orElseThrow()).contains("latency_ms").contains("latency_p99_ms");
        var json = run(dir, "export", "--db", "d.db", "--format", "json");
        assertThat(json.out()).contains("\"throughput_tokens_per_sec\": 430");
        var md = run(dir, "export", "--db", "d.db", "--format", "markdown", "--out", "table.md");
        assertThat(md.exit()).isZero();
        assertThat(Files.readString(dir.resolve("table.md"))).contains("|");
        var issue = run(dir, "export", "--db", "d.db", "--template", "issue", "--latency-budget-ms", "200",
                "--knob", "serving.batch_size");
        assertThat(issue.exit()).as(issue.toString()).isZero();
        assertThat(issue.out()).contains("#").contains("200");
    }

    @Test
    void checkDiffRecommendAndTemplatesAnswerOnTheDemoHistory() throws Exception {
        assertThat(run(dir, "demo", "--db", "d.db").exit()).isZero();
        var check = run(dir, "check", "--db", "d.db", "--latency-budget-ms", "200");
        assertThat(check.exit()).isZero();
        assertThat(check.out()).contains("latency_ms 260 > 200 by 60 (30%)").contains("2 PASS, 1 FAIL, 0 UNKNOWN");
        assertThat(run(dir, "check", "--db", "d.db", "--latency-budget-ms", "200", "--strict").exit()).isEqualTo(1);
        assertThat(run(dir, "check", "--db", "d.db", "--latency-budget-ms", "300", "--strict").exit()).isZero();
        var p95 = run(dir, "check", "--db", "d.db", "--metric", "latency_p95_ms<=200", "--json");
        assertThat(p95.out()).contains("\"budget\" : \"latency_p95_ms<=200\"");
        assertThat(run(dir, "check", "--db", "d.db", "--max-failure-rate", "0.01", "--strict").out())
                .contains("UNKNOWN").contains("failure_rate missing");

        var diff = run(dir, "diff", "2", "3", "--db", "d.db");
        assertThat(diff.out()).contains("~ serving.batch_size: 4 -> 8").containsPattern("latency_ms\\s+160\\s+260");

        var rec = run(dir, "recommend", "--db", "d.db", "--knob", "serving.batch_size", "--latency-budget-ms", "200",
                "--derive-from", AutotuneProcess.REPO.resolve("configs/examples/llama3-8b-chat.toml").toString(),
                "--out-config", "next.toml");
        assertThat(rec.exit()).as(rec.toString()).isZero();
        assertThat(rec.out()).contains("try 6");
        assertThat(Files.readString(dir.resolve("next.toml"))).contains("batch_size = 6")
                .contains("gpu_memory_utilization = 0.9");

        var report = run(dir, "export", "--db", "d.db", "--template", "benchmark-report", "--latency-budget-ms", "200",
                "--knob", "serving.batch_size");
        assertThat(report.exit()).as(report.toString()).isZero();
        assertThat(report.out()).contains("latency_ms<=200").contains("6");
    }

    @Test
    void analysisCommandsRefuseBadInputAndExplainAnEmptyHistory() {
        assertThat(run(dir, "demo", "--db", "d.db").exit()).isZero();
        for (String[] args : List.of(new String[]{"diff", "2", "99", "--db", "d.db"},
                new String[]{"show", "nope", "--db", "d.db"},
                new String[]{"recommend", "--knob", "serving.no_such_knob", "--db", "d.db"},
                new String[]{"recommend", "--knob", "serving.batch_size", "--objective", "speed", "--db", "d.db"},
                new String[]{"check", "--db", "d.db"},
                new String[]{"check", "--metric", "latency_ms<200", "--db", "d.db"},
                new String[]{"check", "--max-failure-rate", "3", "--db", "d.db"},
                new String[]{"export", "--format", "xml", "--db", "d.db"})) {
            var r = run(dir, args);
            assertThat(r.exit()).as(String.join(" ", args) + "\n" + r).isEqualTo(2);
            assertThat(r.err().strip()).as(r.toString()).startsWith("autotune: ").doesNotContain("\n");
        }
        // a reading command does not create the database it is pointed at; an existing empty one is explained
        if (!TestStores.onPostgres()) { // on PostgreSQL the files are databases on the server
            var missing = run(dir, "recommend", "--knob", "serving.batch_size", "--db", "empty.db");
            assertThat(missing.exit()).isEqualTo(2);
            assertThat(missing.err()).startsWith("autotune: --db: empty.db does not exist");
        }
        // a store with no experiment in it (a saved budget profile is all it holds)
        assertThat(run(dir, "budget", "save", "strict", "--latency-budget-ms", "200", "--db", "empty.db").exit()).isZero();
        var empty = run(dir, "recommend", "--knob", "serving.batch_size", "--db", "empty.db");
        assertThat(empty.exit()).as(empty.toString()).isZero();
        assertThat(empty.out()).contains("no completed experiments");
    }
}
