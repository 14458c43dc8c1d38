package dev.autotune.api.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.autotune.api.cli.AutotuneProcess.example;
import static dev.autotune.api.cli.InProcessCli.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Correcting history from the command line (issue 14): exclusion, amendments and id prefixes, through the CLI in
 * process ({@link InProcessCli}); {@link CorrectionsIT} keeps tags and notes end to end on the real jar, and what
 * needs a shell's directory of its own.
 */
class CorrectionsCliTest {
    @TempDir
    Path dir;

    @BeforeEach
    void threeBatchSizes() {
        ingest("batch-1-vllm-bench.json", 1);
        ingest("batch-4-aiperf.json", 4);
        ingest("batch-8-genai-perf.csv", 8);
    }

    private void ingest(String report, int batch) {
        var r = run(dir, "ingest", example(report).toString(), "--scenario", "chat", "--set", "serving.batch_size=" + batch);
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private static boolean hasRow(String table, int number) {
        return table.lines().anyMatch(l -> l.matches("^\\s*" + number + "\\s.*"));
    }

    @Test
    void anExcludedExperimentLeavesListCheckRecommendAndExportUntilIncludedAgain() {
        var exclude = run(dir, "exclude", "3", "--reason", "wrong model loaded");
        assertThat(exclude.exit()).as(exclude.toString()).isZero();
        assertThat(exclude.out()).contains("experiment 3: excluded; excluded (wrong model loaded)");

        assertThat(hasRow(run(dir, "list").out(), 3)).isFalse();
        assertThat(hasRow(run(dir, "list", "--include-excluded").out(), 3)).isTrue();
        var check = run(dir, "check", "--latency-budget-ms", "200");
        assertThat(check.out()).contains("of 2");
        assertThat(run(dir, "check", "--latency-budget-ms", "200", "--include-excluded").out()).contains("of 3");
        assertThat(run(dir, "export", "--format", "csv").out().lines().count()).isEqualTo(3);
        assertThat(run(dir, "export", "--format", "csv", "--include-excluded").out().lines().count()).isEqualTo(4);
        var recommend = run(dir, "recommend", "--knob", "serving.batch_size", "--latency-budget-ms", "200");
        assertThat(recommend.out()).doesNotContain("experiment 3");
        assertThat(run(dir, "show", "3").out()).contains("excluded     wrong model loaded")
                .contains("ExperimentExcluded  wrong model loaded");

        var twice = run(dir, "exclude", "3", "--reason", "again");
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.err().strip()).isEqualTo("autotune: experiment 3: experiment is already excluded (wrong model loaded)");
        var noReason = run(dir, "exclude", "2");
        assertThat(noReason.exit()).isEqualTo(2);
        assertThat(noReason.err().strip().lines()).hasSize(1);

        assertThat(run(dir, "include", "3").exit()).isZero();
        assertThat(hasRow(run(dir, "list").out(), 3)).isTrue();
        assertThat(run(dir, "include", "3").err()).contains("experiment 3: experiment is not excluded");
    }

    @Test
    void amendedValuesAreWhatEveryViewUsesAndShowKeepsWhatWasRecordedFirst() {
        var amend = run(dir, "amend", "2", "--scenario", "chat-h100", "--backend", "sglang", "--set", "serving.batch_size=6");
        assertThat(amend.exit()).as(amend.toString()).isZero();
        assertThat(amend.out()).contains("experiment 2: amended (scenario chat-h100, backend sglang)");

        var list = run(dir, "list", "--scenario", "chat-h100");
        assertThat(hasRow(list.out(), 2)).isTrue();
        assertThat(list.out()).contains("sglang");
        assertThat(run(dir, "show", "2").out()).contains("serving.batch_size = 6")
                .contains("ExperimentAmended  scenario chat -> chat-h100, backend none -> sglang, serving.batch_size 4 -> 6");
        assertThat(run(dir, "check", "--latency-budget-ms", "200", "--scenario", "chat").out()).contains("of 2");

        var again = run(dir, "amend", "2", "--scenario", "chat-h100");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("nothing to amend");
        var nothing = run(dir, "amend", "2");
        assertThat(nothing.exit()).isEqualTo(2);
        assertThat(nothing.err().strip().lines()).hasSize(1);
    }

    @Test
    void aPrefixOfTheFullIdWorksWhereANumberDoes() {
        Matcher m = Pattern.compile("\"experiment_id\" : \"([0-9a-f-]+)\"").matcher(run(dir, "show", "2", "--json").out());
        assertThat(m.find()).isTrue();
        String prefix = m.group(1).substring(0, 13);
        var show = run(dir, "show", prefix);
        assertThat(show.exit()).as(show.toString()).isZero();
        assertThat(show.out()).startsWith("experiment 2 ");
        assertThat(run(dir, "tag", prefix, "gpu=A100").out()).startsWith("experiment 2: tagged");
        assertThat(run(dir, "diff", "1", prefix).exit()).isZero();
    }
}
