package dev.autotune.domain.search;

import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * What a {@link SearchSpace} means: whether it is well-formed, which configs it holds, how a measured config maps
 * into it, its GPU count and per-GPU metrics, and how an observation scores against its objective, budgets and
 * soft SLOs. Pure functions of their arguments.
 */
public final class Spaces {
    /** More valid configs than this is a space nobody can search, almost always a step that is too small. */
    public static final int MAX_CONFIGS = 200_000;

    /** The per-GPU metrics {@code gpus} makes available, each from the throughput metric it divides. */
    public static final Map<String, Metric> PER_GPU = PerGpu.METRICS;

    private Spaces() {
    }

    /** Throws {@link SpaceError} naming the first key that is wrong. */
    public static void validate(SearchSpace space) {
        if (space.knobs() == null || space.knobs().isEmpty()) {
            throw new SpaceError("knobs", "no knobs declared");
        }
        Set<String> paths = new HashSet<>();
        for (Knob k : space.knobs()) {
            if (k.path() == null || k.path().isBlank()) {
                throw new SpaceError("knobs", "a knob has no path");
            }
            if (!paths.add(k.path())) {
                throw new SpaceError(k.field(), "declared twice");
            }
            Knob canonical = Knob.of(k.path(), k.values(), k.log());
            if (canonical.kind() != k.kind() || !canonical.values().equals(k.values())) {
                throw new SpaceError(k.field(), "values must be " + (canonical.kind() == Knob.Kind.NUMBER
                        ? "numbers, ascending, Long when whole" : "strings or booleans") + ", got " + Knob.literal(k.values()));
            }
        }
        if (space.objective() == null) {
            throw new SpaceError("objective", "missing; write e.g. \"maximize throughput_tokens_per_sec_per_gpu\"");
        }
        checkMetric(space, space.objective().metric(), "objective");
        if (space.secondObjective() != null) {
            checkMetric(space, space.secondObjective().metric(), "second_objective");
        }
        budgets(space);
        for (int i = 0; i < space.softSlos().size(); i++) {
            SoftSlo s = space.softSlos().get(i);
            String field = "soft_slos[" + i + "]";
            checkMetric(space, s.metric(), field);
            if (!(s.threshold() > 0) || !Double.isFinite(s.threshold())) {
                throw new SpaceError(field, "threshold must be a number above 0, got " + s.threshold());
            }
            if (!(s.weight() >= 0) || !Double.isFinite(s.weight())) {
                throw new SpaceError(field, "weight must be 0 or more, got " + s.weight());
            }
        }
        List<Expression> constraints = constraints(space);
        Expression gpus = gpuExpression(space);
        if (space.candidates() != null) {
            if (space.candidates().isEmpty()) {
                throw new SpaceError("candidates", "the list is empty");
            }
            for (int i = 0; i < space.candidates().size(); i++) {
                checkCandidate(space, space.candidates().get(i), "candidates[" + i + "]");
            }
        }
        List<Map<String, Object>> all = configs(space);
        if (all.isEmpty()) {
            throw new SpaceError(constraints.isEmpty() ? "candidates" : "constraints",
                    "no config satisfies " + String.join(" and ", space.constraints()));
        }
        if (gpus != null) {
            for (Map<String, Object> c : all) {
                double n = evaluate(gpus, c, "gpus").number(c);
                if (!(n > 0) || !Double.isFinite(n)) {
                    throw new SpaceError("gpus", "'" + gpus.text() + "' gives " + n + " for " + c);
                }
            }
        }
    }

    /** The hard budgets, parsed as `check --metric` parses them (once per space: {@link SpaceIndex}), unmodifiable. */
    public static List<Budget> budgets(SearchSpace space) {
        return SpaceIndex.of(space).budgets();
    }

    static List<Budget> parseBudgets(SearchSpace space) {
        List<Budget> out = new ArrayList<>();
        for (int i = 0; i < space.budgets().size(); i++) {
            try {
                out.add(Budget.parse(space.budgets().get(i)));
            } catch (IllegalArgumentException e) {
                throw new SpaceError("budgets[" + i + "]", e.getMessage());
            }
            // a per-GPU budget needs the space's gpus, or it could never be met
            checkMetric(space, out.get(i).metric().key(), "budgets[" + i + "]");
        }
        return out;
    }

    /**
     * Every valid config in a deterministic order: the candidates in their listed order when the space lists them,
     * otherwise the cartesian product with the first knob varying slowest; both filtered by the constraints.
     * Values are the domain's (Long, Double, String, Boolean), keyed by knob path in knob order.
     */
    public static List<Map<String, Object>> configs(SearchSpace space) {
        return SpaceIndex.of(space).configs();
    }

