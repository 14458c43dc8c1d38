package dev.autotune.domain.search;

import dev.autotune.domain.Budget;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Which knobs matter: for the objective and for each budget's metric, the share of the variation each knob
 * explains, from a model fitted on the measurements (the model strategy's Gaussian process: the same encoding,
 * hyperparameter choice and ridge prior plane, on the log of the metric when it is positive, so a factor of two
 * counts the same anywhere).
 *
 * <p>The split is a functional ANOVA ({@link Fanova}) of the model's predicted mean over every combination of the
 * knobs' values: each knob's main-effect variance over the total, and what no knob explains alone reported as
 * "interactions". Beyond {@value #GRID} combinations it is estimated from fixed-seed samples ({@link Fanova#estimate}),
 * so the same history gives the same split. Like Optuna's fANOVA evaluator it ranges over the whole box of values,
 * constraints aside, so the parts are orthogonal and sum to 100%. Knobs that move together over the space's configs
 * (batch size equal to concurrency) are one effect: the measurements cannot tell them apart, so they are varied
 * together and reported as one.
 */
public final class Importance {
    private Importance() {
    }

    /** Combinations predicted exactly; beyond this, a sample of this many (seed {@link #SEED}). */
    static final int GRID = 4096;
    static final long SEED = 1;
    /** Rows the model is fitted on (evenly over the history when longer), and of those, rows choosing its shape. */
    private static final int MAX_TRAIN = 128;
    private static final int MAX_FIT = 40;

    /**
     * One knob's share of a metric's variation.
     *
     * @param knob      the knob's path
     * @param label     its short name, with the knobs that move with it ({@code batch_size (with concurrency)})
     * @param share     0 to 1
     * @param movesWith the paths of knobs that take a value determined by this one's in every config
     * @param measuredValues how many of its values the measurements hold: at one, the model cannot tell its effect
     */
    public record Share(String knob, String label, double share, List<String> movesWith, int measuredValues) {
        public Share {
            movesWith = List.copyOf(movesWith);
        }
    }

    /**
     * The split of one metric.
     *
     * @param metric       the metric's key
     * @param role         {@code objective}, or the budget as written ({@code latency_p95_ms<=200})
     * @param measured     distinct configs measured with this metric
     * @param needed       the fewest measured configs a split is given for
     * @param knobs        most important first; empty when not enough were measured
     * @param interactions the share no knob explains alone (0 to 1)
     * @param summary      the split in words
     */
    public record Split(String metric, String role, int measured, int needed, List<Share> knobs,
                        double interactions, String summary) {
        public Split {
            knobs = List.copyOf(knobs);
        }
    }

    /** The splits of the objective, then of each budget's metric (each metric once); empty for a one-config space. */
    public static List<Split> of(SearchSpace space, List<Observation> history) {
        List<Map<String, Object>> configs = Spaces.configs(space);
        List<Effect> effects = effects(space, configs);
        if (effects.isEmpty()) {
            return List.of();
        }
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put(space.objective().metric(), "objective");
        for (Budget b : Spaces.budgets(space)) {
            metrics.putIfAbsent(b.metric().key(), b.toString());
        }
        Design design = design(effects);
        // once for every metric: the space's configs as the model encodes them, and as a set to test against
        Encoding encoding = Encoding.of(space, configs);
        Set<Map<String, Object>> valid = new HashSet<>(configs);
        List<Split> out = new ArrayList<>();
        metrics.forEach((metric, role) -> out.add(split(space, configs, valid, encoding, effects, design, history,
                metric, role)));
        return out;
    }

    /** The fewest distinct measured configs a split is given for: two per effect, and at least five. */
    static int needed(int effects) {
        return Math.max(HyperSelection.MIN_POINTS_TO_FIT, 2 * effects);
    }

    // ---- the effects: knobs, with the ones that move with them ----

    /**
     * A knob with at least two values among the configs, its values in the knob's order, and per other knob that
     * moves with it, that knob's value at each of its levels.
     */
    private record Effect(Knob knob, List<Object> levels, Map<String, List<Object>> along) {
    }

    private static List<Effect> effects(SearchSpace space, List<Map<String, Object>> configs) {
        List<Effect> out = new ArrayList<>();
        for (Knob k : space.knobs()) {
            Set<Object> present = new HashSet<>();
            configs.forEach(c -> present.add(c.get(k.path())));
            if (present.size() < 2) {
                continue;
            }
            List<Object> levels = k.values().stream().filter(present::contains).toList();
            boolean joined = false;
            for (Effect e : out) {
                List<Object> theirs = alongside(configs, e.knob().path(), e.levels(), k.path());
                if (theirs != null && new HashSet<>(theirs).size() == theirs.size()) {
                    e.along().put(k.path(), theirs);
                    joined = true;
                    break;
                }
            }
            if (!joined) {
                out.add(new Effect(k, levels, new LinkedHashMap<>()));
            }
        }
        return out;
    }

    /** Per level of {@code path}, the one value {@code other} has with it in every config, or null when not one. */
    private static List<Object> alongside(List<Map<String, Object>> configs, String path, List<Object> levels,
                                          String other) {
        Map<Object, Object> seen = new HashMap<>();
        for (Map<String, Object> c : configs) {
            Object before = seen.putIfAbsent(c.get(path), c.get(other));
            if (before != null && !before.equals(c.get(other))) {
                return null;
            }
        }
        return levels.stream().map(seen::get).toList();
    }

    // ---- the combinations the model is asked about ----

    /**
     * What the model is asked about: every combination ({@code points}, when there are at most {@link #GRID}), or
     * for a larger box a background sample of {@link #BACKGROUND} combinations, each knob set in turn to each of
     * at most {@link #LEVELS} of its values (evenly spread over them), plus a uniform sample of {@link #GRID}
     * combinations for the total variance ({@link Fanova#estimate}).
     */
    private record Design(int[] levels, int[][] points, int[][] levelsTried, int[][] background) {
        boolean sampled() {
            return background != null;
        }
    }

    /** Background combinations, and values per knob, a sampled design tries. */
    static final int BACKGROUND = 64;
    static final int LEVELS = 32;

    private static Design design(List<Effect> effects) {
        int[] levels = effects.stream().mapToInt(e -> e.levels().size()).toArray();
        double size = 1;
        for (int l : levels) {
            size *= l;
        }
        Random random = new Random(SEED);
        if (size <= GRID) {
            int[][] points = new int[(int) size][levels.length];
            for (int i = 0; i < points.length; i++) {
                int rest = i;
                for (int k = levels.length - 1; k >= 0; k--) {
                    points[i][k] = rest % levels[k];
                    rest /= levels[k];
                }
            }
            return new Design(levels, points, null, null);
        }
        int[][] tried = new int[levels.length][];
        for (int k = 0; k < levels.length; k++) {
            int m = Math.min(levels[k], LEVELS);
            tried[k] = new int[m];
            for (int i = 0; i < m; i++) {
                tried[k][i] = m == levels[k] ? i : (int) Math.round((double) i * (levels[k] - 1) / (m - 1));
            }
        }
        return new Design(levels, uniform(levels, GRID, random), tried, uniform(levels, BACKGROUND, random));
    }

    private static int[][] uniform(int[] levels, int count, Random random) {
        int[][] out = new int[count][levels.length];
        for (int[] p : out) {
            for (int k = 0; k < levels.length; k++) {
                p[k] = random.nextInt(levels[k]);
            }
        }
        return out;
    }

    /** A combination as a config: each effect's knob at its level, the knobs moving with it alongside. */
    private static Map<String, Object> config(Map<String, Object> fixed, List<Effect> effects, int[] point) {
        Map<String, Object> c = new LinkedHashMap<>(fixed);
        for (int k = 0; k < point.length; k++) {
            Effect e = effects.get(k);
            int level = point[k];
            c.put(e.knob().path(), e.levels().get(level));
            e.along().forEach((other, values) -> c.put(other, values.get(level)));
        }
        return c;
    }

    /** The model's predicted mean at each combination. */
    private static double[] predict(GaussianProcess gp, Encoding encoding, Map<String, Object> fixed,
                                    List<Effect> effects, List<int[]> points) {
        double[][] x = new double[points.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = encoding.encode(config(fixed, effects, points.get(i)));
        }
        return gp.means(x, new double[x.length]);
    }

    /** The split of the model's prediction over the design. */
    private static Fanova.Split split(GaussianProcess gp, Encoding encoding, Map<String, Object> fixed,
                                      List<Effect> effects, Design design) {
        double[] all = predict(gp, encoding, fixed, effects, List.of(design.points()));
        if (!design.sampled()) {
            return Fanova.split(design.levels(), design.points(), all);
        }
        double mean = 0;
        for (double v : all) {
            mean += v;
        }
        mean /= all.length;
        double total = 0;
        for (double v : all) {
            total += (v - mean) * (v - mean);
        }
        total /= all.length;
        int m = design.background().length;
        double[][][] values = new double[effects.size()][][];
        for (int k = 0; k < values.length; k++) {
            List<int[]> points = new ArrayList<>();
            for (int level : design.levelsTried()[k]) {
                for (int[] b : design.background()) {
                    int[] p = b.clone();
                    p[k] = level;
                    points.add(p);
                }
            }
            double[] predicted = predict(gp, encoding, fixed, effects, points);
            values[k] = new double[design.levelsTried()[k].length][m];
            for (int l = 0; l < values[k].length; l++) {
                System.arraycopy(predicted, l * m, values[k][l], 0, m);
            }
        }
        return Fanova.estimate(values, total);
    }

    // ---- one metric ----

    private static Split split(SearchSpace space, List<Map<String, Object>> configs, Set<Map<String, Object>> valid,
                               Encoding encoding, List<Effect> effects, Design design, List<Observation> history,
                               String metric, String role) {
        List<Map<String, Object>> at = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Observation o : history) {
            if (o.outcome() != Observation.Outcome.COMPLETED) {
                continue;
            }
            Map<String, Object> config = Spaces.normalize(space, o.config()).orElse(null);
            Double v = config == null || !valid.contains(config) ? null
                    : Spaces.withDerived(space, o.config(), o.metrics()).get(metric);
            if (v != null && Double.isFinite(v)) {
                at.add(config);
                values.add(v);
            }
        }
        int measured = new HashSet<>(at).size();
        int needed = needed(effects.size());
        String name = role.equals("objective") ? metric : metric + " (budget " + role + ")";
        if (measured < needed) {
            return new Split(metric, role, measured, needed, List.of(), 0, "which knobs matter for " + name
                    + ": not enough measured configs to tell (" + measured + " of " + needed + ")");
        }
        boolean log = values.stream().allMatch(v -> v > 0);
        int n = values.size();
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = encoding.encode(at.get(i));
            y[i] = log ? Math.log(values.get(i)) : values.get(i);
        }
        int[] train = evenly(n, MAX_TRAIN);
        int[] fit = evenly(train.length, MAX_FIT);
        double[][] tx = pick(x, train);
        double[] ty = pick(y, train);
        GaussianProcess.Hyper hyper = HyperSelection.select(pick(tx, fit), pick(ty, fit), encoding.groups(),
                encoding.groupCount(), ModelStrategy.RIDGE);
        GaussianProcess gp = GaussianProcess.fit(tx, ty, hyper, GaussianProcess.prior(tx, ty, ModelStrategy.RIDGE));
        // knobs that are no effect keep the one value they have in every config
        Fanova.Split s = split(gp, encoding, configs.get(0), effects, design);
        List<Share> shares = new ArrayList<>();
        for (int k = 0; k < effects.size(); k++) {
            Effect e = effects.get(k);
            List<String> with = new ArrayList<>(e.along().keySet());
            String label = shortName(space, e.knob().path()) + (with.isEmpty() ? "" : " (with "
                    + String.join(", ", with.stream().map(p -> shortName(space, p)).toList()) + ")");
            Set<Object> seen = new HashSet<>();
            at.forEach(c -> seen.add(c.get(e.knob().path())));
            shares.add(new Share(e.knob().path(), label, s.mainEffects()[k], with, seen.size()));
        }
        shares.sort(Comparator.comparingDouble(Share::share).reversed());
        return new Split(metric, role, measured, needed, shares, s.interactions(),
                summary(name, shares, s, measured, design, log));
    }

    private static String summary(String name, List<Share> shares, Fanova.Split s, int measured, Design design,
                                  boolean log) {
        String basis = " (the model of " + measured + " measured configs, over " + (design.sampled()
                ? "a sample of the " + String.format(Locale.ROOT, "%,.0f", combinations(design))
                : "all " + design.points().length) + " combinations of the "
                + "knobs' values" + (log ? ", on a log scale" : "") + ")";
        if (s.variance() == 0) {
            return "no knob moves " + name + ": the model predicts the same value everywhere" + basis;
        }
        StringBuilder sb = new StringBuilder();
        Share top = shares.get(0);
        sb.append(top.label()).append(" explains ").append(percent(top.share())).append(" of ").append(name)
                .append("'s variation");
        List<String> small = new ArrayList<>();
        List<String> unvaried = new ArrayList<>();
        for (Share other : shares.subList(1, shares.size())) {
            if (other.measuredValues() < 2) {
                unvaried.add(other.label());
            } else if (other.share() >= 0.005) {
                sb.append(", ").append(other.label()).append(' ').append(percent(other.share()));
            } else {
                small.add(other.label());
            }
        }
        sb.append(", interactions ").append(percent(s.interactions()));
        if (!small.isEmpty()) {
            // a long tail of 0% reads as noise: named once, together
            sb.append("; under 1% each: ").append(String.join(", ", small));
        }
        if (!unvaried.isEmpty()) {
            // the model has seen one value of these: a small share says it knows nothing, not that they do nothing
            sb.append("; measured at one value only, so not judged: ").append(String.join(", ", unvaried));
        }
        return sb.append(basis).toString();
    }

    private static double combinations(Design design) {
        double size = 1;
        for (int l : design.levels()) {
            size *= l;
        }
        return size;
    }

    /** A share as a whole percent, with "<1%" for a share that rounds to nothing but is not nothing. */
    static String percent(double share) {
        long p = Math.round(100 * share);
        return p == 0 && share > 0.0005 ? "<1%" : String.format(Locale.ROOT, "%d%%", p);
    }

    private static String shortName(SearchSpace space, String path) {
        String last = path.substring(path.lastIndexOf('.') + 1);
        long same = space.knobs().stream().filter(k -> k.path().endsWith("." + last) || k.path().equals(last)).count();
        return same == 1 ? last : path;
    }

    /** At most {@code max} indices spread evenly over {@code 0..n-1} (all of them when n <= max). */
    private static int[] evenly(int n, int max) {
        int m = Math.min(n, max);
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = (int) ((long) i * n / m);
        }
        return out;
    }

    private static double[][] pick(double[][] rows, int[] at) {
        double[][] out = new double[at.length][];
        for (int i = 0; i < at.length; i++) {
            out[i] = rows[at[i]];
        }
        return out;
    }

    private static double[] pick(double[] values, int[] at) {
        double[] out = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = values[at[i]];
        }
        return out;
    }
}
