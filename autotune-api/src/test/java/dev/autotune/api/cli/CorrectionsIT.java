package dev.autotune.api.cli;

import dev.autotune.store.testing.PostgresCluster;
import dev.autotune.store.testing.TestStores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.autotune.api.cli.AutotuneProcess.example;
import static dev.autotune.api.cli.AutotuneProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Correcting history from the shell (issue 14), on the real jar: tags and notes end to end, and what the reading
 * commands do with a --db path relative to the shell's directory. Exclusion, amendments and id prefixes are
 * {@link CorrectionsCliTest}, in process.
 */
class CorrectionsIT {
    @TempDir
    Path dir;

    /** One experiment of scenario chat: the one tagged, and the scenario the refusals name. */
    @BeforeEach
    void oneExperiment() {
        ingest("batch-1-vllm-bench.json", 1);
    }

    private void ingest(String report, int batch) {
        var r = run(dir, "ingest", example(report).toString(), "--scenario", "chat", "--set", "serving.batch_size=" + batch);
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    @Test
    void readingCommandsNeverCreateADatabaseAndAnUnknownScenarioNamesTheKnownOnes() {
        for (String[] args : new String[][]{{"list"}, {"show", "1"}, {"diff", "1", "2"}, {"check", "--latency-budget-ms", "1"},
                {"export"}, {"recommend", "--knob", "b"}, {"study", "list"}, {"tag", "1", "a=b"}}) {
            // on PostgreSQL the typo is a database name the server does not have; the server says so, in one line
            String typo = TestStores.onPostgres() ? PostgresCluster.get().url("typo_db") : "typo.db";
            String[] withDb = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--db", typo))
                    .toArray(String[]::new);
            var r = run(dir, withDb);
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip()).as(String.join(" ", args)).startsWith(TestStores.onPostgres()
                            ? "autotune: cannot open database postgresql://autotune:***@" : "autotune: --db: typo.db does not exist")
                    .contains("does not exist").doesNotContain("\n").doesNotContain(PostgresCluster.PASSWORD);
            assertThat(dir.resolve("typo.db")).doesNotExist();
        }
        for (String[] args : new String[][]{{"list", "--scenario", "nope"}, {"check", "--latency-budget-ms", "1", "--scenario", "nope"},
                {"export", "--scenario", "nope"}, {"recommend", "--knob", "b", "--scenario", "nope"}}) {
            var r = run(dir, args);
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip()).as(String.join(" ", args)).contains("--scenario: no experiments of scenario 'nope'")
                    .endsWith("scenarios: chat").doesNotContain("\n");
        }
    }

    @Test
    void tagsAndNotesAreAddedAfterTheFactAndShowListsThemInTheTimeline() {
        var tag = run(dir, "tag", "1", "gpu=H100", "node=dgx-3");
        assertThat(tag.exit()).as(tag.toString()).isZero();
        assertThat(tag.out().strip()).isEqualTo("experiment 1: tagged; tags gpu=H100, node=dgx-3");
        assertThat(run(dir, "untag", "1", "node").exit()).isZero();
        var unknown = run(dir, "untag", "1", "rack");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("autotune: experiment 1: experiment has no tag 'rack' (tags: gpu)");
        assertThat(run(dir, "note", "1", "node dgx-3 was throttling").exit()).isZero();

        var show = run(dir, "show", "1");
        assertThat(show.out()).contains("tags         gpu=H100").contains("note         node dgx-3 was throttling")
                .contains("ExperimentTagged  gpu=H100, node=dgx-3").contains("ExperimentUntagged  node")
                .contains("NoteAdded  node dgx-3 was throttling");
        assertThat(run(dir, "list", "--json").out()).contains("\"gpu\" : \"H100\"");
        var missing = run(dir, "tag", "99", "gpu=H100");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no experiment 99");
    }
}
