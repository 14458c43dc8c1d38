package dev.autotune.domain;

import java.util.Locale;

/**
 * Where an experiment stands. {@code VALIDATED} is a cloudai dry run that succeeded: the config was checked and every
 * script generated, but nothing was measured, so it is never a result: check, recommend and exports leave it out, and
 * so must anything else that reads results (search).
 */
public enum ExperimentStatus {
    RUNNING, COMPLETED, FAILED, ABANDONED, VALIDATED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExperimentStatus parse(String text) {
        for (ExperimentStatus s : values()) {
            if (s.code().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown status '" + text + "' (expected running, completed, failed, abandoned or validated)");
    }
}
