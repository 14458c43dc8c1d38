package dev.autotune.domain.query;

/** A running experiment and the process that owns it, for noticing runners that died. */
public record RunningExperiment(String experimentId, int number, Long pid, String host, String processStartedAt) {
}
