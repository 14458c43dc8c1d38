package dev.autotune.api.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.autotune.api.cli.InProcessCli.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * `autotune tune` stopping on its own (an exhausted space, the time limit) and refusing a bad space, through the CLI
 * in process ({@link InProcessCli}), against the stand-in cloudai with its perf model (set by a wrapper script).
 * {@link TuneIT} keeps the runs of the real jar.
 */
class TuneCliTest {
    static final Path FAKE = RunIT.FAKE;
    static final String TP = TuneIT.TP;

    @TempDir
    Path dir;
    Path space;

    @BeforeEach
    void threeKnobSpace() throws Exception {
        space = TuneIT.threeKnobSpace(dir);
    }

    private AutotuneProcess.Result tune(Map<String, String> env, String... extra) {
        Map<String, String> all = new HashMap<>(env);
        all.put("FAKE_CLOUDAI_PERF_MODEL", "1");
        List<String> args = TuneIT.tuneArgs(space, extra);
        args.set(args.indexOf("--cloudai-bin") + 1, InProcessCli.cloudai(dir, FAKE, all).toString());
        return run(dir, args.toArray(String[]::new));
    }

    private JsonNode json(String... args) throws Exception {
        var r = run(dir, args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return TuneIT.JSON.readTree(r.out());
    }

    @Test
    void itStopsWhenTheSpaceIsExhaustedAndAfterTheTimeLimitAndSaysWhy() throws Exception {
        Files.writeString(space, Files.readString(space).replace("[1, 2, 4]", "[2, 4]")
                .replace("[16, 32, 64, 128]", "[32]").replace("[\"auto\", \"fp8\"]", "[\"fp8\"]"));
        var exhausted = tune(Map.of(), "--trials", "5", "--strategy", "grid");
        assertThat(exhausted.exit()).as(exhausted.toString()).isZero();
        assertThat(exhausted.out()).contains("trial 2/5").doesNotContain("trial 3/5")
                .contains("[tune] study 1 finished (space_exhausted)");
        // a study the search stopped answers ask with that reason and proposes nothing (exit 0); --force cannot
        // reopen it, and says how to go on
        var asked = run(dir, "ask", "1");
        assertThat(asked.exit()).as(asked.toString()).isZero();
        assertThat(asked.out()).startsWith("stop (space_exhausted): ").doesNotContain("trial ");
        var forced = run(dir, "ask", "1", "--force");
        assertThat(forced.exit()).as(forced.toString()).isEqualTo(2);
        assertThat(forced.err()).contains("a finished study stays finished").contains("study create SPACE --name");

        // a larger space than a second of trials can cover, however fast a trial is recorded
        Files.writeString(space, Files.readString(space).replace("[2, 4]", "[1, 2, 4]")
                .replace("[32]", "[16, 32, 64, 128]").replace("[\"fp8\"]", "[\"auto\", \"fp8\"]"));
        var timed = tune(Map.of(), "--trials", "50", "--strategy", "grid", "--max-time", "1s");
        assertThat(timed.exit()).as(timed.toString()).isZero();
        assertThat(timed.out()).contains("[tune] study 2 (space, scenario vllm-tune) created")
                .contains("trial 1/50").doesNotContain("trial 50/50")
                .contains("[tune] study 2 finished (time_limit): no trial starts after 1s");
        // a time limit is not the search's answer: asking that study is refused, naming why it finished
        var late = run(dir, "ask", "2");
        assertThat(late.exit()).as(late.toString()).isEqualTo(2);
        assertThat(late.err()).contains("study 2 has finished (time_limit");
        // the two studies share the scenario: the second one sees the first one's experiments (warm start)
        assertThat(json("study", "show", "2", "--json").get("observations").asInt()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aBadSpaceIsOneLineNamingTheFileAndTheKeyAndRecordsNothing() throws Exception {
        Files.writeString(space, Files.readString(space).replace("[1, 2, 4]", "{ start = 4, end = 1, step = 1 }"));
        var r = tune(Map.of(), "--trials", "2");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("autotune: " + space + ": key 'knobs.\"" + TP + "\"': empty range")
                .doesNotContain("\n");
        // the space is refused before the database is opened: not even an empty database was created
        var studies = run(dir, "study", "list");
        if (dev.autotune.store.testing.TestStores.onPostgres()) {
            // a server database is there whatever a command does: what counts is that nothing was recorded in it
            assertThat(studies.exit()).as(studies.toString()).isZero();
            assertThat(studies.out()).contains("no studies yet");
        } else {
            assertThat(studies.exit()).isEqualTo(2);
            assertThat(studies.err()).contains("does not exist");
        }
        var recommend = run(dir, "recommend", "--space", space.toString());
        assertThat(recommend.exit()).isEqualTo(2);
    }
    /** A path cloudai or --out-config would be given that is not there is refused before a study or trial is recorded. */
    @Test
    void aMissingPathIsRefusedBeforeAnythingIsRecorded() throws Exception {
        Path outDir = Files.createDirectories(dir.resolve("out"));
        for (String[] bad : new String[][]{{"--system-config", dir.resolve("nosuch.toml").toString()},
                {"--cloudai-bin", dir.resolve("nosuch/cloudai").toString()}, {"--out-config", outDir.toString()}}) {
            List<String> args = TuneIT.tuneArgs(space, "--trials", "2");
            int at = args.indexOf(bad[0]);
            if (at >= 0) {
                args.set(at + 1, bad[1]);
            } else {
                args.addAll(List.of(bad));
            }
            var r = run(dir, args.toArray(String[]::new));
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip()).as(r.toString()).startsWith("autotune: " + bad[0] + ": ").doesNotContain("\n");
            assertThat(r.out()).as(r.toString()).doesNotContain("created");
        }
        if (!dev.autotune.store.testing.TestStores.onPostgres()) {
            assertThat(dir.resolve("autotune.db")).as("no database made for a refused tune").doesNotExist();
        }
        assertThat(dir.resolve("runs")).doesNotExist();

        // ask: the out-config is checked before the proposal is recorded
        var created = run(dir, "study", "create", space.toString());
        assertThat(created.exit()).as(created.toString()).isZero();
        var asked = run(dir, "ask", "1", "--out-config", outDir.toString());
        assertThat(asked.exit()).as(asked.toString()).isEqualTo(2);
        assertThat(asked.err().strip()).startsWith("autotune: --out-config: " + outDir + ": is a directory");
        assertThat(json("study", "show", "1", "--json").get("trials").size()).isZero();
    }
}
