package dev.autotune.runner.cloudai;

import dev.autotune.runner.report.ParsedReport;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One cloudai test run: a {@code [[Tests]]} entry in one iteration, and for a DSE sweep one step.
 *
 * @param testId    the {@code [[Tests]]} id (the results dir name)
 * @param iteration 0-based iteration
 * @param step      1-based DSE step, null when the test is not a sweep
 * @param stepDir   the run dir ({@code <root>/<id>/<iteration>[/<step>]})
 * @param knobs     the knob values this run used, named as in {@link dev.autotune.runner.config.Knobs}
 *                  ({@code decode.max_num_batched_tokens}, {@code extra_env_vars.FOO}, {@code NUM_NODES}); values are
 *                  Long, Double, Boolean, String, List or null (a Python None in a DSE action)
 * @param reports   every report file found in the run dir that parsed
 * @param failure   null when the run succeeded
 */
public record StepResult(String testId, int iteration, Integer step, Path stepDir, Map<String, Object> knobs,
                         List<ParsedReport> reports, Failure failure) {
    public StepResult {
        knobs = Collections.unmodifiableMap(new LinkedHashMap<>(knobs));
        reports = List.copyOf(reports);
    }

    public boolean succeeded() {
        return failure == null;
    }

    /** {@code vllm.dse.1node/0/3}, or {@code vllm.agg/0} when not a sweep. */
    public String label() {
        return testId + "/" + iteration + (step == null ? "" : "/" + step);
    }
}
