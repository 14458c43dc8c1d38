package dev.autotune.domain;

import java.util.Locale;

/**
 * Why a run did not complete. The stored form is the lower-case name, e.g. {@code job_failed}. {@link #ABANDONED}
 * is not sent with {@code FailExperiment}: an {@code ExperimentAbandoned} event carries it implicitly, and the read
 * models show it in the same column as the others.
 */
public enum FailureCategory {
    LAUNCH_FAILED, USAGE_ERROR, CONFIG_ERROR, JOB_FAILED, TIMEOUT, NO_REPORT, UNREADABLE_REPORT, INTERRUPTED,
    /** The runner process died (killed hard or crashed) before recording an outcome. */
    ABANDONED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
