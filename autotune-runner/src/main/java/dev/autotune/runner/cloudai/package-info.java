/**
 * Running NVIDIA CloudAI and turning what it leaves behind into results.
 *
 * <p>Entry points: {@link dev.autotune.runner.cloudai.CloudaiRun} ({@code new CloudaiRun(request, parser,
 * terminal).execute()}, {@code interrupt()} from another thread or a shutdown hook), which supervises the process
 * (launch, stream, timeout, signals, tree kill) and hands exit code, output and results dir to {@code RunAnalysis},
 * the pure analysis that decides the outcome (tested on directories alone),
 * {@link dev.autotune.runner.cloudai.RunDirs#allocate} for {@code runs/<NNNN>_<scenario>_<time>/}, and
 * {@link dev.autotune.runner.cloudai.SmokeCheck} for {@code autotune smoke-cloudai}.
 *
 * <p>Failure categories ({@link dev.autotune.domain.FailureCategory}), decided in this order:
 * <ul>
 *   <li>{@code interrupted}: {@code interrupt()} (or the executing thread was interrupted);</li>
 *   <li>{@code timeout}: the request's timeout passed; cloudai got SIGTERM, then its whole tree SIGKILL;</li>
 *   <li>{@code launch_failed}: the executable is missing / not executable / could not be started, or the run dir
 *       cannot be created;</li>
 *   <li>{@code usage_error}: exit 2 (click usage error; the message is click's {@code Error:} line);</li>
 *   <li>{@code config_error}: exit 1 (every {@code [ERROR]} line with its continuation lines, at most 20, else the
 *       traceback's last line);</li>
 *   <li>{@code job_failed}: any other non-zero exit ("crashed", with the signal for codes 129-159); and per run dir a
 *       cloudai {@code [ERROR] Job <id> for test <name> failed:} line, a {@code Terminating job} line, or the
 *       workload's own success rule failing on the files (cloudai exits 0 when jobs fail);</li>
 *   <li>{@code unreadable_report}: a report file is there but {@code ReportParser} rejects it (its message);</li>
 *   <li>{@code no_report}: the job looks fine but no report file is in its run dir, or cloudai exited 0 without a
 *       results dir / run dirs.</li>
 * </ul>
 * Per-run-dir failures go on the {@link dev.autotune.runner.cloudai.StepResult}; the
 * {@link dev.autotune.runner.cloudai.RunOutcome} fails when the process failed or every run failed (then with the
 * first failed run's category). Steps of a run that timed out or was interrupted carry {@code timeout}/{@code
 * interrupted} instead of their file verdict; a step whose results were complete succeeds with a note.
 * {@link dev.autotune.runner.cloudai.RunOutcome#succeeded()} (the exit code of {@code autotune run}) is true only when
 * the run did not fail and no step failed.
 *
 * <p>Knob names of a step follow {@link dev.autotune.runner.config.Knobs}: the step's {@code test-run.toml}
 * {@code [test_definition]} ({@code cmd_args} without prefix, {@code extra_env_vars.*}, {@code NUM_NODES} from
 * {@code nnodes}), overlaid with the step's {@code trajectory.csv} action, whose keys CloudAI already writes in that
 * form ({@code decode.max_num_batched_tokens}, {@code extra_env_vars.FOO}, {@code NUM_NODES}).
 */
package dev.autotune.runner.cloudai;
