package dev.autotune.domain;

import dev.autotune.domain.ExperimentApi.AddNote;
import dev.autotune.domain.ExperimentApi.AmendExperiment;
import dev.autotune.domain.ExperimentApi.ExcludeExperiment;
import dev.autotune.domain.ExperimentApi.ExperimentAmended;
import dev.autotune.domain.ExperimentApi.ExperimentCompleted;
import dev.autotune.domain.ExperimentApi.ExperimentExcluded;
import dev.autotune.domain.ExperimentApi.ExperimentIncluded;
import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.domain.ExperimentApi.ExperimentTagged;
import dev.autotune.domain.ExperimentApi.ExperimentUntagged;
import dev.autotune.domain.ExperimentApi.IncludeExperiment;
import dev.autotune.domain.ExperimentApi.NoteAdded;
import dev.autotune.domain.ExperimentApi.Source;
import dev.autotune.domain.ExperimentApi.TagExperiment;
import dev.autotune.domain.ExperimentApi.UntagExperiment;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Corrections are new events on the experiment; what was recorded first is never changed. */
class ExperimentCorrectionsTest {
    static final Instant T = Instant.parse("2026-11-30T12:00:00Z");
    static final String ID = "exp-1";

    AggregateTestFixture<Experiment> fixture;

    @BeforeEach
    void fixture() {
        fixture = new AggregateTestFixture<>(Experiment.class);
        fixture.registerInjectableResource(Clock.fixed(T, ZoneOffset.UTC));
    }

    static ExperimentStarted started() {
        // 4 as an Integer: what Jackson gives back for a knob recorded as the TOML integer 4
        return new ExperimentStarted(ID, "chat", "vllm", Map.of("serving.batch_size", 4), null, null, null, Map.of(),
                Source.INGEST, null, null, T);
    }

    static ExperimentCompleted completed() {
        return new ExperimentCompleted(ID, T);
    }

    @Test
    void aScenarioOrBackendWithAControlCharacterIsRefused() {
        fixture.given(started(), completed())
                .when(new AmendExperiment(ID, "chat\nh100", null, Map.of()))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("a scenario name cannot hold control characters (a newline, a tab, a terminal"
                        + " escape): chat?h100");
        fixture.given(started(), completed())
                .when(new AmendExperiment(ID, null, "\u001b[31mred", Map.of()))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("a backend name cannot hold control characters (a newline, a tab, a terminal"
                        + " escape): ?[31mred");
    }

    @Test
    void taggingRecordsOnlyTheTagsThatChange() {
        fixture.given(started(), completed(), new ExperimentTagged(ID, Map.of("gpu", "H100"), T))
                .when(new TagExperiment(ID, Map.of("gpu", "H100", "node", "dgx-3")))
                .expectEvents(new ExperimentTagged(ID, Map.of("node", "dgx-3"), T));
    }

    @Test
    void taggingWithTheSameValueRecordsNothing() {
        fixture.given(started(), completed(), new ExperimentTagged(ID, Map.of("gpu", "H100"), T))
                .when(new TagExperiment(ID, Map.of("gpu", "H100")))
                .expectNoEvents();
    }

    @Test
    void untaggingATagNeverSetNamesTheTagsThereAre() {
        fixture.given(started(), completed(), new ExperimentTagged(ID, Map.of("gpu", "H100"), T))
                .when(new UntagExperiment(ID, List.of("node")))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("experiment has no tag 'node' (tags: gpu)");
        fixture.given(started(), completed(), new ExperimentTagged(ID, Map.of("gpu", "H100"), T))
                .when(new UntagExperiment(ID, List.of("gpu")))
                .expectEvents(new ExperimentUntagged(ID, List.of("gpu"), T));
    }

    @Test
    void aNoteIsRecordedWithItsTimeAndMustSaySomething() {
        fixture.given(started(), completed())
                .when(new AddNote(ID, "  node dgx-3 was throttling  "))
                .expectEvents(new NoteAdded(ID, "node dgx-3 was throttling", T));
        fixture.given(started(), completed())
                .when(new AddNote(ID, " "))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void excludingNeedsAReasonAndHappensOnceUntilIncludedAgain() {
        fixture.given(started(), completed())
                .when(new ExcludeExperiment(ID, ""))
                .expectException(IllegalArgumentException.class);
        fixture.given(started(), completed(), new ExperimentExcluded(ID, "wrong model", T))
                .when(new ExcludeExperiment(ID, "again"))
                .expectException(IllegalStateException.class)
                .expectExceptionMessage("experiment is already excluded (wrong model)");
        fixture.given(started(), completed(), new ExperimentExcluded(ID, "wrong model", T))
                .when(new IncludeExperiment(ID))
                .expectEvents(new ExperimentIncluded(ID, T));
        fixture.given(started(), completed(), new ExperimentExcluded(ID, "wrong model", T), new ExperimentIncluded(ID, T))
                .when(new IncludeExperiment(ID))
                .expectException(IllegalStateException.class)
                .expectExceptionMessage("experiment is not excluded");
    }

    @Test
    void amendingRecordsOnlyWhatDiffersFromTheRecordedValues() {
        fixture.given(started(), completed())
                .when(new AmendExperiment(ID, "chat", "sglang", Map.of("serving.batch_size", 4L, "tp", 2L)))
                .expectEvents(new ExperimentAmended(ID, null, "sglang", Map.of("tp", 2L), T));
        fixture.given(started(), completed(), new ExperimentAmended(ID, "chat-h100", null, Map.of("tp", 2L), T))
                .when(new AmendExperiment(ID, "chat-h100", null, Map.of("tp", 2L)))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("nothing to amend: the experiment already records these values");
    }

    @Test
    void aRunningExperimentCannotBeAmended() {
        fixture.given(started())
                .when(new AmendExperiment(ID, "other", null, Map.of()))
                .expectException(IllegalStateException.class);
    }
}
