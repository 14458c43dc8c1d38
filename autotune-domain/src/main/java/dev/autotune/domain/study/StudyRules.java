package dev.autotune.domain.study;

import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.Metric;
import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.Observation;
import dev.autotune.domain.search.SearchSpace;
import dev.autotune.domain.search.Spaces;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What a study learns from an experiment: whether it is an observation of the study's space and how it counts
 * (completed, failed, or saying nothing about its config). The rules every study reader applies, whoever recorded
 * the experiment (`tune`, `ingest`, `tell --failed`).
 */
public final class StudyRules {
    /** Failures of the set-up (interrupted, could not launch, refused), which say nothing about the config. */
    private static final Set<String> NOT_ABOUT_THE_CONFIG = Set.of(FailureCategory.INTERRUPTED.code(),
            FailureCategory.LAUNCH_FAILED.code(), FailureCategory.USAGE_ERROR.code());

    private StudyRules() {
    }

    /**
     * How an experiment counts for the search, or null while it measures nothing (running, or a validated dry run).
     * A run that failed on its own (the job died, timed out, left no readable report) is evidence against its
     * config; one that was interrupted, could not launch or was refused says nothing about the config, like one
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
     * An experiment's config as the space names it, when it lies in the space: each knob's value looked up by its
     * path, else by {@code alias} of the path (how the recorder names test-definition values), in the domain's
     * representation; empty when a knob has no value or the config is not one the space allows.
     */
    public static Optional<Map<String, Object>> configIn(SearchSpace space, Map<String, ?> recorded,
                                                         UnaryOperator<String> alias) {
        Map<String, Object> config = new LinkedHashMap<>();
        for (Knob k : space.knobs()) {
            Object v = valueOf(k, recorded, alias);
            if (v == null) {
                return Optional.empty();
            }
            config.put(k.path(), ConfigValues.canonical(v));
        }
        return Spaces.normalize(space, config).map(ConfigValues::config);
    }

    /** A knob's recorded value, by its path or its alias; null when neither is recorded. */
    public static Object valueOf(Knob knob, Map<String, ?> recorded, UnaryOperator<String> alias) {
        return recorded.containsKey(knob.path()) ? recorded.get(knob.path()) : recorded.get(alias.apply(knob.path()));
    }
}
