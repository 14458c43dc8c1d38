package dev.autotune.runner.cloudai;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The console parser against cloudai's real captured output. */
class CloudaiOutputTest {
    private static final String DIR = "cloudai-fixtures/real_cli_runs/cli_output/";

    private static CloudaiOutput feed(String capture, Path cwd) throws IOException {
        CloudaiOutput o = new CloudaiOutput(cwd);
        for (String line : Files.readAllLines(FakeCloudai.resource(DIR + capture), StandardCharsets.UTF_8)) {
            o.accept(line);
        }
        return o;
    }

    @Test
    void dseRun() throws IOException {
        Path cwd = Path.of("/scratch/cloudai-work/fs");
        CloudaiOutput o = feed("run_fake_slurm_vllm_dse.stdout.txt", cwd);

        assertThat(o.resultsAt()).isEqualTo(cwd.resolve("results/vllm-dse_2026-11-24_22-06-25"));
        assertThat(o.currentTest()).isEqualTo("vllm.dse.1node");
        assertThat(o.step()).isEqualTo(3);
        assertThat(o.stepsTotal()).isEqualTo(3);
        assertThat(o.currentRunDir()).isEqualTo(cwd.resolve("results/vllm-dse_2026-11-24_22-06-25/vllm.dse.1node/0/3"));
        assertThat(o.completedJobs()).isEqualTo(3);
        assertThat(o.jobEvents()).isEmpty();
        assertThat(o.errorLines()).isEmpty();
        assertThat(o.lastLine()).isEqualTo("[INFO] All jobs are complete.");
        assertThat(RunAnalysis.labelOf(o.currentTest(), o.currentRunDir())).isEqualTo("vllm.dse.1node/0/3");
    }

    @Test
    void jobFailureRunThatExitedZero() throws IOException {
        CloudaiOutput o = feed("run_fake_slurm_vllm_jobfailure_rc0.stdout.txt", Path.of("/"));

        Path a = Path.of("/scratch/cloudai-work/fs/results-fail/vllm-plain_2026-11-24_22-06-43/vllm.agg.a/0");
        Path b = Path.of("/scratch/cloudai-work/fs/results-fail/vllm-plain_2026-11-24_22-06-43/vllm.agg.b/0");
        Map<Path, CloudaiOutput.JobEvent> events = o.jobEvents();
        assertThat(events).containsOnlyKeys(a, b);
        assertThat(events.get(a).terminated()).isFalse();
        assertThat(events.get(a).message()).isEqualTo("Job 1004 for test vllm.agg.a failed: vLLM bench log not found"
                + " in " + a + ".");
        assertThat(events.get(b).terminated()).isTrue();
        assertThat(events.get(b).jobId()).isEqualTo("1005");
        assertThat(o.testOrder()).containsExactly("vllm.agg.a", "vllm.agg.b");
        assertThat(o.tarball()).isEqualTo(Path.of("/scratch/cloudai-work/fs/results-fail/"
                + "vllm-plain_2026-11-24_22-06-43.tgz"));
        assertThat(o.errorLines()).hasSize(1);
        assertThat(o.step()).isNull();
    }

    @Test
    void standaloneRunsAndIterations() throws IOException {
        CloudaiOutput dry = feed("dryrun_standalone_sleep.stdout.txt", Path.of("/"));
        assertThat(dry.resultsAt()).isEqualTo(Path.of("/scratch/cloudai-work/results-dry/"
                + "sleep-simple_2026-11-24_22-05-08"));
        assertThat(RunAnalysis.labelOf(dry.currentTest(), dry.currentRunDir())).isEqualTo("Tests.sleep1/1");
        assertThat(dry.completedJobs()).isEqualTo(2);

        CloudaiOutput dse = feed("run_standalone_sleep_dse.stdout.txt", Path.of("/"));
        assertThat(dse.step()).isEqualTo(4);
        assertThat(dse.stepsTotal()).isEqualTo(4);
        assertThat(dse.currentTest()).isEqualTo("dse.sleep");
    }

    @Test
    void clickUsageErrorsAndTracebacks() {
        CloudaiOutput o = new CloudaiOutput(Path.of("/"));
        for (String l : ("Usage: cloudai run [OPTIONS]\nTry 'cloudai run -h' for help.\n\n"
                + "Error: No such option: --mode").split("\n")) {
            o.accept(l);
        }
        assertThat(o.clickError()).isEqualTo("No such option: --mode");

        CloudaiOutput t = new CloudaiOutput(Path.of("/"));
        for (String l : ("Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n"
                + "pydantic_core._pydantic_core.ValidationError: 1 validation error for VllmCmdArgs").split("\n")) {
            t.accept(l);
        }
        assertThat(t.tracebackLast()).startsWith("pydantic_core._pydantic_core.ValidationError: 1 validation error");
    }
}
