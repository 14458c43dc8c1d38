package dev.autotune.domain.budget;

import dev.autotune.domain.budget.BudgetProfileApi.BudgetProfileDeleted;
import dev.autotune.domain.budget.BudgetProfileApi.BudgetProfileSaved;
import dev.autotune.domain.budget.BudgetProfileApi.DeleteBudgetProfile;
import dev.autotune.domain.budget.BudgetProfileApi.SaveBudgetProfile;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetProfileTest {
    static final Instant T = Instant.parse("2026-12-01T03:00:00Z");
    static final String ID = BudgetProfileApi.idOf("chat-slo");

    AggregateTestFixture<BudgetProfile> fixture;

    @BeforeEach
    void fixture() {
        fixture = new AggregateTestFixture<>(BudgetProfile.class);
        fixture.registerInjectableResource(Clock.fixed(T, ZoneOffset.UTC));
    }

    @Test
    void savingRecordsTheBudgetsInTheirNormalForm() {
        fixture.givenNoPriorActivity()
                .when(new SaveBudgetProfile(ID, "chat-slo", List.of("latency_ms <= 200.0", "ttft_ms<=50")))
                .expectResultMessagePayload(true)
                .expectEvents(new BudgetProfileSaved("chat-slo", List.of("latency_ms<=200", "ttft_ms<=50"), T));
    }

    @Test
    void savingOtherBudgetsUnderTheNameReplacesThemAndTheSameOnesRecordNothing() {
        BudgetProfileSaved first = new BudgetProfileSaved("chat-slo", List.of("latency_ms<=200"), T);
        fixture.given(first)
                .when(new SaveBudgetProfile(ID, "chat-slo", List.of("latency_ms<=150")))
                .expectEvents(new BudgetProfileSaved("chat-slo", List.of("latency_ms<=150"), T));
        fixture.given(first)
                .when(new SaveBudgetProfile(ID, "chat-slo", List.of("latency_ms<=200")))
                .expectResultMessagePayload(false)
                .expectNoEvents();
    }

    @Test
    void aProfileNeedsABudgetAtMostOnePerMetricAndDirectionAndATypableName() {
        fixture.givenNoPriorActivity()
                .when(new SaveBudgetProfile(ID, "chat-slo", List.of()))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("a budget profile needs at least one budget");
        fixture.givenNoPriorActivity()
                .when(new SaveBudgetProfile(ID, "chat-slo", List.of("latency_ms<=200", "latency_ms<=150")))
                .expectExceptionMessage("two budgets on latency_ms <= (latency_ms<=200 and latency_ms<=150): keep one");
        assertThatThrownBy(() -> BudgetProfile.checkName("chat slo")).hasMessageContaining("e.g. chat-slo");
        assertThatThrownBy(() -> BudgetProfile.checkName("-x")).hasMessageContaining("must be a letter or digit");
        fixture.givenNoPriorActivity()
                .when(new SaveBudgetProfile(ID, "chat-slo", List.of("latency_ms<=fast")))
                .expectExceptionMessage("budget for latency_ms must be a number, got 'fast'");
    }

    @Test
    void onlyASavedProfileIsDeletedAndADeletedNameCanBeSavedAgain() {
        BudgetProfileSaved saved = new BudgetProfileSaved("chat-slo", List.of("latency_ms<=200"), T);
        BudgetProfileDeleted deleted = new BudgetProfileDeleted("chat-slo", T);
        fixture.given(saved)
                .when(new DeleteBudgetProfile(ID, "chat-slo"))
                .expectEvents(deleted);
        fixture.given(saved, deleted)
                .when(new DeleteBudgetProfile(ID, "chat-slo"))
                .expectException(IllegalStateException.class)
                .expectExceptionMessage("no budget profile chat-slo");
        fixture.given(saved, deleted)
                .when(new SaveBudgetProfile(ID, "chat-slo", List.of("latency_ms<=200")))
                .expectEvents(saved);
    }
}
