package dev.autotune.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether the runner of a running experiment is known to be gone, from what the caller observed: the state of the
 * run's lease in the store, and, for runs recorded before runners took leases, whether a process with the recorded
 * pid runs on this host and when it started. The observations are I/O (the application layer makes them); the
 * judgement is here.
 */
public final class RunnerLiveness {
    /** How far a live process's start may lie from the start its run recorded and still be the same process. */
    static final Duration SAME_START = Duration.ofMillis(2000);

    private RunnerLiveness() {
    }

    /** The run's lease as the store reports it. */
    public enum Lease {
        /** a runner holds it: alive */
        HELD,
        /** nobody holds it any more: the runner is gone */
        FREE,
        /** no lease was ever taken (recorded by an autotune that took none) */
        UNKNOWN
    }

    /** What is known of a process with the recorded pid on this host: absent, or alive with its start (if known). */
    public record Process(boolean alive, Instant startedAt) {
        public static final Process ABSENT = new Process(false, null);
    }

    /**
     * Why the runner of a running experiment is known to be gone, or null while it may be alive.
     *
     * @param runId    the run's id, null for an experiment recorded without one
     * @param pid      the runner's pid as recorded, or null
     * @param host     the host the runner ran on, as recorded
     * @param recordedStart when the runner process started, as recorded (ISO-8601), or null
     * @param lease    the run's lease (UNKNOWN for a run without a run id)
     * @param thisHost the host this judgement runs on: a pid is only checked on its own host
     * @param process  the process with the recorded pid on this host
     */
    public static String gone(String runId, Long pid, String host, String recordedStart, Lease lease, String thisHost,
                              Process process) {
        if (runId != null) {
            switch (lease) {
                case HELD:
                    return null;
                case FREE:
                    return (pid == null ? "its runner" : "runner process " + pid + " on " + host)
                            + " is gone: nothing holds the run's lease any more (killed or crashed)";
                case UNKNOWN:
                    break; // recorded by an autotune that took no lease: judged as it was then
            }
        }
        if (pid == null || !thisHost.equals(host) || alive(process, recordedStart)) {
            return null;
        }
        return "runner process " + pid + " on " + host + " is gone (killed or crashed)";
    }

    /**
     * The pre-lease check: the pid is alive and is the process the run recorded (a recycled pid belongs to a
     * different process started at a different time).
     */
    public static boolean alive(Process process, String recordedStart) {
        if (!process.alive()) {
            return false;
        }
        if (recordedStart == null || process.startedAt() == null) {
            return true;
        }
        return Math.abs(Duration.between(process.startedAt(), Instant.parse(recordedStart)).toMillis())
                < SAME_START.toMillis();
    }
}
