package dev.autotune.domain.analysis;

import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How much each knob moves a metric, from a history without a study: per knob, the metric's mean at each value
 * the knob took, the other knobs held as {@code recommend --knob} holds them ({@link Recommender#analyse}: at the
 * best run's values, the best run being the one with the best objective within the budgets; the whole history when
 * no run holds them there, or when no run meets the budgets). Knobs are ordered by how far they move the metric:
 * the spread of their means over the largest of them in magnitude.
 */
public final class Sensitivity {
    private Sensitivity() {
    }

    /**
     * The metric at one value of a knob.
     *
     * @param mean        the mean over the experiments at this value
     * @param experiments their numbers
     */
    public record Level(Object value, double mean, List<Integer> experiments) {
        public Level {
            experiments = List.copyOf(experiments);
        }
    }

    /**
     * One knob's curve.
     *
     * @param levels the knob's values in order (numbers ascending)
     * @param spread (largest mean - smallest) / the largest mean in magnitude: 0 (no effect) to 1 (or 2 across 0)
     * @param held   what the other knobs were held at, in words, or how the whole history was used
     */
    public record KnobCurve(String knob, List<Level> levels, double spread, String held, String summary) {
        public KnobCurve {
            levels = List.copyOf(levels);
        }
    }

    /**
     * @param bestRun the experiment the other knobs are held as, or null when none meets the budgets
     * @param knobs   the knobs that vary in the history, the one moving the metric most first
     */
    public record View(String scenario, String metric, String objective, List<String> budgets, Integer bestRun,
                       List<KnobCurve> knobs) {
        public View {
            budgets = List.copyOf(budgets);
            knobs = List.copyOf(knobs);
        }
    }

    /**
     * @param history one scenario's completed experiments (as {@code RecommendationProjection.completed} gives them)
     * @param metric  the metric whose curves are drawn
     */
    public static View of(List<TuningPoint> history, String scenario, String metric, Metric objective,
                          List<Budget> budgets) {
        Metric goal = objective == null ? Recommender.DEFAULT_OBJECTIVE : objective;
        List<Budget> limits = budgets == null ? List.of() : budgets;
        List<Recommender.Judged> judged = history.stream().map(p -> Recommender.Judged.of(p, goal, limits)).toList();
        Optional<Recommender.Judged> best = judged.stream().filter(Recommender.Judged::meetsBudgets)
                .reduce((a, b) -> goal.better(b.objective(), a.objective()) ? b : a);
        List<Map<String, Object>> configs = history.stream().<Map<String, Object>>map(TuningPoint::knobs).toList();
        List<String> varying = KnobValues.varying(configs);
        List<KnobCurve> curves = new ArrayList<>();
        for (String knob : varying) {
            curves.add(curve(knob, varying, KnobValues.movesWith(knob, configs), judged, best.orElse(null), metric));
        }
        curves.sort(Comparator.comparingDouble(KnobCurve::spread).reversed());
        return new View(scenario, metric, goal.key(), limits.stream().map(Budget::toString).toList(),
                best.map(Recommender.Judged::number).orElse(null), curves);
    }

    private static KnobCurve curve(String knob, List<String> varying, List<String> together,
                                   List<Recommender.Judged> judged, Recommender.Judged best, String metric) {
        List<Recommender.Judged> slice = judged;
        String held;
        if (best == null) {
            held = "every experiment (none meets the budgets, so there is no best run to hold the others as)";
        } else {
            Map<String, Object> at = new TreeMap<>();
            for (String other : varying) {
                Object v = best.point().knobs().get(other);
                if (!other.equals(knob) && !together.contains(other) && v != null) {
                    at.put(other, v);
                }
            }
            List<Recommender.Judged> holding = judged.stream().filter(j -> at.entrySet().stream()
                    .allMatch(e -> KnobValues.same(j.point().knobs().get(e.getKey()), e.getValue()))).toList();
            if (at.isEmpty()) {
                held = together.isEmpty() ? "every experiment (no other knob varies)"
                        : "every experiment (no other knob varies on its own)";
            } else if (levels(holding, knob, metric).isEmpty()) {
                held = "every experiment (none holds " + words(at) + " as the best run, experiment "
                        + best.number() + ", does)";
            } else {
                slice = holding;
                held = words(at) + ", as in the best run (experiment " + best.number() + ")";
            }
        }
        if (!together.isEmpty()) {
            held += "; " + togetherWords(together);
        }
        List<Level> levels = levels(slice, knob, metric);
        double spread = spread(levels);
        String summary = levels.isEmpty() ? "no experiment with " + knob + " measured " + metric
                : levels.size() == 1 ? knob + " was measured at one value only (" + Numbers.format(levels.get(0).value())
                + ")" : knob + " moves " + metric + " by " + Math.round(100 * spread) + "% (from "
                + Numbers.format(min(levels)) + " to " + Numbers.format(max(levels)) + ")";
        return new KnobCurve(knob, levels, spread, held, summary);
    }

    /** The metric's mean per value of the knob over the experiments that set it and measured the metric. */
    private static List<Level> levels(List<Recommender.Judged> points, String knob, String metric) {
        Map<Object, List<Recommender.Judged>> byValue = new LinkedHashMap<>();
        Map<Object, Object> original = new LinkedHashMap<>();
        for (Recommender.Judged j : points) {
            Object v = j.point().knobs().get(knob);
            Double m = j.point().metrics() == null ? null : j.point().metrics().get(metric);
            if (v == null || m == null || !Double.isFinite(m)) {
                continue;
            }
            Object key = KnobValues.key(v);
            byValue.computeIfAbsent(key, k -> new ArrayList<>()).add(j);
            original.putIfAbsent(key, v);
        }
        List<Level> out = new ArrayList<>();
        byValue.forEach((key, js) -> out.add(new Level(original.get(key),
                js.stream().mapToDouble(j -> j.point().metrics().get(metric)).average().orElseThrow(),
                js.stream().map(Recommender.Judged::number).toList())));
        out.sort((a, b) -> a.value() instanceof Number x && b.value() instanceof Number y ? KnobValues.compare(x, y)
                : String.valueOf(a.value()).compareTo(String.valueOf(b.value())));
        return out;
    }

    static double spread(List<Level> levels) {
        if (levels.size() < 2) {
            return 0;
        }
        double lo = min(levels);
        double hi = max(levels);
        double scale = Math.max(Math.abs(lo), Math.abs(hi));
        return scale == 0 ? 0 : (hi - lo) / scale;
    }

    private static double min(List<Level> levels) {
        return levels.stream().mapToDouble(Level::mean).min().orElse(Double.NaN);
    }

    private static double max(List<Level> levels) {
        return levels.stream().mapToDouble(Level::mean).max().orElse(Double.NaN);
    }

    /** Why knobs that move with the one varied are not held: the history cannot tell their effects apart. */
    static String togetherWords(List<String> together) {
        return String.join(" and ", together) + (together.size() == 1 ? " moves" : " move")
                + " with it in every experiment, so the curve is theirs too";
    }

    private static String words(Map<String, Object> held) {
        return held.entrySet().stream().filter(e -> Objects.nonNull(e.getValue()))
                .map(e -> e.getKey() + "=" + Numbers.format(e.getValue())).collect(Collectors.joining(", "));
    }
}
