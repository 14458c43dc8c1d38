package dev.autotune.runner.cloudai;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * @param passThrough  cloudai options autotune passes on unchanged
 */
public record RunRequest(Path scenarioToml, Path systemConfig, Path testsDir, Path hookDir, String cloudaiBin,
                         Duration timeout, boolean dryRun, Path runDir, PassThrough passThrough) {
    /**
     * cloudai options autotune does not interpret, passed on as given.
     *
     * @param enableCacheWithoutCheck {@code --enable-cache-without-check}: treat the container, model and repos as
     *                                installed without checking (otherwise {@code run} installs what is missing)
     * @param singleSbatch            {@code --single-sbatch} (Slurm): the whole scenario in one sbatch job
     * @param logLevel                {@code --log-level} (a group option: it goes before the subcommand), or null
     * @param extraArgs               further arguments (after {@code --} on autotune's command line), appended after
     *                                the subcommand's options
     */
    public record PassThrough(boolean enableCacheWithoutCheck, boolean singleSbatch, String logLevel,
                              List<String> extraArgs) {
        public static final PassThrough NONE = new PassThrough(false, false, null, List.of());

        /** The options autotune sets itself: passing them again would make two runs write to one place. */
        public static final List<String> OWN_OPTIONS = List.of("--output-dir", "--log-file", "--system-config",
                "--test-scenario", "--tests-dir", "--hook-dir");

        public PassThrough {
            extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
            for (String a : extraArgs) {
                String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                if (OWN_OPTIONS.contains(name)) {
                    throw new IllegalArgumentException(name + " is set by autotune; use autotune's own option");
                }
            }
        }
    }

    public RunRequest(Path scenarioToml, Path systemConfig, Path testsDir, Path hookDir, String cloudaiBin,
                      Duration timeout, boolean dryRun, Path runDir) {
        this(scenarioToml, systemConfig, testsDir, hookDir, cloudaiBin, timeout, dryRun, runDir, PassThrough.NONE);
    }

    public RunRequest {
        Objects.requireNonNull(scenarioToml, "scenarioToml");
        Objects.requireNonNull(systemConfig, "systemConfig");
        Objects.requireNonNull(runDir, "runDir");
        passThrough = passThrough == null ? PassThrough.NONE : passThrough;
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