    /** {@link #configs}, enumerated. */
    static List<Map<String, Object>> enumerate(SearchSpace space) {
        List<Expression> constraints = constraints(space);
        List<Map<String, Object>> out = new ArrayList<>();
        if (space.candidates() != null) {
            if (space.candidates().size() > MAX_CONFIGS) {
                throw new SpaceError("candidates", space.candidates().size() + " candidates (at most " + MAX_CONFIGS + ")");
            }
            Set<Map<String, Object>> seen = new HashSet<>();
            for (Map<String, Object> c : space.candidates()) {
                inDomain(space, c).filter(n -> satisfies(constraints, n)).filter(seen::add).ifPresent(out::add);
            }
            return List.copyOf(out);
        }
        long size = 1;
        for (Knob k : space.knobs()) {
            size *= k.values().size();
            if (size > MAX_CONFIGS) {
                throw new SpaceError("knobs", "the knobs span more than " + MAX_CONFIGS
                        + " configs; use larger steps, fewer values or a candidates list");
            }
        }
        int n = space.knobs().size();
        int[] index = new int[n];
        for (long i = 0; i < size; i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            for (int k = 0; k < n; k++) {
                Knob knob = space.knobs().get(k);
                c.put(knob.path(), knob.values().get(index[k]));
            }
            if (satisfies(constraints, c)) {
                out.add(Collections.unmodifiableMap(c));
            }
            for (int k = n - 1; k >= 0; k--) {
                if (++index[k] < space.knobs().get(k).values().size()) {
                    break;
                }
                index[k] = 0;
            }
        }
        return List.copyOf(out);
    }

    /** True when the config (any extra keys ignored) is one of the space's valid configs. */
    public static boolean contains(SearchSpace space, Map<String, ?> config) {
        return normalize(space, config).isPresent();
    }

    /**
     * The config restricted to the space's knobs, with each value in its domain's representation (4.0 or "4" ->
     * 4L for an integer knob; a categorical "4" stays "4"); empty when a knob is missing, a value is outside
     * its domain, a constraint fails, or the space lists candidates and this is not one of them.
     */
    public static Optional<Map<String, Object>> normalize(SearchSpace space, Map<String, ?> config) {
        SpaceIndex index = SpaceIndex.of(space);
        Optional<Map<String, Object>> n = inDomain(space, config);
        if (n.isEmpty() || !satisfies(index.constraints(), n.get())) {
            return Optional.empty();
        }
        if (index.candidates() != null && !index.candidates().contains(n.get())) {
            return Optional.empty();
        }
        return n;
    }

    /** The GPU count of a config, when the space declares {@code gpus}. */
    public static OptionalDouble gpus(SearchSpace space, Map<String, ?> config) {
        Expression e = SpaceIndex.of(space).gpus();
        if (e == null) {
            return OptionalDouble.empty();
        }
        Map<String, Object> c = inDomain(space, config).orElseThrow(
                () -> new IllegalArgumentException("config " + config + " is not in the space"));
        return OptionalDouble.of(evaluate(e, c, "gpus").number(c));
    }

    /** The metrics plus the per-GPU ones (when the space declares {@code gpus} and the base metric is present). */
    public static Map<String, Double> withDerived(SearchSpace space, Map<String, ?> config, Map<String, Double> metrics) {
        if (space.gpus() == null || space.gpus().isBlank()) {
            return new LinkedHashMap<>(metrics);
        }
        return withDerivedInDomain(space, inDomain(space, config).orElseThrow(
                () -> new IllegalArgumentException("config " + config + " is not in the space")), metrics);
    }

    /**
     * {@link #withDerived} of a config already in the knobs' domains ({@link #inDomain}'s or one of
     * {@link #configs}): a strategy has it at hand for every observation, and normalising it again for every
     * observation on every proposal was a tenth of a proposal at 500 observations.
     */
    static Map<String, Double> withDerivedInDomain(SearchSpace space, Map<String, Object> config,
                                                   Map<String, Double> metrics) {
        Expression e = SpaceIndex.of(space).gpus();
        if (e == null) {
            return new LinkedHashMap<>(metrics);
        }
        double gpus = evaluate(e, config, "gpus").number(config);
        if (!(gpus > 0) || Double.isInfinite(gpus)) {
            return new LinkedHashMap<>(metrics);
        }
        return PerGpu.divide(metrics, gpus);
    }

    /** The objective, score and feasibility of one observation; see {@link Evaluation}. */
    public static Evaluation evaluate(SearchSpace space, Observation observation) {
        if (observation.outcome() != Observation.Outcome.COMPLETED) {
            return evaluate(space, observation, null);
        }
        return evaluate(space, observation, inDomain(space, observation.config()).orElse(null));
    }

