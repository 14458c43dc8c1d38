package dev.autotune.api.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.autotune.api.cli.AutotuneProcess.example;
import static dev.autotune.api.cli.InProcessCli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code --gpus EXPR} on check, list, diff, export and recommend (issue 22 item 7): the per-GPU metrics a space's
 * {@code gpus} gives, on the recorded history; an experiment whose knobs give no count has none, with a note.
 */
class PerGpuCliTest {
    private static final String TP = "cmd_args.serve.tensor_parallel_size";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    /** Throughput (tok/s) of experiments 1..4; experiment 4 has no tensor_parallel_size. */
    static double[] throughput = new double[5];

    @BeforeAll
    static void history() throws IOException {
        // tp 1, 2, 4 at one batch size: the most tokens per second (tp=4) is not the most per GPU (tp=2)
        ingest("batch-1-vllm-bench.json", "--set", TP + "=1", "--set", "cmd_args.serve.max_num_seqs=16");
        ingest("batch-4-aiperf.json", "--set", TP + "=2", "--set", "cmd_args.serve.max_num_seqs=16");
        ingest("batch-8-genai-perf.csv", "--set", TP + "=4", "--set", "cmd_args.serve.max_num_seqs=16");
        ingest("batch-4-aiperf.json", "--set", "cmd_args.serve.max_num_seqs=32");
        for (int i = 1; i <= 4; i++) {
            throughput[i] = json(run(dir, "show", Integer.toString(i), "--json").out()).path("metrics")
                    .path("throughput_tokens_per_sec").asDouble();
            assertThat(throughput[i]).isPositive();
        }
    }

