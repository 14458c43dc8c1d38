package dev.autotune.domain;

import java.util.Locale;

/**
 * Where an experiment stands. {@code VALIDATED} is a cloudai dry run that succeeded: the config was checked and every
 * script generated, but nothing was measured, so it is never a result: check, recommend and exports leave it out, and
 * so must anything else that reads results (search).
 */
public enum ExperimentStatus {
    RUNNING, COMPLETED, FAILED, ABANDONED, VALIDATED;

    // `list` reads and prints a status per row (10,000 in a long history): the code is made once, not per call
    private static final ExperimentStatus[] ALL = values();
    private final String code = name().toLowerCase(Locale.ROOT);

    public String code() {
        return code;
    }

    public static ExperimentStatus parse(String text) {
        for (ExperimentStatus s : ALL) {
            if (s.code.equals(text)) {
                return s; // as stored: no trimming or case folding
            }
        }
        for (ExperimentStatus s : ALL) {
            if (s.code().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown status '" + text + "' (expected running, completed, failed, abandoned or validated)");
    }
}