    /** {@link #evaluate} given the observation's config in the knobs' domains ({@link #inDomain}; null: not in them). */
    static Evaluation evaluate(SearchSpace space, Observation observation, Map<String, Object> inDomain) {
        if (observation.outcome() == Observation.Outcome.FAILED) {
            return new Evaluation(null, null, false, List.of(), "the run failed");
        }
        if (observation.outcome() == Observation.Outcome.ABANDONED) {
            return new Evaluation(null, null, false, List.of(), "the run was abandoned");
        }
        // per-GPU metrics need only the GPU count, which any config in the knobs' domains has
        return judge(space, inDomain != null
                ? withDerivedInDomain(space, inDomain, observation.metrics()) : observation.metrics());
    }

    /** {@link #evaluate} of a completed observation, given its metrics with the per-GPU ones. */
    static Evaluation judge(SearchSpace space, Map<String, Double> metrics) {
        Double objective = metrics.get(space.objective().metric());
        List<Evaluation.Breach> breaches = new ArrayList<>();
        for (Budget b : budgets(space)) {
            Double v = metrics.get(b.metric().key());
            Budget.Verdict verdict = b.check(v);
            if (verdict == Budget.Verdict.UNKNOWN) {
                breaches.add(new Evaluation.Breach(b.toString(), null, Double.NaN));
            } else if (verdict == Budget.Verdict.FAIL) {
                breaches.add(new Evaluation.Breach(b.toString(), v, b.excess(v)));
            }
        }
        Double score = objective == null ? null : score(space, objective, metrics);
        boolean feasible = objective != null && breaches.isEmpty();
        String why = objective == null ? "no " + space.objective().metric() + " reported"
                : breaches.isEmpty() ? "meets every budget"
                : "breaks " + joined(breaches);
        return new Evaluation(objective, score, feasible, breaches, why);
    }

