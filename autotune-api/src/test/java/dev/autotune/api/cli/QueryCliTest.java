package dev.autotune.api.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.autotune.api.cli.AutotuneProcess.example;
import static dev.autotune.api.cli.InProcessCli.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Querying the history from the command line (issue 14): --where, --sort, --columns, through the CLI in process
 * ({@link InProcessCli}). {@link QueryIT} keeps the table that fits the terminal's width, which needs the
 * environment of a real process.
 */
class QueryCliTest {
    @TempDir
    static Path dir;

    /** How a test runs the CLI: in process here, the jar in {@link QueryIT}. */
    interface Cli {
        AutotuneProcess.Result run(Path cwd, String... args);
    }

    @BeforeAll
    static void history() {
        history(dir, InProcessCli::run);
    }

    /** Four runs of two knobs; two tagged H100. */
    static void history(Path dir, Cli cli) {
        ingest(dir, cli, "batch-1-vllm-bench.json", 1, 1);
        ingest(dir, cli, "batch-4-aiperf.json", 2, 4);
        ingest(dir, cli, "batch-8-genai-perf.csv", 2, 8);
        ingest(dir, cli, "batch-4-aiperf.json", 4, 4);
        assertThat(cli.run(dir, "tag", "2", "gpu=H100").exit()).isZero();
        assertThat(cli.run(dir, "tag", "3", "gpu=H100").exit()).isZero();
        assertThat(cli.run(dir, "tag", "4", "gpu=A100").exit()).isZero();
    }

    private static void ingest(Path dir, Cli cli, String report, int tp, int batch) {
        var r = cli.run(dir, "ingest", example(report).toString(), "--scenario", "chat", "--allow-duplicate",
                "--set", "cmd_args.serve.tensor_parallel_size=" + tp, "--set", "cmd_args.serve.max_num_seqs=" + batch);
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private static List<String> ids(String table) {
        return table.lines().skip(1).map(l -> l.trim().split("\\s+")[0]).toList();
    }

    private static String metricOf(String id, String metric) {
        var m = java.util.regex.Pattern.compile("\"" + metric + "\" : ([0-9.]+)").matcher(run(dir, "show", id, "--json").out());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void whereFiltersOnKnobsMetricsAndTags() {
        String ttft = metricOf("2", "ttft_ms");
        var r = run(dir, "list", "--where", "knob.tensor_parallel_size >= 2 and metric.ttft_ms <= " + ttft
                + " and tag.gpu = 'H100'");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(ids(r.out())).contains("2").doesNotContain("1", "4");
        assertThat(ids(run(dir, "list", "--where", "not (tag.gpu = 'H100') or knob.tp = 1").out()))
                .containsExactly("1", "4");
        // the table is in the order the benchmarks ran (two of these reports state when), so compare as a set
        assertThat(ids(run(dir, "list", "--where", "recorded >= 2000-01-01 and status = 'completed'").out()))
                .containsExactlyInAnyOrder("1", "2", "3", "4");
        assertThat(run(dir, "list", "--where", "recorded < 2000-01-01").out()).contains("match the filter");
        assertThat(run(dir, "list", "--json", "--where", "tag.gpu = 'A100'").out()).contains("\"id\" : 4")
                .doesNotContain("\"id\" : 3");
    }

    @Test
    void aFilterThatCannotBeReadIsOneLineWithThePosition() {
        var r = run(dir, "list", "--where", "metric.ttft_ms < 50 and tag.gpu = 'H100");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("autotune: --where: position 35: unterminated string");
        var unknown = run(dir, "list", "--where", "knob.nope > 1");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip()).startsWith("autotune: --where: position 1: unknown knob 'nope'")
                .doesNotContain("\n");
    }

    @Test
    void sortOrdersByAnyMetricOrKnobAndColumnsChooseWhatShows() {
        var byBatch = run(dir, "list", "--sort", "max_num_seqs:desc", "--columns", "id,max_num_seqs,tp,tpot_ms,latency_p95_ms,tag.gpu");
        assertThat(byBatch.exit()).as(byBatch.toString()).isZero();
        assertThat(byBatch.out().lines().findFirst().orElseThrow().trim().split("\\s+"))
                .containsExactly("id", "max_num_seqs", "tensor_parallel_size", "tpot_ms", "latency_p95_ms", "tag.gpu");
        assertThat(ids(byBatch.out()).get(0)).isEqualTo("3");
        assertThat(ids(byBatch.out()).get(3)).isEqualTo("1");
        var byLatency = run(dir, "list", "--sort", "latency_ms", "--columns", "id,latency_ms");
        assertThat(ids(byLatency.out())).containsExactly("1", "2", "4", "3");
        var bad = run(dir, "list", "--sort", "nope:up");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("autotune: --sort: 'nope:up': the order after ':' must be asc or desc");
        assertThat(run(dir, "list", "--columns", "id,bogus").err()).contains("--columns: no column 'bogus'");
        var none = run(dir, "list", "--columns", ",");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err().strip()).isEqualTo("autotune: --columns: name at least one column, e.g. id,status,latency_ms");
    }

    @Test
    void lastWithASortIsTheFirstRowsOfThatOrderOverTheWholeHistory() {
        // latency order of the four: 1, 2, 4, 3; sorting only the newest two would answer something else
        List<String> newest = ids(run(dir, "list", "--last", "2").out());
        assertThat(java.util.stream.Stream.of("1", "2", "4", "3").filter(newest::contains).toList())
                .isNotEqualTo(List.of("1", "2"));
        assertThat(ids(run(dir, "list", "--sort", "latency_ms", "--last", "2", "--columns", "id,latency_ms").out()))
                .containsExactly("1", "2");
        assertThat(ids(run(dir, "list", "--sort", "latency_ms:desc", "--last", "1", "--columns", "id").out()))
                .containsExactly("3");
        // a sort the database cannot answer (a knob) and a filter follow the same rule
        assertThat(ids(run(dir, "list", "--sort", "max_num_seqs", "--last", "2", "--columns", "id").out()))
                .containsExactly("1", "2");
        assertThat(ids(run(dir, "list", "--where", "tag.gpu = 'H100' or tag.gpu = 'A100'", "--sort", "id:desc",
                "--last", "2", "--columns", "id").out())).containsExactly("4", "3");
        // without a sort, --last is still the newest N in history order
        List<String> history = ids(run(dir, "list").out());
        assertThat(ids(run(dir, "list", "--last", "2").out())).containsExactlyElementsOf(history.subList(2, 4));
        assertThat(run(dir, "list", "--sort", "latency_ms", "--last", "2", "--json").out())
                .contains("\"id\" : 1").contains("\"id\" : 2").doesNotContain("\"id\" : 3");
    }
}
