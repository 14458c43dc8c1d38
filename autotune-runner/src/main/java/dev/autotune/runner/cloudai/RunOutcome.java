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
 * @param failure    null when the run succeeded: the process ended normally and at least one step succeeded
 *                   (a sweep with some failed steps is a success; the failed steps carry their own failure)
 */
public record RunOutcome(Integer exitCode, Path runDir, Path logFile, Path resultsDir, List<StepResult> steps,
                         Failure failure) {
    public RunOutcome {
        steps = List.copyOf(steps);
    }

    public boolean succeeded() {
        return failure == null;
    }

    public List<StepResult> failedSteps() {
        return steps.stream().filter(s -> !s.succeeded()).toList();
    }
}
