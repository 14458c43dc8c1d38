package dev.autotune.domain.study;

import dev.autotune.domain.search.Decision.StopReason;
import dev.autotune.domain.search.Expectation;
import dev.autotune.domain.search.SearchSpace;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;

/**
 * Every command and event of a study: a search over a declared space, whose trials are proposals that experiments
 * then measure. The study's whole state is these events, so a search killed at any moment resumes from the log.
 * Knob values pass through {@link ConfigValues} so a config reads back from the store exactly as it was proposed.
 */
public final class StudyApi {
    private StudyApi() {
    }

    // ---- commands ----

    public record StartStudy(@TargetAggregateIdentifier String studyId, String name, SearchSpace space,
                             String strategy, long seed) {
    }

    /** Answered with the new trial's number (1, 2, ...). */
    public record ProposeTrial(@TargetAggregateIdentifier String studyId, Map<String, Object> config,
                              String strategy, String reason, Expectation expectation, boolean repeat) {
    }

    /** Names the experiment that measures a trial: as soon as it starts (tune), or afterwards (tell). */
    public record LinkTrial(@TargetAggregateIdentifier String studyId, int trial, String experimentId) {
    }

    public record FinishStudy(@TargetAggregateIdentifier String studyId, StopReason reason, String message) {
    }

    // ---- events ----

    @Revision("1")
    public record StudyStarted(String studyId, String name, SearchSpace space, String strategy, long seed,
                               Instant startedAt) {
        public StudyStarted {
            space = ConfigValues.space(space);
        }
    }

    /**
     * @param repeat      the config was measured before and is proposed again on purpose
     * @param expectation what the strategy's model expected, or null for strategies without one
     */
    @Revision("1")
    public record TrialProposed(String studyId, int trial, Map<String, Object> config, String strategy,
                                String reason, Expectation expectation, boolean repeat, Instant proposedAt) {
        public TrialProposed {
            config = ConfigValues.config(config);
        }
    }

    @Revision("1")
    public record TrialLinked(String studyId, int trial, String experimentId, Instant linkedAt) {
    }

    @Revision("1")
    public record StudyFinished(String studyId, StopReason reason, String message, Instant finishedAt) {
    }
}
