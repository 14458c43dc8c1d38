package dev.autotune.domain.analysis;

import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.BudgetReport.Breach;
import dev.autotune.domain.analysis.Recommendation.Kind;
import dev.autotune.domain.analysis.Recommender.Judged;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The rule for one knob over one slice of history. Experiments are grouped by knob value; a value meets the
 * budgets only if every experiment at it does, and its objective is their mean. Then:
 * <ul>
 *     <li>some values meet and some break: bisect between the best value within budgets and the nearest
 *     breaking value on the far side ({@link Kind#MIDPOINT}, or {@link Kind#BOUNDARY_FOUND} when no value
 *     is left between them);</li>
 *     <li>nothing breaks: extend beyond the best when it is the largest ({@link Kind#EXTEND}), otherwise
 *     bisect toward a neighbour ({@link Kind#BISECT} / {@link Kind#OPTIMUM_FOUND});</li>
 *     <li>nothing meets: go below the smallest ({@link Kind#BELOW_SMALLEST} /
 *     {@link Kind#NOTHING_MEETS_BUDGET}), or above the largest when the data says breaches shrink that way
 *     ({@link Kind#ABOVE_LARGEST}).</li>
 * </ul>
 * A tested value (any experiment of the slice that set it, usable or not) is never suggested.
 */
final class KnobAnalysis {
    private final String knob;
    private final KnobScale scale;
    private final Metric objective;
    private final List<Budget> budgets;
    private final TreeMap<BigDecimal, Group> groups = new TreeMap<>();
    private final TreeSet<BigDecimal> tested = new TreeSet<>();
    private final List<String> notes = new ArrayList<>();

    KnobAnalysis(String knob, List<Judged> points, KnobScale scale, Metric objective, List<Budget> budgets,
                 String sliceNote) {
        this.knob = knob;
        this.scale = scale;
        this.objective = objective;
        this.budgets = budgets;
        List<Integer> unset = new ArrayList<>();
        Map<Integer, Object> notNumbers = new TreeMap<>();
        List<Integer> noObjective = new ArrayList<>();
        List<Integer> unjudgeable = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>();
        for (Judged j : points) {
            Object v = j.point().knobs().get(knob);
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                if (v == null) {
                    unset.add(j.number());
                } else {
                    notNumbers.put(j.number(), v);
                }
                continue;
            }
            BigDecimal value = scale.of(n);
            tested.add(value);
            if (j.objective() == null) {
                noObjective.add(j.number());
            } else if (!j.usable()) {
                unjudgeable.add(j.number());
                missing.addAll(j.verdict().missingMetrics());
            } else {
                groups.computeIfAbsent(value, Group::new).points.add(j);
            }
        }
        if (sliceNote != null) {
            notes.add(sliceNote);
        }
        if (!noObjective.isEmpty()) {
            notes.add("ignored " + experiments(noObjective) + " (no " + objective.key() + ")");
        }
        if (!unjudgeable.isEmpty()) {
            notes.add("ignored " + experiments(unjudgeable) + " (no " + String.join(", ", missing)
                    + " to check the budgets against)");
        }
        if (!unset.isEmpty()) {
            notes.add("left out " + experiments(unset) + " (" + knob + " not set)");
        }
        if (!notNumbers.isEmpty()) {
            notes.add("left out " + experiments(new ArrayList<>(notNumbers.keySet())) + " (" + knob + " "
                    + notNumbers.values().stream().map(Numbers::format).distinct().collect(Collectors.joining(", "))
                    + ", not a number)");
        }
    }

    static Recommendation noHistory(String knob, String what) {
        return new Recommendation(knob, null, Kind.NO_HISTORY,
                what + ": run a baseline with " + knob + " at its default, then autotune recommend again",
                null, null, null);
    }

    Recommendation recommend() {
        if (groups.isEmpty()) {
            return noHistory(knob, "no completed experiment with " + knob + " has usable results yet"
                    + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"));
        }
        Group best = null;
        boolean anyBreaks = false;
        for (Group g : groups.values()) { // ascending, so on a tie the smaller value stays best
            if (g.meets() && (best == null || objective.better(g.objective(), best.objective()))) {
                best = g;
            }
            anyBreaks |= !g.meets();
        }
        if (best == null) {
            return nothingMeets();
        }
        return anyBreaks ? towardBoundary(best) : nothingBreaks(best);
    }

    // ---- some values meet the budgets, some break them ----

    private Recommendation towardBoundary(Group best) {
        Group above = groups.tailMap(best.value, false).values().stream().filter(g -> !g.meets()).findFirst()
                .orElse(null);
        Group below = groups.headMap(best.value, false).descendingMap().values().stream().filter(g -> !g.meets())
                .findFirst().orElse(null);
        Group boundary = above != null ? above : below;
        String sideNote = "";
        if (above != null && below != null) {
            // the budget is broken on both sides: search where the objective was heading the right way
            Group up = groups.higherEntry(best.value).getValue();
            Group down = groups.lowerEntry(best.value).getValue();
            double upGain = gain(best, up);
            double downGain = gain(best, down);
            boundary = downGain > upGain ? below : above;
            Group other = boundary == above ? below : above;
            String side = boundary == above ? "above" : "below";
            Group near = boundary == above ? up : down;
            Group far = boundary == above ? down : up;
            sideNote = "; " + fmt(other) + " also breaks " + other.breachText() + "; searching " + side
                    + (upGain == downGain ? " (both sides look alike, above by default)"
                    : " because " + objective.key() + " does better that way (" + Numbers.format(near.objective())
                    + " at " + fmt(near) + " vs " + Numbers.format(far.objective()) + " at " + fmt(far) + ")");
        }
        // the budget's edge is where a trade-off peaks (more throughput until latency breaks): but when the edge is a
        // budget on the objective itself (minimising the latency a budget caps) and the objective already gets worse
        // that way, the edge is the last place to look; a slightly worse neighbour otherwise stays noise
        Group toward = (boundary == above ? groups.higherEntry(best.value) : groups.lowerEntry(best.value)).getValue();
        if (toward != boundary && gain(best, toward) < 0 && boundary.breaksOnlyTheObjective()) {
            return awayFromBoundary(best, boundary, toward);
        }
        String head = knob + "=" + fmt(best) + " is the best value within budgets (" + best.objectiveText() + "); "
                + fmt(boundary) + " breaks " + boundary.breachText() + sideNote;
        Narrowed n = search(best.value, boundary.value);
        if (n.value != null) {
            String tail = n.testedMidpoint == null ? "try the untested midpoint " + scale.format(n.value)
                    : "the midpoint " + scale.format(n.testedMidpoint) + " is already tested, so try "
                    + scale.format(n.value) + ", between " + scale.format(n.from) + " and " + scale.format(n.to);
            return result(Kind.MIDPOINT, n.value, head + "; " + tail, best, boundary.value);
        }
        String tail = (n.testedMidpoint == null ? "" : "the midpoint " + scale.format(n.testedMidpoint)
                + " is already tested; ") + "the boundary lies between " + scale.format(n.from) + " and "
                + scale.format(n.to) + " and " + scale.noneBetween() + " lies strictly between them: keep " + fmt(best)
                + "; " + knob + " is settled there, tune another knob";
        return result(Kind.BOUNDARY_FOUND, null, head + "; " + tail, best, boundary.value);
    }

    /** The objective gets worse from {@code best} toward the value that breaks a budget: look the other way. */
    private Recommendation awayFromBoundary(Group best, Group boundary, Group toward) {
        boolean up = boundary.value.compareTo(best.value) > 0;
        Map.Entry<BigDecimal, Group> away = up ? groups.lowerEntry(best.value) : groups.higherEntry(best.value);
        String head = knob + "=" + fmt(best) + " is the best value within budgets (" + best.objectiveText() + "); "
                + objective.key() + " gets worse toward " + fmt(boundary) + " (" + Numbers.format(toward.objective())
                + " at " + fmt(toward) + "), and " + fmt(boundary) + " breaks " + boundary.breachText();
        if (away != null) {
            Narrowed n = search(best.value, away.getKey());
            if (n.value != null) {
                return result(Kind.AWAY_FROM_BOUNDARY, n.value, head + ", so the optimum lies the other way: bisect toward "
                        + fmt(away.getValue()) + " and try " + scale.format(n.value), best, boundary.value);
            }
            return result(Kind.OPTIMUM_FOUND, null, head + ", and " + fmt(away.getValue()) + " does worse ("
                    + away.getValue().objectiveText() + ") with no untested value between: keep " + fmt(best) + "; "
                    + knob + " is settled there, tune another knob", best, boundary.value);
        }
        Optional<BigDecimal> next = up ? scale.halve(best.value) : Optional.of(scale.extend(best.value));
        if (next.isPresent() && !tested.contains(next.get())) {
            return result(Kind.AWAY_FROM_BOUNDARY, next.get(), head + ", so go the other way: try " + scale.format(next.get()),
                    best, boundary.value);
        }
        return result(Kind.OPTIMUM_FOUND, null, head + ", and there is no " + (up ? "smaller" : "larger")
                + " value to try: keep " + fmt(best) + "; " + knob + " is settled there, tune another knob", best,
                boundary.value);
    }

    // ---- every value meets the budgets ----

    private Recommendation nothingBreaks(Group best) {
        String head = knob + "=" + fmt(best) + " is the best value " + (budgets.isEmpty() ? "tested" : "within budgets")
                + " (" + best.objectiveText() + ")";
        String noneBreak = budgets.isEmpty() ? "no budgets given"
                : "no tested value breaks " + budgets.stream().map(Budget::toString).collect(Collectors.joining(", "));
        if (best.value.compareTo(groups.lastKey()) == 0) {
            BigDecimal next = scale.extend(best.value);
            String how = best.value.signum() == 0 ? " (0 + 1)" : " (double " + fmt(best) + ")";
            BigDecimal first = next;
            while (tested.contains(next)) { // only experiments that were ignored can sit above the largest
                next = scale.extend(next);
            }
            String tail = next.compareTo(first) == 0 ? how : ", as " + scale.format(first) + " is already tested";
            return result(Kind.EXTEND, next, head + " and the largest tested; " + noneBreak
                    + ", so extend beyond it: try " + scale.format(next) + tail, best, null);
        }
        Group up = groups.higherEntry(best.value).getValue();
        Map.Entry<BigDecimal, Group> lower = groups.lowerEntry(best.value);
        List<Group> sides = new ArrayList<>();
        if (lower == null || gain(best, up) >= gain(best, lower.getValue())) {
            sides.add(up);
            if (lower != null) {
                sides.add(lower.getValue());
            }
        } else {
            sides.add(lower.getValue());
            sides.add(up);
        }
        for (Group neighbour : sides) {
            Narrowed n = search(best.value, neighbour.value);
            if (n.value != null) {
                return result(Kind.BISECT, n.value, head + " but not the largest tested: " + fmt(neighbour)
                        + " does worse (" + neighbour.objectiveText() + "); " + noneBreak
                        + ", so the optimum lies near " + fmt(best) + ": bisect toward " + fmt(neighbour) + " and try "
                        + scale.format(n.value), best, null);
            }
        }
        String around = sides.stream().map(g -> fmt(g) + " (" + Numbers.format(g.objective()) + ")")
                .collect(Collectors.joining(" and "));
        return result(Kind.OPTIMUM_FOUND, null, head + " and beats its tested neighbours " + around + "; "
                + noneBreak + " and " + (scale.powersOfTwo() || !scale.domain().isEmpty() ? scale.noneBetween() + " untested"
                : "no untested value") + " lies between them: keep " + fmt(best) + "; " + knob
                + " is settled there, tune another knob", best, null);
    }

    // ---- no value meets the budgets ----

    private Recommendation nothingMeets() {
        Group smallest = groups.firstEntry().getValue();
        Group largest = groups.lastEntry().getValue();
        String head = "no tested value of " + knob + " meets the budgets";
        if (groups.size() >= 2 && largest.badness() < smallest.badness()) {
            // e.g. a minimum throughput: halving would only make it worse
            BigDecimal next = scale.extend(largest.value);
            while (tested.contains(next)) {
                next = scale.extend(next);
            }
            return result(Kind.ABOVE_LARGEST, next, head + "; the breaches shrink as " + knob + " grows ("
                    + fmt(smallest) + " breaks " + smallest.breachText() + ", " + fmt(largest) + " breaks "
                    + largest.breachText() + "), so go above the largest: try " + scale.format(next), null,
                    largest.value);
        }
        Optional<BigDecimal> half = scale.halve(smallest.value);
        if (half.isPresent() && !tested.contains(half.get())) {
            return result(Kind.BELOW_SMALLEST, half.get(), head + ": the smallest, " + fmt(smallest) + ", breaks "
                    + smallest.breachText() + "; try " + scale.format(half.get()) + ", half of it", null,
                    smallest.value);
        }
        String why = half.isEmpty() ? "there is no smaller value to try"
                : scale.format(half.get()) + ", half of it, is already tested";
        return result(Kind.NOTHING_MEETS_BUDGET, null, head + ": even the smallest, " + fmt(smallest) + ", breaks "
                + smallest.breachText() + " and " + why + "; loosen the budgets (" + bestMeasured()
                + ") or tune another knob", null, smallest.value);
    }

    /** For each broken budget, the closest any tested value came: what a looser budget would have to allow. */
    private String bestMeasured() {
        Set<Budget> broken = new LinkedHashSet<>();
        groups.values().forEach(g -> g.points.forEach(j -> j.verdict().breaches().forEach(b -> broken.add(b.budget()))));
        List<String> parts = new ArrayList<>();
        for (Budget b : broken) {
            Judged closest = null;
            double closestValue = 0;
            for (Group g : groups.values()) {
                for (Judged j : g.points) {
                    Double v = j.point().metrics().get(b.metric().key()); // a failed run may lack other metrics
                    if (v != null && (closest == null || b.excess(v) < b.excess(closestValue))) {
                        closest = j;
                        closestValue = v;
                    }
                }
            }
            parts.add("best measured " + b.metric().key() + " is " + Numbers.withUnit(b.metric(), closestValue) + " at "
                    + knob + "=" + Numbers.format(closest.point().knobs().get(knob)) + ", experiment "
                    + closest.number());
        }
        return String.join("; ", parts);
    }

    // ---- shared ----

    /**
     * The untested value between {@code from} (known good) and {@code to}. When the midpoint is itself tested,
     * every tested value in between is known good too (the far end is the nearest breaking value), so the
     * search narrows to the gap next to {@code to}, where the crossing is.
     */
    private Narrowed search(BigDecimal from, BigDecimal to) {
        BigDecimal lo = from;
        BigDecimal testedMidpoint = null;
        while (true) {
            Optional<BigDecimal> mid = scale.between(lo, to);
            if (mid.isEmpty()) {
                return new Narrowed(lo, to, null, testedMidpoint);
            }
            if (!tested.contains(mid.get())) {
                return new Narrowed(lo, to, mid.get(), testedMidpoint);
            }
            if (testedMidpoint == null) {
                testedMidpoint = mid.get();
            }
            lo = to.compareTo(lo) > 0 ? tested.lower(to) : tested.higher(to);
        }
    }

    private record Narrowed(BigDecimal from, BigDecimal to, BigDecimal value, BigDecimal testedMidpoint) {
    }

    /** How much better {@code other} did than {@code best} on the objective; negative when worse. */
    private double gain(Group best, Group other) {
        double d = other.objective() - best.objective();
        return objective.direction() == Metric.Direction.HIGHER_IS_BETTER ? d : -d;
    }

    private Recommendation result(Kind kind, BigDecimal suggested, String reason, Group best, BigDecimal boundary) {
        String full = notes.isEmpty() ? reason : reason + "; " + String.join("; ", notes);
        return new Recommendation(knob, scale.value(suggested), kind, full, best == null ? null : scale.value(best.value),
                best == null ? null : best.bestPoint().number(), scale.value(boundary));
    }

    private String fmt(Group g) {
        return scale.format(g.value);
    }

    static String experiments(List<Integer> numbers) {
        return (numbers.size() == 1 ? "experiment " : "experiments ")
                + numbers.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** All usable experiments at one knob value. */
    private final class Group {
        final BigDecimal value;
        final List<Judged> points = new ArrayList<>();

        Group(BigDecimal value) {
            this.value = value;
        }

        double objective() {
            return points.stream().mapToDouble(Judged::objective).average().orElseThrow();
        }

        /** Only if every experiment at this value met every budget: one bad run is enough to distrust it. */
        boolean meets() {
            return points.stream().allMatch(Judged::meetsBudgets);
        }

        Judged bestPoint() {
            Judged best = points.get(0);
            for (Judged j : points) {
                if (objective.better(j.objective(), best.objective())) {
                    best = j;
                }
            }
            return best;
        }

        String objectiveText() {
            List<Integer> numbers = points.stream().map(Judged::number).toList();
            return objective.key() + " " + Numbers.format(objective())
                    + (numbers.size() == 1 ? ", experiment " + numbers.get(0)
                    : ", mean of experiments " + numbers.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        }

        /** Each budget broken here with its worst value, e.g. {@code latency_ms<=200 (260 ms, experiment 3)}. */
        String breachText() {
            List<String> parts = new ArrayList<>();
            for (Budget b : budgets) {
                Breach worst = null;
                Judged at = null;
                for (Judged j : points) {
                    for (Breach br : j.verdict().breaches()) {
                        if (br.budget().equals(b) && (worst == null || br.excess() > worst.excess())) {
                            worst = br;
                            at = j;
                        }
                    }
                }
                if (worst != null) {
                    parts.add(b + " (" + Numbers.withUnit(b.metric(), worst.value()) + ", experiment " + at.number() + ")");
                }
            }
            return String.join(" and ", new LinkedHashSet<>(parts));
        }

        /** Every budget broken here caps the objective itself on its bad side (latency_ms<=200 when minimising it). */
        boolean breaksOnlyTheObjective() {
            return points.stream().flatMap(j -> j.verdict().breaches().stream()).map(Breach::budget).allMatch(b ->
                    b.metric() == objective && (b.bound() == Budget.Bound.AT_MOST)
                            == (objective.direction() == Metric.Direction.LOWER_IS_BETTER));
        }

        /** Summed relative excess over the broken budgets: which end of the range is further from meeting them. */
        double badness() {
            double sum = 0;
            for (Budget b : budgets) {
                double worst = 0;
                for (Judged j : points) {
                    for (Breach br : j.verdict().breaches()) {
                        if (br.budget().equals(b)) {
                            worst = Math.max(worst, b.limit() == 0 ? br.excess() : br.excess() / b.limit());
                        }
                    }
                }
                sum += worst;
            }
            return sum;
        }
    }
}
