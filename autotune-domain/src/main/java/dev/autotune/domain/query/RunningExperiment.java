package dev.autotune.domain.query;

/**
 * A running experiment, its run and the process that owns it, for noticing runners that died: the run's lease is
 * asked first; the pid, host and start time only for runs recorded before runners took leases.
 */
public record RunningExperiment(String experimentId, int number, String runId, Long pid, String host,
                                String processStartedAt) {
}
