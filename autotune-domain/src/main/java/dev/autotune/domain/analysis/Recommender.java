package dev.autotune.domain.analysis;

import dev.autotune.domain.Budget;
import dev.autotune.domain.KnobNames;
import dev.autotune.domain.Metric;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Suggests the next value to run for each knob from the completed experiments of one scenario: the untested
 * value most likely to improve the objective while staying within the budgets. The per-knob rule lives in
 * {@link KnobAnalysis}; this class validates the request, judges every experiment once and picks the slice of
 * history each knob is analysed on.
 */
public final class Recommender {
    /** What "best" means when the caller does not say: serving more tokens per second. */
    public static final Metric DEFAULT_OBJECTIVE = Metric.THROUGHPUT_TOKENS_PER_SEC;

    private final List<Judged> judged;
    private final List<Budget> budgets;
    private final Metric objective;

    /** The values a search space of the scenario declares per knob (the knob's lattice), by space knob name. */
    private Map<String, List<Object>> domains = Map.of();

    private Recommender(List<TuningPoint> history, List<Budget> budgets, Metric objective) {
        this.budgets = budgets == null ? List.of() : List.copyOf(budgets);
        this.objective = objective == null ? DEFAULT_OBJECTIVE : objective;
        this.judged = history.stream().map(p -> Judged.of(p, this.objective, this.budgets)).toList();
    }

    /**
     * One recommendation per requested knob, in the requested order (a knob named twice is answered once).
     * The history must be one scenario's completed experiments, as {@code RecommendationProjection.completed}
     * returns them; experiments of different scenarios do not tell anything about each other.
     *
     * @param objective the metric to optimise; null means {@link #DEFAULT_OBJECTIVE}
     * @throws InvalidInput when the history mixes scenarios, a knob appears in no experiment of a
     *                                  non-empty history, or a knob's values are not numbers
     */
    public static List<Recommendation> recommend(List<TuningPoint> history, List<String> knobs, List<Budget> budgets,
                                                 Metric objective) {
        Set<String> scenarios = history.stream().map(TuningPoint::scenario).filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
        if (scenarios.size() > 1) {
            throw new InvalidInput(InvalidInput.SCENARIO, "history mixes scenarios " + String.join(", ", scenarios)
                    + ": recommend for one scenario at a time");
        }
        return new Recommender(history, budgets, objective).run(knobs, null);
    }

    /** Like {@link #recommend(List, List, List, Metric)} on the experiments of {@code scenario} only. */
    public static List<Recommendation> recommend(List<TuningPoint> history, String scenario, List<String> knobs,
                                                 List<Budget> budgets, Metric objective) {
        return recommend(history, scenario, knobs, budgets, objective, Map.of());
    }

    /**
     * Like {@link #recommend(List, String, List, List, Metric)}, with the values the scenario's search spaces
     * declare per knob ({@code domains}, by the space's knob path): a suggestion is one of them.
     */
    public static List<Recommendation> recommend(List<TuningPoint> history, String scenario, List<String> knobs,
                                                 List<Budget> budgets, Metric objective,
                                                 Map<String, List<Object>> domains) {
        List<TuningPoint> ofScenario = history.stream().filter(p -> Objects.equals(p.scenario(), scenario)).toList();
        Recommender r = new Recommender(ofScenario, budgets, objective);
        r.domains = domains == null ? Map.of() : domains;
        return r.run(knobs, scenario);
    }

    private List<Recommendation> run(List<String> knobs, String scenario) {
        Objects.requireNonNull(knobs, "knobs to recommend for");
        List<String> requested = new ArrayList<>(new LinkedHashSet<>(knobs));
        if (judged.isEmpty()) {
            String what = scenario == null ? "no completed experiments yet"
                    : "no completed experiments of scenario '" + scenario + "' yet";
            return requested.stream().map(k -> KnobAnalysis.noHistory(k, what)).toList();
        }
        requested = resolved(requested);
        requested.forEach(this::validate);
        Optional<Judged> bestRun = judged.stream().filter(Judged::meetsBudgets)
                .reduce((a, b) -> objective.better(b.objective(), a.objective()) ? b : a);
        List<Recommendation> out = new ArrayList<>();
        for (String knob : requested) {
            out.add(analyse(knob, requested, bestRun.orElse(null)));
        }
        return out;
    }

