package dev.autotune.domain.budget;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * The commands and events of a named budget profile ({@code chat-slo}: latency_ms<=200, ttft_ms<=50): budgets typed
 * once and shared through the store, so every command, the API and the dashboard hold runs against the same ones.
 * Budgets travel as their normalized text ({@code latency_ms<=200}), which {@code Budget.parse} reads back exactly.
 */
public final class BudgetProfileApi {
    private BudgetProfileApi() {
    }

    /** The aggregate identifier of the profile called {@code name}: names are unique, ids must not clash with experiments'. */
    public static String idOf(String name) {
        return "budget-profile:" + name;
    }

    // ---- commands ----

    /** Answered with true when an event was recorded, false when the profile already held exactly these budgets. */
    public record SaveBudgetProfile(@TargetAggregateIdentifier String profileId, String name, List<String> budgets) {
    }

    public record DeleteBudgetProfile(@TargetAggregateIdentifier String profileId, String name) {
    }

    // ---- events ----

    /** The profile's budgets from now on; a save under a name saved before replaces its budgets. */
    @Revision("1")
    public record BudgetProfileSaved(String name, List<String> budgets, Instant savedAt) {
        public BudgetProfileSaved {
            budgets = List.copyOf(budgets);
        }
    }

    @Revision("1")
    public record BudgetProfileDeleted(String name, Instant deletedAt) {
    }
}
