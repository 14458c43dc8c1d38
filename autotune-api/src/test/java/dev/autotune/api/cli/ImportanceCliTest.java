package dev.autotune.api.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.autotune.api.cli.InProcessCli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Which knobs matter, in `study show` (text and JSON) and `recommend --space`, through the CLI in process, on a
 * sweep whose answer is known: throughput follows tensor_parallel_size almost alone, latency max_num_seqs.
 */
class ImportanceCliTest {
    static final String TP = "serving.tensor_parallel_size";
    static final String SEQS = "serving.max_num_seqs";

    @TempDir
    Path dir;

    /** Records one generic report of the scenario per config given (tp, seqs pairs). */
    private void sweep(String scenario, long[][] configs) throws Exception {
        for (long[] c : configs) {
            double throughput = 1000 * c[0] * Math.pow(c[1], 0.1);
            double latency = 20 * Math.pow(c[1], 0.8) / Math.pow(c[0], 0.1);
            Path report = Files.writeString(dir.resolve(scenario + "-tp" + c[0] + "-s" + c[1] + ".json"),
                    "{\"throughput_tokens_per_sec\": " + throughput + ", \"latency_ms\": " + latency + "}");
            var r = run(dir, "ingest", report.toString(), "--scenario", scenario, "--set", TP + "=" + c[0],
                    "--set", SEQS + "=" + c[1]);
            assertThat(r.exit()).as(r.toString()).isZero();
        }
    }

    private Path space(String scenario) throws Exception {
        return Files.writeString(dir.resolve(scenario + ".toml"), """
                scenario = "%s"
                objective = "maximize throughput_tokens_per_sec"
                budgets = ["latency_ms <= 5000"]

                [knobs]
                "serving.tensor_parallel_size" = [1, 2, 4, 8]
                "serving.max_num_seqs" = [16, 64, 256]
                """.formatted(scenario));
    }

    @Test
    void studyShowAndRecommendSpaceSayWhichKnobsMatterInWordsAndJson() throws Exception {
        long[][] all = new long[12][];
        int i = 0;
        for (long tp : new long[]{1, 2, 4, 8}) {
            for (long s : new long[]{16, 64, 256}) {
                all[i++] = new long[]{tp, s};
            }
        }
        sweep("chat", all);
        Path space = space("chat");

        var recommend = run(dir, "recommend", "--space", space.toString());
        assertThat(recommend.exit()).as(recommend.toString()).isZero();
        assertThat(recommend.out()).contains("\nwhich knobs matter\n")
                .containsPattern("\n  tensor_parallel_size explains (9\\d|100)% of throughput_tokens_per_sec's "
                        + "variation, .*max_num_seqs.* \\(the model of 12 measured configs")
                .containsPattern("\n  max_num_seqs explains (9\\d|100)% of latency_ms \\(budget latency_ms<=5000\\)'s"
                        + " variation, tensor_parallel_size ");

        assertThat(run(dir, "study", "create", space.toString()).exit()).isZero();
        var show = run(dir, "study", "show", "1");
        assertThat(show.exit()).as(show.toString()).isZero();
        assertThat(show.out()).contains("which knobs matter")
                .containsPattern("tensor_parallel_size explains (9\\d|100)% of throughput_tokens_per_sec's variation");

        var json = run(dir, "study", "show", "1", "--json");
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonNode importance = new ObjectMapper().readTree(json.out()).get("importance");
        assertThat(importance).hasSize(2);
        JsonNode objective = importance.get(0);
        assertThat(objective.get("role").asText()).isEqualTo("objective");
        assertThat(objective.get("metric").asText()).isEqualTo("throughput_tokens_per_sec");
        assertThat(objective.get("measured").asInt()).isEqualTo(12);
        assertThat(objective.get("knobs").get(0).get("knob").asText()).isEqualTo(TP);
        double sum = objective.get("interactions").asDouble();
        for (JsonNode k : objective.get("knobs")) {
            sum += k.get("share").asDouble();
        }
        assertThat(sum).isCloseTo(1, within(1e-9));
        assertThat(importance.get(1).get("knobs").get(0).get("knob").asText()).isEqualTo(SEQS);

        // recommend --space --json: the next config's fields, and the same split beside them
        var recommendJson = run(dir, "recommend", "--space", space.toString(), "--json");
        assertThat(recommendJson.exit()).as(recommendJson.toString()).isZero();
        JsonNode next = new ObjectMapper().readTree(recommendJson.out());
        assertThat(next.has("config")).isTrue();
        assertThat(next.get("importance")).isEqualTo(importance);
    }

    @Test
    void withTooFewMeasuredConfigsItSaysSo() throws Exception {
        sweep("few", new long[][]{{1, 16}, {2, 64}, {8, 256}});
        var recommend = run(dir, "recommend", "--space", space("few").toString());
        assertThat(recommend.exit()).as(recommend.toString()).isZero();
        assertThat(recommend.out()).contains("which knobs matter for throughput_tokens_per_sec: not enough measured "
                + "configs to tell (3 of 5)");
    }
}