    /** The breaches, comma-separated (a loop: a stream per observation showed in a proposal's profile). */
    private static String joined(List<Evaluation.Breach> breaches) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < breaches.size(); k++) {
            sb.append(k == 0 ? "" : ", ").append(breaches.get(k));
        }
        return sb.toString();
    }

    /**
     * The objective with the soft-SLO penalty: P = sum of weight * (exp(r) - 1) over the soft SLOs, r the
     * violation ratio (how far past the threshold, as a fraction of it; 0 when met), so P is 0 at the threshold,
     * continuous, and grows exponentially. A maximised objective is divided by 1 + P, a minimised one multiplied,
     * so the score stays in the objective's units and direction. A soft SLO whose metric is missing adds nothing.
     */
    static double score(SearchSpace space, double objective, Map<String, Double> metrics) {
        double penalty = 0;
        for (SoftSlo s : space.softSlos()) {
            Double v = metrics.get(s.metric());
            if (v == null) {
                continue;
            }
            double over = s.bound() == Budget.Bound.AT_MOST ? v - s.threshold() : s.threshold() - v;
            double ratio = Math.max(0, over / s.threshold());
            penalty += s.weight() * Math.expm1(ratio);
        }
        return space.objective().maximize() ? objective / (1 + penalty) : objective * (1 + penalty);
    }

    /**
     * The Pareto front of the feasible completed observations over the objective and the second objective (no
     * other point is at least as good on both and better on one), ordered by the first objective, best first.
     * Without a second objective, the observations with the best score.
     */
    public static List<Observation> paretoFront(SearchSpace space, List<Observation> observations) {
        Objective first = space.objective();
        Objective second = space.secondObjective();
        List<Observation> feasible = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (Observation o : observations) {
            Evaluation e = evaluate(space, o);
            if (!e.feasible()) {
                continue;
            }
            Double b = second == null ? e.score()
                    : withDerived(space, o.config(), o.metrics()).get(second.metric());
            if (b == null) {
                continue;
            }
            feasible.add(o);
            values.add(new double[]{e.score(), b});
        }
        Objective secondDirection = second == null ? first : second;
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < feasible.size(); i++) {
            boolean dominated = false;
            for (int j = 0; j < feasible.size() && !dominated; j++) {
                double[] a = values.get(j);
                double[] x = values.get(i);
                boolean noWorse = !first.better(x[0], a[0]) && !secondDirection.better(x[1], a[1]);
                boolean better = first.better(a[0], x[0]) || secondDirection.better(a[1], x[1]);
                dominated = j != i && noWorse && better;
            }
            if (!dominated) {
                front.add(i);
            }
        }
        front.sort((i, j) -> first.better(values.get(i)[0], values.get(j)[0]) ? -1
                : first.better(values.get(j)[0], values.get(i)[0]) ? 1 : Integer.compare(i, j));
        return front.stream().map(feasible::get).toList();
    }

    static List<Expression> constraints(SearchSpace space) {
        List<String> paths = space.knobs().stream().map(Knob::path).toList();
        List<Expression> out = new ArrayList<>();
        for (int i = 0; i < space.constraints().size(); i++) {
            out.add(Expression.parse(space.constraints().get(i), "constraints[" + i + "]", paths));
        }
        return out;
    }

    static Expression gpuExpression(SearchSpace space) {
        if (space.gpus() == null || space.gpus().isBlank()) {
            return null;
        }
        return Expression.parse(space.gpus(), "gpus", space.knobs().stream().map(Knob::path).toList());
    }

    private static void checkMetric(SearchSpace space, String metric, String field) {
        if (PER_GPU.containsKey(metric)) {
            if (space.gpus() == null || space.gpus().isBlank()) {
                throw new SpaceError(field, metric + " needs gpus = \"<expression>\" (e.g. \"tp * pp\") in the space");
            }
            return;
        }
        if (Metric.byKey(metric).isPresent()) {
            return;
        }
        throw new SpaceError(field, "unknown metric '" + metric + "' (known: " + String.join(", ", Metric.reported().stream().map(Metric::key).toList())
                + ", and with gpus: " + String.join(", ", PER_GPU.keySet().stream().sorted().toList()) + ")");
    }

    private static void checkCandidate(SearchSpace space, Map<String, Object> candidate, String field) {
        for (String key : candidate.keySet()) {
            if (space.knobs().stream().noneMatch(k -> k.path().equals(key))) {
                throw new SpaceError(field, "'" + key + "' is not a declared knob");
            }
        }
        for (Knob k : space.knobs()) {
            Object v = candidate.get(k.path());
            if (v == null) {
                throw new SpaceError(field, "no value for " + k.path());
            }
            if (domainValue(SpaceIndex.of(space).values(k), k, v).isEmpty()) {
                throw new SpaceError(field, k.path() + " = " + v + " is not one of " + k.values());
            }
        }
    }

    private static boolean satisfies(List<Expression> constraints, Map<String, Object> config) {
        for (Expression e : constraints) {
            if (!evaluate(e, config, "constraints").test(config)) {
                return false;
            }
        }
        return true;
    }

    /** Runs an expression, turning a type error (a string in arithmetic) into an error of the space. */
    private static Expression evaluate(Expression e, Map<String, Object> config, String field) {
        try {
            e.evaluate(config);
            return e;
        } catch (SpaceError err) {
            throw err;
        } catch (IllegalArgumentException err) {
            throw new SpaceError(field, err.getMessage());
        }
    }

    /** The config in the knobs' domains (ignoring constraints and candidates), knob order. */
    static Optional<Map<String, Object>> inDomain(SearchSpace space, Map<String, ?> config) {
        List<Object> values = domainValues(space, config);
        if (values == null) {
            return Optional.empty();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int k = 0; k < values.size(); k++) {
            out.put(space.knobs().get(k).path(), values.get(k));
        }
        return Optional.of(Collections.unmodifiableMap(out));
    }

    /** {@link #inDomain}'s values alone, in knob order; null when the config is not in the knobs' domains. */
    static List<Object> domainValues(SearchSpace space, Map<String, ?> config) {
        SpaceIndex index = SpaceIndex.of(space);
        Object[] out = new Object[space.knobs().size()];
        for (int i = 0; i < out.length; i++) {
            Knob k = space.knobs().get(i);
            Object v = config.get(k.path());
            Optional<Object> d = v == null ? Optional.empty() : domainValue(index.values(k), k, v);
            if (d.isEmpty()) {
                return null;
            }
            out[i] = d.get();
        }
        return Arrays.asList(out);
    }

    /**
     * The domain's own value equal to {@code v}: numbers by value (4, 4.0 and "4" alike, within 1e-9 relative),
     * categories as written; the first listed when several are. Looked up in the knob's index.
     */
    private static Optional<Object> domainValue(SpaceIndex.Values index, Knob knob, Object v) {
        if (knob.kind() == Knob.Kind.NUMBER) {
            Double x = v instanceof Number n ? Double.valueOf(n.doubleValue()) : parseNumber(String.valueOf(v));
            return x == null ? Optional.empty() : index.number(x);
        }
        return index.category(v, v instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue())
                : String.valueOf(v));
    }

    private static Double parseNumber(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
