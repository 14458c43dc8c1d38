package dev.autotune.api.http;

import dev.autotune.api.app.StoreFixture;
import dev.autotune.api.app.recording.Recording;
import dev.autotune.api.app.runs.Runs;
import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.api.app.Autotune;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.ExperimentApi.FailExperiment;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import dev.autotune.domain.FailureCategory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/experiments/{id}/log: the run's stdout.log, and nothing outside the run directory, ever. */
class RunLogTest {
    @TempDir
    Path dir;
    TestServer api;
    Path runDir;
    Path secret;

    @BeforeEach
    void start() throws Exception {
        api = TestServer.start(dir);
        runDir = Files.createDirectories(dir.resolve("runs/0001_chat_2026-01-01_00-00-00"));
        secret = Files.writeString(dir.resolve("secret.txt"), "not for the web\n");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** An experiment as `autotune run` records it: source run, its run directory in the metadata. */
    int recordRun(Path runDirectory, String failedWithLog) {
        String id = UUID.randomUUID().toString();
        StoreFixture.send(api.autotune, new StartExperiment(id, "chat", "vllm", Map.of("serving.batch_size", 4L), null, null, null,
                Map.of(Runs.RUN_DIR, runDirectory.toString()), ExperimentApi.Source.RUN, id,
                Runs.currentProcess()));
        if (failedWithLog != null) {
            StoreFixture.send(api.autotune, new FailExperiment(id, FailureCategory.JOB_FAILED, "boom", 1, failedWithLog));
        }
        api.autotune.catchUp();
        return api.autotune.history().show(id).number();
    }

    @Test
    void streamsTheLogOfARunningExperimentAndFollowsItFromAnOffset() throws Exception {
        int n = recordRun(runDir, null);
        assertThat(api.get("/api/experiments/" + n + "/log").statusCode()).as("no log written yet").isEqualTo(404);

        Path log = runDir.resolve("stdout.log");
        Files.writeString(log, "[autotune 00:01] running test\n");
        var first = api.get("/api/experiments/" + n + "/log");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("[autotune 00:01] running test\n");
        assertThat(first.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        long size = Long.parseLong(first.headers().firstValue("X-Log-Size").orElseThrow());
        assertThat(size).isEqualTo(Files.size(log));

        Files.writeString(log, "step 2/3\n", java.nio.file.StandardOpenOption.APPEND);
        var next = api.get("/api/experiments/" + n + "/log?offset=" + size);
        assertThat(next.body()).isEqualTo("step 2/3\n");

        JsonNode detail = api.json("/api/experiments/" + n);
        assertThat(detail.get("status").asText()).isEqualTo("running");
        assertThat(detail.get("artifacts").get("run_dir").asText()).isEqualTo(runDir.toString());
        assertThat(detail.get("artifacts").get("log_url").asText()).isEqualTo("/api/experiments/" + n + "/log");
    }

    @Test
    void servesTheRecordedLogOfAFailedRun() throws Exception {
        Path log = Files.writeString(runDir.resolve("stdout.log"), "Traceback: boom\n");
        int n = recordRun(runDir, log.toString());
        var r = api.get("/api/experiments/" + n + "/log");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("Traceback: boom\n");
    }

    @Test
    void aRecordedLogPathOutsideTheRunDirectoryIsRefused() {
        int absolute = recordRun(runDir, secret.toString());
        assertRefused(absolute);
        int climbing = recordRun(runDir, runDir.resolve("../../secret.txt").toString());
        assertRefused(climbing);
    }

    @Test
    void aSymlinkInsideTheRunDirectoryPointingOutsideIsRefused() throws Exception {
        Files.createSymbolicLink(runDir.resolve("stdout.log"), secret);
        int n = recordRun(runDir, null);
        assertRefused(n);
    }

    @Test
    void aRunsFolderThatIsASymlinkStillServesItsRunsLogs() throws Exception {
        // runs/ may live on another disk: the links above the run directory are resolved
        Path realRuns = Files.createDirectories(dir.resolve("elsewhere/runs"));
        Path run = Files.createDirectories(realRuns.resolve("0002_chat"));
        Files.writeString(run.resolve("stdout.log"), "ok\n");
        Path linkedRuns = Files.createSymbolicLink(dir.resolve("linked-runs"), realRuns);
        int n = recordRun(linkedRuns.resolve("0002_chat"), null);
        assertThat(api.get("/api/experiments/" + n + "/log").body()).isEqualTo("ok\n");
    }

    @Test
    void aRunDirectoryReplacedByASymlinkServesNothingFromWhereItPoints() throws Exception {
        // issue 13 item 7: the check used to resolve the run directory first, so the link moved the confinement
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere/private"));
        Files.writeString(elsewhere.resolve("stdout.log"), "not for the web\n");
        int n = recordRun(runDir, null);
        Files.delete(runDir);
        Files.createSymbolicLink(runDir, elsewhere);
        var r = api.get("/api/experiments/" + n + "/log");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).doesNotContain("not for the web").contains("symbolic link");

        int recordedAbsolute = recordRun(runDir, runDir.resolve("stdout.log").toString());
        assertThat(api.get("/api/experiments/" + recordedAbsolute + "/log").body()).doesNotContain("not for the web");
    }

    @Test
    void ingestedExperimentsHaveNoLogEvenIfTheirMetadataNamesADirectory() throws Exception {
        Files.writeString(dir.resolve("stdout.log"), "secret\n");
        var result = api.autotune.recording().ingest(new Recording.IngestRequest(TestServer.example("batch-1-vllm-bench.json"),
                null, "chat", null, Map.of(), null, null, null, Map.of(Runs.RUN_DIR, dir.toString()), false));
        var r = api.get("/api/experiments/" + result.number() + "/log");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).doesNotContain("secret");
    }

    private void assertRefused(int n) {
        var r = api.get("/api/experiments/" + n + "/log");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).doesNotContain("not for the web").contains("outside").contains("\"error\"");
    }
}
