package dev.autotune.projections;

import dev.autotune.store.testing.TestStores;
import dev.autotune.domain.budget.BudgetProfileApi;
import dev.autotune.domain.budget.BudgetProfileApi.DeleteBudgetProfile;
import dev.autotune.domain.budget.BudgetProfileApi.SaveBudgetProfile;
import dev.autotune.projections.BudgetProfileProjection.ProfileRow;
import dev.autotune.store.AxonStore;
import dev.autotune.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Budget profiles through the real SQLite store: saved, replaced, deleted and saved again, and rebuilt the same. */
class BudgetProfileProjectionTest {
    static final Instant T = Instant.parse("2026-12-01T03:00:00Z");

    @TempDir
    Path dir;

    @Test
    void profilesReadBackAsLastSavedAndARebuildFromTheEventsGivesTheSameRows() {
        String chat = BudgetProfileApi.idOf("chat-slo");
        String batch = BudgetProfileApi.idOf("batch");
        try (Database db = TestStores.open(dir, "b.db")) {
            Projections views = Projections.of(db);
            try (AxonStore store = AxonStore.start(db, views.all(), Clock.fixed(T, ZoneOffset.UTC))) {
                var gw = store.commands();
                gw.sendAndWait(new SaveBudgetProfile(chat, "chat-slo", List.of("latency_ms<=200", "ttft_ms<=50")));
                gw.sendAndWait(new SaveBudgetProfile(batch, "batch", List.of("throughput_tokens_per_sec>=300")));
                gw.sendAndWait(new SaveBudgetProfile(chat, "chat-slo", List.of("latency_ms<=150", "tpot_ms<=10")));
                gw.sendAndWait(new DeleteBudgetProfile(batch, "batch"));
                // the aggregate, loaded from the stored events, knows the profile is gone
                assertThatThrownBy(() -> gw.sendAndWait(new DeleteBudgetProfile(batch, "batch")))
                        .hasMessageContaining("no budget profile batch");
                store.awaitProjections(Duration.ofSeconds(20));

                List<ProfileRow> rows = views.budgetProfiles().list();
                assertThat(rows).containsExactly(new ProfileRow("chat-slo", List.of("latency_ms<=150", "tpot_ms<=10"), T));
                assertThat(views.budgetProfiles().find("batch")).isEmpty();

                gw.sendAndWait(new SaveBudgetProfile(batch, "batch", List.of("failure_rate<=0.01")));
                store.rebuild(Duration.ofSeconds(60), p -> {
                });
                assertThat(views.budgetProfiles().list()).containsExactly(
                        new ProfileRow("batch", List.of("failure_rate<=0.01"), T), rows.get(0));
            }
        }
    }
}
