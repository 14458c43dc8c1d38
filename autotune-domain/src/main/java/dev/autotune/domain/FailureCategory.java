package dev.autotune.domain;

import java.util.Locale;

/** Why a run failed. The stored form is the lower-case name, e.g. {@code job_failed}. */
public enum FailureCategory {
    LAUNCH_FAILED, USAGE_ERROR, CONFIG_ERROR, JOB_FAILED, TIMEOUT, NO_REPORT, UNREADABLE_REPORT, INTERRUPTED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
