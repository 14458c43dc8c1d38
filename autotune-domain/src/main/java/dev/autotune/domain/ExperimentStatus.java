package dev.autotune.domain;

import java.util.Locale;

public enum ExperimentStatus {
    RUNNING, COMPLETED, FAILED, ABANDONED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExperimentStatus parse(String text) {
        for (ExperimentStatus s : values()) {
            if (s.code().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown status '" + text + "' (expected running, completed, failed or abandoned)");
    }
}
