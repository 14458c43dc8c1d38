package dev.autotune.runner.cloudai;

import java.nio.file.Path;
import java.util.List;

/**
 * What came of one cloudai invocation.
 *
 * @param exitCode   cloudai's exit code; null when it never started
 * @param runDir     autotune's run dir
 * @param logFile    {@code runDir/stdout.log}
 * @param resultsDir cloudai's scenario results dir ({@code <output>/<scenario>_<timestamp>}), null when none was found
 * @param steps      one entry per test run found, in run order
 * @param failure    the failure of the run as a whole (cloudai could not start, was stopped, crashed, rejected its
 *                   input, or every job failed); null otherwise. A job that failed carries its own failure
 * @param dryRun     {@code cloudai dry-run}: the jobs were validated, not measured
 */
public record RunOutcome(Integer exitCode, Path runDir, Path logFile, Path resultsDir, List<StepResult> steps,
                         Failure failure, boolean dryRun) {
    public RunOutcome {
        steps = List.copyOf(steps);
    }

    /**
     * The exit-code rule of {@code autotune run}: true (exit 0) only when cloudai ended by itself and every job it
     * started completed (in a dry run: validated). Any failed job, a timeout or an interruption makes it false (exit
     * 1), even when other jobs of the sweep completed, because a sweep with holes is not the sweep that was asked for.
     */
    public boolean succeeded() {
        return failure == null && failedSteps().isEmpty();
    }

    public List<StepResult> failedSteps() {
        return steps.stream().filter(s -> !s.succeeded()).toList();
    }
}
