package dev.autotune.domain.study;

import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.Metric;
import dev.autotune.domain.search.Observation;
import dev.autotune.domain.search.SearchSpace;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a study learns from an experiment: whether it is an observation of the study's space and how it counts
 * (completed, failed, or saying nothing about its config). The rules every study reader applies, whoever recorded
 * the experiment (`tune`, `ingest`, `tell --failed`).
 */
public final class StudyRules {
    /** Failures of the set-up (interrupted, could not launch, refused), which say nothing about the config. */
    private static final Set<String> NOT_ABOUT_THE_CONFIG = Set.of(FailureCategory.INTERRUPTED.code(),
            FailureCategory.LAUNCH_FAILED.code(), FailureCategory.USAGE_ERROR.code(),
            FailureCategory.CANCELLED.code());

    private StudyRules() {
    }

    /**
     * How an experiment counts for the search, or null while it measures nothing (running, or a validated dry run).
     * A run that failed on its own (the job died, timed out, left no readable report) is evidence against its
     * config; one that was interrupted, could not launch, was refused or was cancelled at the time limit says nothing about the config, like one
     * whose runner died. A completed run whose every request failed (failure_rate 1) measured no serving at all:
     * it counts as failed, so the failure model learns from it instead of the objective model learning a zero.
     */
    public static Observation.Outcome outcome(ExperimentStatus status, String failureCategory,
                                              Map<String, Double> metrics) {
        return switch (status) {
            case RUNNING, VALIDATED -> null;
            case COMPLETED -> allRequestsFailed(metrics) ? Observation.Outcome.FAILED : Observation.Outcome.COMPLETED;
            case ABANDONED -> Observation.Outcome.ABANDONED;
            case FAILED -> failureCategory != null && NOT_ABOUT_THE_CONFIG.contains(failureCategory)
                    ? Observation.Outcome.ABANDONED : Observation.Outcome.FAILED;
        };
    }

    /** Every request of the run failed: nothing was served, whatever else the report says. */
    public static boolean allRequestsFailed(Map<String, Double> metrics) {
        Double rate = metrics == null ? null : metrics.get(Metric.FAILURE_RATE.key());
        return rate != null && rate >= 1;
    }

    /**
     * An experiment's config as the space names it, when it lies in the space: its knobs matched by their canonical
     * names, whoever recorded them ({@link SpaceHistory#fit}); empty when a knob has no value or the config is not
     * one the space allows.
     */
    public static Optional<Map<String, Object>> configIn(SearchSpace space, Map<String, ?> recorded) {
        return Optional.ofNullable(SpaceHistory.fit(space, recorded).config());
    }
}
