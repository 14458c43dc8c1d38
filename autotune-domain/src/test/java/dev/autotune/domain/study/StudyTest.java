package dev.autotune.domain.study;

import dev.autotune.domain.search.Decision.StopReason;
import dev.autotune.domain.search.Expectation;
import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.Objective;
import dev.autotune.domain.search.SearchSpace;
import dev.autotune.domain.study.StudyApi.FinishStudy;
import dev.autotune.domain.study.StudyApi.LinkTrial;
import dev.autotune.domain.study.StudyApi.ProposeTrial;
import dev.autotune.domain.study.StudyApi.StartStudy;
import dev.autotune.domain.study.StudyApi.StudyFinished;
import dev.autotune.domain.study.StudyApi.StudyStarted;
import dev.autotune.domain.study.StudyApi.TrialLinked;
import dev.autotune.domain.study.StudyApi.TrialProposed;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StudyTest {
    static final Instant T = Instant.parse("2026-11-30T12:00:00Z");
    static final String ID = "study-1";
    static final SearchSpace SPACE = new SearchSpace("chat",
            List.of(new Knob("serving.batch_size", Knob.Kind.NUMBER, List.of(1, 2, 4, 8), false),
                    new Knob("kv_cache_dtype", Knob.Kind.CATEGORY, List.of("auto", "fp8"), false)),
            List.of(), null, new Objective("throughput_tokens_per_sec", true), List.of("latency_ms<=200"), List.of(),
            null, null, null);
    static final Map<String, Object> A = Map.of("serving.batch_size", 4L, "kv_cache_dtype", "fp8");
    static final Map<String, Object> B = Map.of("serving.batch_size", 8L, "kv_cache_dtype", "auto");

    AggregateTestFixture<Study> fixture;

    @BeforeEach
    void fixture() {
        fixture = new AggregateTestFixture<>(Study.class);
        fixture.registerInjectableResource(Clock.fixed(T, ZoneOffset.UTC));
    }

    static StudyStarted started() {
        return new StudyStarted(ID, "chat-space", SPACE, "grid", 7, T);
    }

    static TrialProposed proposed(int trial, Map<String, Object> config) {
        return new TrialProposed(ID, trial, config, "grid", "next in grid order", null, false, T);
    }

    @Test
    void startingRecordsTheSpaceStrategyAndSeedAtTheInjectedTime() {
        fixture.givenNoPriorActivity()
                .when(new StartStudy(ID, "chat-space", SPACE, "grid", 7))
                .expectEvents(started());
    }

    @Test
    void proposalsAreNumberedAndCarryTheirReasonAndExpectation() {
        var expected = new Expectation(2310, 140, 0.83);
        fixture.given(started(), proposed(1, A))
                .when(new ProposeTrial(ID, B, "model", "expected 2,310 tok/s", expected, false))
                .expectResultMessagePayload(2)
                .expectEvents(new TrialProposed(ID, 2, B, "model", "expected 2,310 tok/s", expected, false, T));
    }

    @Test
    void aConfigStillWaitingForItsMeasurementIsNotProposedAgainUnlessAsARepeat() {
        fixture.given(started(), proposed(1, A))
                .when(new ProposeTrial(ID, Map.of("serving.batch_size", 4, "kv_cache_dtype", "fp8"), "grid", "x", null,
                        false))
                .expectException(IllegalStateException.class)
                .expectExceptionMessage("trial 1 of study study-1 already waits for this config; a second proposal of it must be marked as a repeat");
        fixture.given(started(), proposed(1, A))
                .when(new ProposeTrial(ID, A, "model", "best is uncertain: measure it again", null, true))
                .expectEvents(new TrialProposed(ID, 2, A, "model", "best is uncertain: measure it again", null, true, T));
    }

    @Test
    void aMeasuredConfigMayBeProposedAgain() {
        fixture.given(started(), proposed(1, A), new TrialLinked(ID, 1, "exp-1", T))
                .when(new ProposeTrial(ID, A, "grid", "its run was abandoned", null, false))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void aTrialIsLinkedOnceAndAnExperimentMeasuresOneTrial() {
        fixture.given(started(), proposed(1, A), proposed(2, B))
                .when(new LinkTrial(ID, 1, "exp-1"))
                .expectEvents(new TrialLinked(ID, 1, "exp-1", T));
        fixture.given(started(), proposed(1, A), new TrialLinked(ID, 1, "exp-1", T))
                .when(new LinkTrial(ID, 1, "exp-2"))
                .expectException(IllegalStateException.class);
        fixture.given(started(), proposed(1, A), proposed(2, B), new TrialLinked(ID, 1, "exp-1", T))
                .when(new LinkTrial(ID, 2, "exp-1"))
                .expectException(IllegalStateException.class);
        fixture.given(started(), proposed(1, A))
                .when(new LinkTrial(ID, 3, "exp-1"))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void aFinishedStudyTakesNoMoreProposalsLinksOrFinishes() {
        var finished = new StudyFinished(ID, StopReason.TRIAL_BUDGET, "3 of 3 trials run", T);
        fixture.given(started(), proposed(1, A))
                .when(new FinishStudy(ID, StopReason.TRIAL_BUDGET, "3 of 3 trials run"))
                .expectEvents(finished);
        fixture.given(started(), proposed(1, A), finished)
                .when(new ProposeTrial(ID, B, "grid", "x", null, false))
                .expectException(IllegalStateException.class);
        fixture.given(started(), proposed(1, A), finished)
                .when(new LinkTrial(ID, 1, "exp-1"))
                .expectException(IllegalStateException.class);
        fixture.given(started(), finished)
                .when(new FinishStudy(ID, StopReason.STOPPED_BY_USER, "again"))
                .expectException(IllegalStateException.class);
    }

    @Test
    void knobValuesTakeOneJavaFormWhateverNumberTypeTheyArriveAs() {
        var fromJson = new TrialProposed(ID, 1, Map.of("serving.batch_size", 4, "ratio", 0.5f, "on", true), "grid",
                "", null, false, T);
        assertThat(fromJson.config()).containsEntry("serving.batch_size", 4L).containsEntry("ratio", 0.5)
                .containsEntry("on", true);
        var start = new StudyStarted(ID, "n", SPACE, "grid", 1, T);
        assertThat(start.space().knobs().get(0).values()).containsExactly(1L, 2L, 4L, 8L);
    }
}
