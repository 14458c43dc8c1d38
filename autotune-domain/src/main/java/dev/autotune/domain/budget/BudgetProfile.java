package dev.autotune.domain.budget;

import dev.autotune.domain.Budget;
import dev.autotune.domain.budget.BudgetProfileApi.BudgetProfileDeleted;
import dev.autotune.domain.budget.BudgetProfileApi.BudgetProfileSaved;
import dev.autotune.domain.budget.BudgetProfileApi.DeleteBudgetProfile;
import dev.autotune.domain.budget.BudgetProfileApi.SaveBudgetProfile;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A named set of budgets. It decides: a name is a short word people type, a profile holds at least one budget and at
 * most one per metric and direction (two upper bounds on latency_ms would leave the reader guessing which one holds),
 * every budget parses, and only a saved profile can be deleted. A deleted name can be saved again: the aggregate
 * lives on, so its history stays one stream.
 */
public class BudgetProfile {
    /** What a profile name may be: it is typed on command lines and sent in URLs. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    @AggregateIdentifier
    private String profileId;
    private List<String> budgets = List.of();
    private boolean saved;

    protected BudgetProfile() {
        // required by Axon to rebuild from events, and by CREATE_IF_MISSING to create
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public boolean handle(SaveBudgetProfile cmd, Clock clock) {
        String name = checkName(cmd.name());
        if (!BudgetProfileApi.idOf(name).equals(cmd.profileId())) {
            throw new IllegalArgumentException("budget profile id " + cmd.profileId() + " is not the id of " + name);
        }
        List<String> normalized = normalize(cmd.budgets());
        if (saved && normalized.equals(budgets)) {
            return false;
        }
        apply(new BudgetProfileSaved(name, normalized, clock.instant()));
        return true;
    }

    @CommandHandler
    public void handle(DeleteBudgetProfile cmd, Clock clock) {
        if (!saved) {
            throw new IllegalStateException("no budget profile " + cmd.name());
        }
        apply(new BudgetProfileDeleted(cmd.name(), clock.instant()));
    }

    /** The name, or why it cannot be one. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("budget profile name '" + (name == null ? "" : name) + "' must be a "
                    + "letter or digit followed by up to 63 letters, digits, '_', '.' or '-', e.g. chat-slo");
        }
        return name;
    }

    /** Each budget parsed and written back in its one normal form, in the order given. */
    static List<String> normalize(List<String> texts) {
        List<Budget> parsed = new ArrayList<>();
        for (String text : texts == null ? List.<String>of() : texts) {
            Budget b = Budget.parse(text);
            for (Budget earlier : parsed) {
                if (earlier.metric() == b.metric() && earlier.bound() == b.bound()) {
                    throw new IllegalArgumentException("two budgets on " + b.metric().key() + " " + b.bound().symbol()
                            + " (" + earlier + " and " + b + "): keep one");
                }
            }
            parsed.add(b);
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("a budget profile needs at least one budget");
        }
        return parsed.stream().map(Budget::toString).toList();
    }

    @EventSourcingHandler
    void on(BudgetProfileSaved event) {
        profileId = BudgetProfileApi.idOf(event.name());
        budgets = event.budgets();
        saved = true;
    }

    @EventSourcingHandler
    void on(BudgetProfileDeleted event) {
        saved = false;
        budgets = List.of();
    }
}
