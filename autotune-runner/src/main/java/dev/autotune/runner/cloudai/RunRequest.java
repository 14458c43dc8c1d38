package dev.autotune.runner.cloudai;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One cloudai invocation.
 *
 * @param scenarioToml the {@code --test-scenario} TOML (required)
 * @param systemConfig the {@code --system-config} TOML (required)
 * @param testsDir     {@code --tests-dir}, or null
 * @param hookDir      {@code --hook-dir}, or null
 * @param cloudaiBin   the cloudai executable: a path (contains a '/') or a name looked up on PATH
 * @param timeout      wall-clock limit for the whole run, or null for none
 * @param dryRun       {@code cloudai dry-run} instead of {@code cloudai run}
 * @param runDir       autotune's directory for this run, e.g. {@code runs/0007_vllm-dse_2026-11-24_22-06-25/}
 *                     (see {@link RunDirs#allocate}); created if missing. cloudai writes into {@code runDir/results}
 */
public record RunRequest(Path scenarioToml, Path systemConfig, Path testsDir, Path hookDir, String cloudaiBin,
                         Duration timeout, boolean dryRun, Path runDir) {
    public RunRequest {
        Objects.requireNonNull(scenarioToml, "scenarioToml");
        Objects.requireNonNull(systemConfig, "systemConfig");
        Objects.requireNonNull(runDir, "runDir");
        if (cloudaiBin == null || cloudaiBin.isBlank()) {
            cloudaiBin = "cloudai";
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** Where cloudai is told to write ({@code --output-dir}). */
    public Path outputDir() {
        return runDir.resolve("results");
    }

    /** cloudai's stdout+stderr, as it came, plus autotune's {@code [autotune]} diagnostics. */
    public Path logFile() {
        return runDir.resolve("stdout.log");
    }

    /** cloudai's own DEBUG log ({@code --log-file}). */
    public Path debugLogFile() {
        return runDir.resolve("cloudai-debug.log");
    }
}
