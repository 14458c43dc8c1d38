package dev.autotune.domain;

import java.util.Locale;

/**
 * Why a run did not complete. The stored form is the lower-case name, e.g. {@code job_failed}. {@link #ABANDONED}
 * is not sent with {@code FailExperiment}: an {@code ExperimentAbandoned} event carries it implicitly, and the read
 * models show it in the same column as the others.
 */
public enum FailureCategory {
    LAUNCH_FAILED, USAGE_ERROR, CONFIG_ERROR, JOB_FAILED,
    /**
     * The job ran out of GPU (or host) memory: the config does not fit, which says something about the config and
     * nothing about the code, unlike {@link #JOB_FAILED}.
     */
    OUT_OF_MEMORY,
    TIMEOUT, NO_REPORT, UNREADABLE_REPORT, INTERRUPTED,
    /**
     * Not run: cloudai started the job after autotune had begun stopping it (the time limit, an interrupt), and
     * autotune cancelled it. It says nothing about the config.
     */
    CANCELLED,
    /** The runner process died (killed hard or crashed) before recording an outcome. */
    ABANDONED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
