package dev.autotune.domain.query;

import dev.autotune.domain.ExperimentStatus;

/**
 * Which experiments a list shows; a null field does not filter. Excluded experiments are left out unless
 * {@code includeExcluded}.
 */
public record ListFilter(String scenario, ExperimentStatus status, String backend, boolean includeExcluded) {
    public static final ListFilter ALL = new ListFilter(null, null, null);

    public ListFilter(String scenario, ExperimentStatus status, String backend) {
        this(scenario, status, backend, false);
    }
}
