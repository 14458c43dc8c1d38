package dev.autotune.api.app.budgets;

import dev.autotune.api.app.common.BudgetInput;
import dev.autotune.api.app.common.GpuCounts;
import dev.autotune.api.app.common.Inputs;
import dev.autotune.api.app.common.ProfileExists;
import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.session.StoreSession;
import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.BudgetCheck;
import dev.autotune.domain.analysis.BudgetReport;
import dev.autotune.domain.analysis.KnobValues;
import dev.autotune.domain.budget.BudgetProfile;
import dev.autotune.domain.budget.BudgetProfileApi.DeleteBudgetProfile;
import dev.autotune.domain.budget.BudgetProfileApi.SaveBudgetProfile;
import dev.autotune.domain.budget.BudgetProfileApi;
import dev.autotune.projections.BudgetProfileProjection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/** Budgets: the check of budgets against the history, and the saved budget profiles. */
public final class Budgets {
    private final StoreSession session;

    public Budgets(StoreSession session) {
        this.session = session;
    }

    /** The budgets held against every completed experiment (of {@code scenario}, when given). */
    public BudgetReport check(BudgetInput budgets, String scenario) {
        return check(budgets, scenario, null).report();
    }

    /**
     * A check as {@code check} shows it: the verdicts, the knobs that vary between the checked experiments with each
     * one's values, the objective, and the best experiment that passes every budget by that objective.
     *
     * @param objective the metric "best" is judged by; null or blank means the recommender's default
     */
    public record Checked(BudgetReport report, Metric objective, List<String> knobs,
                          Map<Integer, ? extends Map<String, Object>> knobValues, BudgetReport.Row best,
                          List<String> gpuNotes) {
        public Checked(BudgetReport report, Metric objective, List<String> knobs,
                       Map<Integer, ? extends Map<String, Object>> knobValues, BudgetReport.Row best) {
            this(report, objective, knobs, knobValues, best, List.of());
        }
    }

    public Checked check(BudgetInput budgets, String scenario, String objective) {
        return check(budgets, scenario, objective, false);
    }

    /** The check; the experiments excluded with {@code exclude} are in it only with {@code includeExcluded}. */
    public Checked check(BudgetInput budgets, String scenario, String objective, boolean includeExcluded) {
        return check(budgets, scenario, objective, includeExcluded, null);
    }

    /** The check, with the per-GPU metrics of {@code gpus} (an expression over knobs; null for none). */
    public Checked check(BudgetInput budgets, String scenario, String objective, boolean includeExcluded,
                         String gpus) {
        Metric goal = Inputs.objective(objective);
        session.catchUp();
        List<Budget> limits = inForce(budgets);
        if (limits.isEmpty()) {
            throw new UserError("metric", "no budgets given: give a latency, TTFT, throughput or failure-rate "
                    + "budget, a metric budget such as latency_p95_ms<=200, or a saved budget profile");
        }
        GpuCounts.require(gpus, limits, goal);
        String scen = Inputs.blankToNull(scenario);
        Map<Integer, SortedMap<String, Object>> knobValues = new TreeMap<>();
        session.views().recommendation().completed(scen, includeExcluded).forEach(p -> knobValues.put(p.number(), p.knobs()));
        GpuCounts perGpu = GpuCounts.of(gpus, GpuCounts.knobPaths(knobValues.values()));
        BudgetReport report = perGpu == null ? checked(limits, scen, includeExcluded)
                : BudgetCheck.check(session.views().budget().completed(scen, includeExcluded).stream()
                .map(m -> perGpu.apply(m, knobValues)).toList(), limits);
        List<String> knobs = KnobValues.varying(report.rows().stream()
                .map(r -> knobValues.getOrDefault(r.number(), new TreeMap<>())).toList());
        return new Checked(report, goal, knobs, knobValues, BudgetCheck.best(report, goal).orElse(null),
                perGpu == null ? List.of() : perGpu.notes());
    }

    public BudgetReport checked(List<Budget> budgets, String scenario, boolean includeExcluded) {
        return BudgetCheck.check(session.views().budget().completed(scenario, includeExcluded), budgets);
    }

