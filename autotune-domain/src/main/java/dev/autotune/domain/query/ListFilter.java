package dev.autotune.domain.query;

import dev.autotune.domain.ExperimentStatus;

/** Which experiments a list shows; a null field does not filter. */
public record ListFilter(String scenario, ExperimentStatus status, String backend) {
    public static final ListFilter ALL = new ListFilter(null, null, null);
}
