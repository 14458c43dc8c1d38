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
 * @param details   facts about the run that are not knobs (CloudAI test id, iteration, step, Slurm job, node
 *                  environment), as metadata strings
 * @param reports   every report file found in the run dir that parsed
 * @param failure   null when the run succeeded
 * @param note      what a person should know about a run that succeeded, e.g. that cloudai was stopped at the time
 *                  limit after this job had written its results; null when nothing
 * @param phases    the measurements of a multi-phase AIPerf run (AI Dynamo {@code cmd_args.aiperf_phases}), in order;
 *                  empty otherwise. The last one is also in {@code reports} ({@code aiperf_report.csv} is its copy)
 */
public record StepResult(String testId, int iteration, Integer step, Path stepDir, Map<String, Object> knobs,
                         Map<String, String> details, List<ParsedReport> reports, Failure failure, String note,
                         List<Phase> phases) {
    public StepResult {
        knobs = Collections.unmodifiableMap(new LinkedHashMap<>(knobs));
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        reports = List.copyOf(reports);
        phases = List.copyOf(phases);
    }

    /**
     * One phase of a multi-phase AIPerf run.
     *
     * @param name   the phase name ({@code round_1})
     * @param knobs  {@code aiperf_phase} and the phase's own args, named like the base ones
     *               ({@code aiperf.args.concurrency})
     * @param report the phase's report ({@code aiperf_<name>_report.csv})
     */
    public record Phase(String name, Map<String, Object> knobs, ParsedReport report) {
        public Phase {
            knobs = Collections.unmodifiableMap(new LinkedHashMap<>(knobs));
        }
    }

    /** CloudAI's copy of the last AIPerf phase's report: with phases, not a measurement of its own. */
    static final String LAST_PHASE_COPY = "aiperf_report.csv";

    /**
     * The job's reports that are not a phase's: all of them without phases; with phases, all but
     * {@value #LAST_PHASE_COPY}, which is only CloudAI's copy of the last phase's.
     */
    public List<ParsedReport> jobReports() {
        return phases.isEmpty() ? reports : reports.stream()
                .filter(r -> !String.valueOf(r.path().getFileName()).equals(LAST_PHASE_COPY)).toList();
    }

    /** Every report the job's measurements were read from: each phase's, then {@link #jobReports()}. */
    public List<ParsedReport> measuredReports() {
        List<ParsedReport> out = new java.util.ArrayList<>();
        phases.forEach(p -> out.add(p.report()));
        out.addAll(jobReports());
        return out;
    }

    public boolean succeeded() {
        return failure == null;
    }

    /** {@code vllm.dse.1node/0/3}, or {@code vllm.agg/0} when not a sweep. */
    public String label() {
        return testId + "/" + iteration + (step == null ? "" : "/" + step);
    }
}