    /**
     * The budgets in force: those of the saved profile named, each replaced by a budget given beside it on the same
     * metric in the same direction ({@link Budget#overriding}), then the rest of those given. Call after catching up.
     */
    public List<Budget> inForce(BudgetInput input) {
        List<Budget> given = Inputs.budgets(input);
        String name = input == null ? null : Inputs.blankToNull(input.profile());
        if (name == null) {
            return given;
        }
        List<Budget> saved = budgetProfile(name).budgets().stream().map(Budget::parse).toList();
        return Budget.overriding(saved, given);
    }

    /** A saved budget profile: its budgets in their normal form ({@code latency_ms<=200}) and when it was saved. */
    public record Profile(String name, List<String> budgets, Instant savedAt) {
    }

    /** Every saved budget profile, by name. */
    public List<Profile> budgetProfiles() {
        session.catchUp();
        return session.views().budgetProfiles().list().stream().map(p -> new Profile(p.name(), p.budgets(), p.savedAt()))
                .toList();
    }

    /** One saved profile; an unknown name is bad input on {@code budget} that lists the saved ones. */
    public Profile budgetProfile(String name) {
        session.catchUp();
        String wanted = name == null ? "" : name.trim();
        return session.views().budgetProfiles().find(wanted).map(p -> new Profile(p.name(), p.budgets(), p.savedAt()))
                .orElseThrow(() -> {
                    List<String> names = session.views().budgetProfiles().list().stream()
                            .map(BudgetProfileProjection.ProfileRow::name).toList();
                    return new UserError("budget", "no budget profile '" + wanted + "' in " + session.database() + (names.isEmpty()
                            ? "; none is saved yet (save one with autotune budget save NAME and its budgets)"
                            : "; saved: " + String.join(", ", names)));
                });
    }

    /**
     * What saving a profile did: {@code previous} holds the budgets it replaced (null for a new profile), and
     * {@code changed} is false when the profile already held exactly these budgets (nothing was recorded).
     */
    public record SavedProfile(Profile profile, List<String> previous, boolean changed) {
    }

    /**
     * Saves the budgets given (with those of a profile named beside them, so a profile can build on another) under
     * {@code name}. Replacing a saved profile's other budgets needs {@code replace}: a typo in a name must not
     * silently change the budgets a team's links and scripts use.
     */
    public SavedProfile saveBudgetProfile(String name, BudgetInput budgets, boolean replace) {
        String profileName = name == null ? "" : name.trim();
        try {
            BudgetProfile.checkName(profileName);
        } catch (IllegalArgumentException e) {
            throw new UserError("name", e.getMessage(), e);
        }
        session.catchUp();
        List<String> texts = inForce(budgets).stream().map(Budget::toString).toList();
        if (texts.isEmpty()) {
            throw new UserError("metric", "give the profile's budgets, e.g. a latency budget of 200 ms and a "
                    + "maximum of 10 ms on tpot_ms");
        }
        AtomicReference<List<String>> previous = new AtomicReference<>();
        Object changed = session.axon().appendAndProject(List.of("budget-profile:" + profileName), () -> {
            // under the write lock: another process saving the same name in between is seen here
            previous.set(session.views().budgetProfiles().find(profileName).map(BudgetProfileProjection.ProfileRow::budgets)
                    .orElse(null));
            if (previous.get() != null && !replace && !previous.get().equals(texts)) {
                throw new ProfileExists("budget profile " + profileName + " is saved with "
                        + String.join(", ", previous.get()));
            }
        }, () -> session.send(new SaveBudgetProfile(BudgetProfileApi.idOf(profileName), profileName, texts)));
        return new SavedProfile(budgetProfile(profileName), previous.get(), Boolean.TRUE.equals(changed));
    }

    /** Deletes a saved profile (the events that saved it stay in the log); an unknown name lists the saved ones. */
    public Profile deleteBudgetProfile(String name) {
        Profile profile = budgetProfile(name);
        session.axon().appendAndProject(() -> {
        }, () -> session.send(new DeleteBudgetProfile(BudgetProfileApi.idOf(profile.name()), profile.name())));
        return profile;
    }
}