    /**
     * Each knob is judged with every other knob that varies in the history held at the best run's values,
     * whether or not the user asked about it: otherwise a concurrency of 8 "breaks the budget" because a run
     * at 8 with one GPU did, although the same concurrency with two GPUs is the best run. Only when no
     * experiment holds the others at those values is the whole history used: mixing in runs with other
     * settings would blame this knob for what the others did.
     */
    private Recommendation analyse(String knob, List<String> requested, Judged bestRun) {
        // knobs that move with this one in every experiment vary with it: held still, they would hold it still too
        List<String> together = KnobValues.movesWith(knob, judged.stream().map(j -> j.point().knobs()).toList());
        List<String> others = varyingKnobs(requested).stream()
                .filter(k -> !k.equals(knob) && !together.contains(k)).toList();
        if (bestRun != null && !others.isEmpty()) {
            Map<String, Object> held = new TreeMap<>();
            for (String other : others) {
                Object v = bestRun.point().knobs().get(other);
                if (v != null) {
                    held.put(other, v);
                }
            }
            List<Judged> slice = judged.stream().filter(j -> held.entrySet().stream()
                    .allMatch(e -> KnobValues.same(j.point().knobs().get(e.getKey()), e.getValue()))).toList();
            if (!held.isEmpty() && distinctUsableValues(slice, knob) >= 1) {
                String note = "compared among experiments with " + held.entrySet().stream()
                        .map(e -> e.getKey() + "=" + Numbers.format(e.getValue())).collect(Collectors.joining(", "))
                        + ", as in the best run (experiment " + bestRun.point().number() + ")"
                        + (together.isEmpty() ? "" : "; " + Sensitivity.togetherWords(together));
                return new KnobAnalysis(knob, slice, scale(knob), objective, budgets, note).recommend();
            }
        }
        return new KnobAnalysis(knob, judged, scale(knob), objective, budgets,
                together.isEmpty() ? null : Sensitivity.togetherWords(together)).recommend();
    }

    /** The requested knobs, then every other knob whose value differs somewhere in the history. */
    private List<String> varyingKnobs(List<String> requested) {
        Set<String> knobs = new LinkedHashSet<>(requested);
        knobs.addAll(KnobValues.varying(judged.stream().map(j -> j.point().knobs()).toList()));
        return List.copyOf(knobs);
    }

    private long distinctUsableValues(List<Judged> points, String knob) {
        return points.stream().filter(Judged::usable).map(j -> j.point().knobs().get(knob))
                .filter(KnobValues::isNumber).map(v -> KnobValues.decimal((Number) v))
                .collect(Collectors.toCollection(TreeSet::new)).size();
    }

    /**
     * The knob's lattice, judged on every value the history holds, not only the slice: integer knobs stay integers,
     * a power-of-two history stays on powers of two, and a domain a space declares for the knob is the lattice.
     */
    private KnobScale scale(String knob) {
        return KnobScale.of(judged.stream().map(j -> j.point().knobs().get(knob)).filter(KnobValues::isNumber).toList(),
                domains.entrySet().stream().filter(e -> KnobNames.sameKnob(e.getKey(), knob)).findFirst()
                        .map(Map.Entry::getValue).orElse(List.of()), KnobNames.isParallelSize(knob));
    }

    /**
     * The requested names as the history's canonical knobs ({@code tp}, {@code max_concurrency},
     * {@code cmd_args.serve.tensor_parallel_size}: see {@link KnobNames#resolve}); a name that matches none is kept
     * for {@link #validate} to refuse, one that matches two is refused here.
     */
    private List<String> resolved(List<String> requested) {
        Set<String> known = new TreeSet<>();
        judged.forEach(j -> known.addAll(j.point().knobs().keySet()));
        List<String> out = new ArrayList<>();
        for (String name : requested) {
            KnobNames.Resolved r = KnobNames.resolve(name, known);
            if (r.knob() == null && r.problem().contains("ambiguous")) {
                throw new InvalidInput(InvalidInput.KNOB, r.problem());
            }
            String knob = r.knob() == null ? name : r.knob();
            if (!out.contains(knob)) {
                out.add(knob);
            }
        }
        return out;
    }

    private void validate(String knob) {
        List<Object> values = judged.stream().map(j -> j.point().knobs()).filter(k -> k.containsKey(knob))
                .map(k -> k.get(knob)).toList();
        if (values.isEmpty()) {
            Set<String> known = new TreeSet<>();
            judged.forEach(j -> known.addAll(j.point().knobs().keySet()));
            throw new InvalidInput(InvalidInput.KNOB, "unknown knob '" + knob + "' (knobs in history: "
                    + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
        }
        List<String> notNumeric = values.stream().filter(v -> v != null && !KnobValues.isNumber(v))
                .map(Numbers::format).distinct().sorted(Comparator.naturalOrder()).toList();
        // a categorical knob is refused; a numeric one recorded once as "auto" is judged on its numbers (the
        // analysis leaves that experiment out and says so)
        if (!notNumeric.isEmpty() && values.stream().noneMatch(KnobValues::isNumber)) {
            throw new InvalidInput(InvalidInput.KNOB, "knob '" + knob + "' is not numeric (values in history: "
                    + String.join(", ", notNumeric) + "): recommend can only search numeric knobs");
        }
    }

    /** A tuning point with its objective and budget verdict worked out once. */
    record Judged(TuningPoint point, Double objective, BudgetReport.Row verdict) {
        static Judged of(TuningPoint p, Metric objective, List<Budget> budgets) {
            return new Judged(p, p.metrics() == null ? null : p.metrics().get(objective.key()),
                    BudgetCheck.row(p.number(), p.experimentId(), p.scenario(), p.metrics(), budgets));
        }

        /** Measured the objective and can be judged against every budget. */
        boolean usable() {
            return objective != null && verdict.verdict() != Budget.Verdict.UNKNOWN;
        }

        boolean meetsBudgets() {
            return objective != null && verdict.verdict() == Budget.Verdict.PASS;
        }

        int number() {
            return point.number();
        }
    }
}