    private static void ingest(String report, String... sets) {
        List<String> line = new java.util.ArrayList<>(List.of("ingest", example(report).toString(), "--scenario",
                "chat", "--allow-duplicate"));
        line.addAll(List.of(sets));
        var r = run(dir, line.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    /** The experiment with the best throughput per GPU among 1..3 (4 has no count). */
    private static int bestPerGpu(double minimum) {
        int best = 0;
        for (int i = 1; i <= 3; i++) {
            double perGpu = throughput[i] / (1 << (i - 1));
            if (perGpu >= minimum && (best == 0 || perGpu > throughput[best] / (1 << (best - 1)))) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void a_per_gpu_metric_without_gpus_is_one_line_saying_to_pass_it() {
        var objective = run(dir, "check", "--max", "latency_ms=100000", "--objective",
                "throughput_tokens_per_sec_per_gpu");
        assertThat(objective.exit()).isEqualTo(2);
        assertThat(objective.err().strip()).startsWith("autotune: --gpus: throughput_tokens_per_sec_per_gpu needs the "
                + "GPU count of each experiment: pass --gpus EXPR").doesNotContain("\n");
        var budget = run(dir, "check", "--min", "throughput_tokens_per_sec_per_gpu=500");
        assertThat(budget.exit()).isEqualTo(2);
        assertThat(budget.err()).contains("--gpus: throughput_tokens_per_sec_per_gpu needs");
        for (String[] line : List.of(new String[]{"diff", "1", "2", "--min", "request_throughput_per_gpu=1"},
                new String[]{"list", "--columns", "id,throughput_tokens_per_sec_per_gpu"},
                new String[]{"export", "--min", "throughput_tokens_per_sec_per_gpu=1"},
                new String[]{"recommend", "--knob", "max_num_seqs", "--objective", "throughput_tokens_per_sec_per_gpu"})) {
            var r = run(dir, line);
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).as(r.toString()).contains("--gpus: ").contains("_per_gpu needs the GPU count");
        }
    }

    @Test
    void a_gpus_expression_that_cannot_be_read_is_one_line_naming_gpus() {
        var syntax = run(dir, "check", "--max", "latency_ms=100000", "--gpus", "tp *");
        assertThat(syntax.exit()).isEqualTo(2);
        assertThat(syntax.err().strip()).isEqualTo("autotune: --gpus: 'tp *': ends too early");
        var unknown = run(dir, "list", "--gpus", "tensor_paralel_size", "--columns", "id");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip()).startsWith("autotune: --gpus: 'tensor_paralel_size'").doesNotContain("\n");
    }

    @Test
    void check_judges_and_picks_the_best_by_throughput_per_gpu() throws IOException {
        double limit = throughput[2] / 2 - 1e-6;
        var r = run(dir, "check", "--gpus", "tp", "--min", "throughput_tokens_per_sec_per_gpu=" + limit,
                "--objective", "throughput_tokens_per_sec_per_gpu", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode body = json(r.out());
        assertThat(body.path("objective").asText()).isEqualTo("throughput_tokens_per_sec_per_gpu");
        assertThat(body.path("best").asInt()).isEqualTo(bestPerGpu(limit));
        for (JsonNode row : body.path("experiments")) {
            int id = row.path("id").asInt();
            if (id == 4) {
                // no tensor_parallel_size: no per-GPU value, so the verdict is unknown, not a crash
                assertThat(row.path("verdict").asText()).isEqualTo("UNKNOWN");
                assertThat(row.path("missing_metrics").toString()).contains("throughput_tokens_per_sec_per_gpu");
            } else {
                double perGpu = throughput[id] / (1 << (id - 1));
                assertThat(row.path("verdict").asText()).isEqualTo(perGpu >= limit ? "PASS" : "FAIL");
                assertThat(row.path("metrics").path("throughput_tokens_per_sec_per_gpu").asDouble())
                        .isCloseTo(perGpu, within(1e-6));
            }
        }
        assertThat(r.err().strip()).matches("autotune: note: experiment 4: no per-GPU metrics \\(no value for knob "
                + "[a-z_.]*tensor_parallel_size\\)");
        var text = run(dir, "check", "--gpus", "tp", "--min", "throughput_tokens_per_sec_per_gpu=" + limit);
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("throughput_tokens_per_sec_per_gpu>=");
    }

    @Test
    void list_shows_sorts_and_filters_on_a_per_gpu_column() {
        var r = run(dir, "list", "--gpus", "tp", "--columns", "id,tp,throughput_tokens_per_sec_per_gpu",
                "--sort", "throughput_tokens_per_sec_per_gpu:desc");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0).trim().split("\\s+"))
                .containsExactly("id", "tensor_parallel_size", "throughput_tokens_per_sec_per_gpu");
        assertThat(lines.get(1).trim().split("\\s+")[0]).isEqualTo(Integer.toString(bestPerGpu(0)));
        // experiment 4 has no count: its cell is "-"
        assertThat(lines.stream().filter(l -> l.trim().startsWith("4 ")).findFirst().orElseThrow()).endsWith("-");
        assertThat(r.err()).contains("experiment 4: no per-GPU metrics");
        double cut = throughput[2] / 2;
        var where = run(dir, "list", "--gpus", "tp", "--columns", "id", "--where",
                "metric.throughput_tokens_per_sec_per_gpu >= " + cut);
        assertThat(where.exit()).as(where.toString()).isZero();
        List<String> ids = where.out().lines().skip(1).map(String::trim).toList();
        assertThat(ids).contains("2").doesNotContain("4");
        for (int i = 1; i <= 3; i++) {
            assertThat(ids.contains(Integer.toString(i))).isEqualTo(throughput[i] / (1 << (i - 1)) >= cut);
        }
    }

    @Test
    void diff_shows_per_gpu_rows() throws IOException {
        var r = run(dir, "diff", "1", "3", "--gpus", "tp", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode perGpu = null;
        for (JsonNode m : json(r.out()).path("metrics")) {
            if (m.path("metric").asText().equals("throughput_tokens_per_sec_per_gpu")) {
                perGpu = m;
            }
        }
        assertThat(perGpu).as(r.out()).isNotNull();
        assertThat(perGpu.path("a").asDouble()).isCloseTo(throughput[1], within(1e-6));
        assertThat(perGpu.path("b").asDouble()).isCloseTo(throughput[3] / 4, within(1e-6));
        assertThat(run(dir, "diff", "1", "3", "--gpus", "tp").out()).contains("throughput_tokens_per_sec_per_gpu");
        assertThat(run(dir, "diff", "1", "3").out()).doesNotContain("per_gpu");
        var withFour = run(dir, "diff", "1", "4", "--gpus", "tp");
        assertThat(withFour.exit()).isZero();
        assertThat(withFour.err()).contains("experiment 4: no per-GPU metrics");
    }

    @Test
    void export_has_per_gpu_columns_only_with_gpus() throws IOException {
        Path out = dir.resolve("per-gpu.csv");
        var r = run(dir, "export", "--gpus", "tp * 1", "--out", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> csv = Files.readAllLines(out);
        List<String> header = List.of(csv.get(0).split(","));
        int column = header.indexOf("throughput_tokens_per_sec_per_gpu");
        assertThat(column).isPositive();
        assertThat(header).contains("request_throughput_per_gpu");
        // rows in the order the benchmarks ran; find them by id
        String[] third = csv.stream().skip(1).map(l -> l.split(",", -1)).filter(c -> c[0].equals("3")).findFirst()
                .orElseThrow();
        assertThat(Double.parseDouble(third[column])).isCloseTo(throughput[3] / 4, within(1e-6));
        String[] fourth = csv.stream().skip(1).map(l -> l.split(",", -1)).filter(c -> c[0].equals("4")).findFirst()
                .orElseThrow();
        assertThat(fourth[column]).isEmpty();
        assertThat(r.err()).contains("experiment 4: no per-GPU metrics");
        assertThat(run(dir, "export").out().lines().findFirst().orElseThrow()).doesNotContain("per_gpu");
        var json = run(dir, "export", "--format", "json", "--gpus", "tp");
        for (JsonNode row : json(json.out())) {
            if (row.path("id").asInt() == 2) {
                assertThat(row.path("throughput_tokens_per_sec_per_gpu").asDouble()).isCloseTo(throughput[2] / 2,
                        within(1e-6));
            }
        }
    }

    @Test
    void recommend_optimises_throughput_per_gpu() {
        assertThat(throughput[3]).isGreaterThan(throughput[2]);
        assertThat(throughput[3] / 4).isLessThan(throughput[2] / 2);
        var r = run(dir, "recommend", "--gpus", "tp", "--knob", "tensor_parallel_size", "--objective",
                "throughput_tokens_per_sec_per_gpu");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("objective: throughput_tokens_per_sec_per_gpu (higher is better)")
                .contains("tensor_parallel_size=2 is the best value tested (throughput_tokens_per_sec_per_gpu "
                        + Math.round(throughput[2] / 2) + ", experiment 2)");
        // by tokens per second alone the answer is tp=4: the per-GPU objective is what changed it
        var raw = run(dir, "recommend", "--knob", "tensor_parallel_size");
        assertThat(raw.out()).contains("tensor_parallel_size=4 is the best value tested");
        var space = run(dir, "recommend", "--space", example("batch-1-vllm-bench.json").toString(), "--gpus", "tp");
        assertThat(space.exit()).isEqualTo(2);
        assertThat(space.err()).contains("--gpus: a space declares its own GPU count");
    }
}
