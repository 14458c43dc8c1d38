package dev.autotune.runner.cloudai;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeCheckTest {
    @TempDir
    Path tmp;
    FakeCloudai fake;
    Path system;
    Path scenario;
    Path testsDir;

    @BeforeEach
    void setUp() {
        fake = FakeCloudai.install(tmp);
        String in = "cloudai-fixtures/real_cli_runs/fake_slurm_vllm_dse/inputs/";
        system = FakeCloudai.copyResource(in + "slurm_fake.toml", tmp.resolve("in"));
        scenario = FakeCloudai.copyResource(in + "vllm_dse.toml", tmp.resolve("in"));
        testsDir = tmp.resolve("tests");
        FakeCloudai.copyResource("cloudai-conf/experimental/vllm/test/vllm.toml", testsDir);
    }

    @Test
    void everythingPassesWithAWorkingCloudaiAndNothingIsLeftBehind() throws IOException {
        Path bin = fake.wrapper(tmp.resolve("bin"), Map.of());
        List<SmokeCheck.Check> checks = new SmokeCheck(bin.toString(), Duration.ofSeconds(60))
                .run(scenario, system, testsDir, null);

        assertThat(checks).extracting(SmokeCheck.Check::name).containsExactly("binary", "help", "version", "dry-run");
        assertThat(checks).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
        assertThat(checks.get(1).detail()).isEqualTo("exit 0: Usage: cloudai [OPTIONS] COMMAND [ARGS]...");
        assertThat(checks.get(2).detail()).isEqualTo("CloudAI, version 1.8.0-1");
        assertThat(checks.get(3).detail()).isEqualTo("exit 0, 3 test runs prepared");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("fake-cloudai", "in",
                    "tests", "bin");
        }
    }

    @Test
    void missingBinarySkipsTheRest() {
        List<SmokeCheck.Check> checks = new SmokeCheck(tmp.resolve("nope/cloudai").toString(), Duration.ofSeconds(5))
                .run(scenario, system, testsDir, null);

        assertThat(checks).extracting(SmokeCheck.Check::ok).containsExactly(false, false, false, false);
        assertThat(checks.get(0).detail()).endsWith("nope/cloudai does not exist");
        assertThat(checks.get(3).detail()).isEqualTo("skipped: no cloudai executable");
    }

    @Test
    void brokenCloudaiFailsHelpAndDryRun() throws IOException {
        Path broken = tmp.resolve("broken/cloudai");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "#!/bin/sh\necho 'ModuleNotFoundError: No module named click' >&2\nexit 1\n");
        FakeCloudai.executable(broken);
        List<SmokeCheck.Check> checks = new SmokeCheck(broken.toString(), Duration.ofSeconds(10))
                .run(scenario, system, testsDir, null);

        assertThat(checks.get(0).ok()).isTrue();
        assertThat(checks.get(1)).isEqualTo(new SmokeCheck.Check("help", false,
                "exit 1: ModuleNotFoundError: No module named click"));
        assertThat(checks.get(2).ok()).isTrue();
        assertThat(checks.get(2).detail()).startsWith("not available (exit 1)");
        assertThat(checks.get(3).ok()).isFalse();
        assertThat(checks.get(3).detail()).startsWith("config_error: cloudai exited 1: ModuleNotFoundError");
    }

    @Test
    void dryRunFailureIsReported() {
        Path bin = fake.wrapper(tmp.resolve("bin"), Map.of("FAKE_CLOUDAI_MODE", "config_error"));
        List<SmokeCheck.Check> checks = new SmokeCheck(bin.toString(), Duration.ofSeconds(60))
                .run(scenario, system, testsDir, null);

        assertThat(checks.get(3).name()).isEqualTo("dry-run");
        assertThat(checks.get(3).ok()).isFalse();
        assertThat(checks.get(3).detail()).startsWith("config_error: cloudai exited 1: Test 'no_such_test' is not defined."
                + " | Please check:");
        assertThat(checks.subList(0, 3)).allSatisfy(c -> assertThat(c.ok()).isTrue());
    }

    @Test
    void hangingCloudaiTimesOut() throws IOException {
        Path hang = tmp.resolve("hang/cloudai");
        Files.createDirectories(hang.getParent());
        Files.writeString(hang, "#!/bin/sh\nexec sleep 30\n");
        FakeCloudai.executable(hang);
        List<SmokeCheck.Check> checks = new SmokeCheck(hang.toString(), Duration.ofMillis(500))
                .run(scenario, system, testsDir, null);

        assertThat(checks.get(1).ok()).isFalse();
        assertThat(checks.get(1).detail()).endsWith("did not answer within 500 ms");
        assertThat(checks.get(3).detail()).startsWith("timeout: ");
    }
}
