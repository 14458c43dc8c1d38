package dev.autotune.domain.search;

import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The default strategy: Bayesian optimisation with Gaussian processes, written for the spaces autotune searches
 * (discrete grids of tens to a few thousand configs, noisy measurements, budgets that rule out about half the
 * space, runs that crash).
 *
 * <ul>
 * <li>Configs are points in [0, 1]^d ({@link Encoding}). One GP models the log of the score (so a factor of two
 * counts the same anywhere); one GP per hard budget models the log of its metric, and gives the chance the budget
 * is met; when any run failed, one more GP on 1 (failed) / 0 (completed) gives the chance a config runs at all.
 * A config's chance to be feasible is the product. Each GP's prior mean is a plane fitted by ridge regression, so
 * a trend (more batch, more throughput and more latency) carries into regions nothing was measured in yet. With
 * a maximised objective and an at-most budget, the objective is instead predicted as log(objective x budget
 * metric) - log(budget metric): the product (throughput x latency, the work in flight) follows the knobs almost
 * exactly, and the latency model then carries the objective's uncertainty too.</li>
 * <li>The next config maximises constrained expected improvement: EI over the best feasible config's posterior
 * mean, times the chance to be feasible (taken jointly with the budget the objective is predicted from). Before
 * anything feasible was measured it maximises that chance times the expected score. The first proposal after a
 * local start (below) instead maximises the chance to come within 2% of the best feasible config's posterior mean
 * or beat it, times the chance to be feasible.</li>
 * <li>The first few proposals are a start design: the config nearest the centre of the space (one of those
 * equally near drawn from the seed), then each the config farthest from those taken (maximin); in a space too
 * small for the full design or under 50 configs, instead each the smallest step in one knob not yet changed from
 * the best feasible config so far (at first the centre), up from a feasible config and down from an infeasible
 * one among equal steps.</li>
 * <li>Configs in flight count as measured at the model's mean (kriging believer), so parallel proposals spread
 * out instead of piling onto one spot.</li>
 * <li>When no untested config is expected to improve on the best by 0.1% (after enough measurements to trust
 * the model), it stops; but if the best's own value is still uncertain by more than 2% (noise), it first
 * proposes measuring the best again, up to three times, and says so.</li>
 * </ul>
 */
final class ModelStrategy implements Strategy {
    /** Rows each model is fitted on when the history is longer: keeps a proposal within tens of milliseconds. */
    static final int MAX_TRAIN = 128;
    /** Rows used to choose hyperparameters (each candidate setting costs a factorisation). */
    static final int MAX_FIT = 40;
    /**
     * The ridge penalty of each model's prior-mean plane. Log throughput and log latency move roughly linearly in
     * log batch size, log parallelism and the like, so a plane carries a trend into regions nothing was measured
     * in yet, where a constant prior mean would only offer the average; the penalty keeps a few points from
     * tilting it far. Benchmarked with the centre start: 0.1 and 0.03 are alike and beat 0.3 and 1, which shrink
     * the slopes of the first few measurements to almost nothing, so the trend is not used when it matters most.
     */
    static final double RIDGE = 0.1;
    /** Expected improvement (of the log score, so a fraction of the best) below which searching on is not worth it. */
    static final double STOP_IMPROVEMENT = 1e-3;
    /** The best's posterior spread (a fraction of its value) above which it is measured again before stopping. */
    static final double REPEAT_UNCERTAINTY = 0.02;
    /** A best measured this many times is not repeated again. */
    static final int MAX_REPEATS = 3;
    /**
     * Model proposals after a local start that aim near the best ({@link #nearBestChance}) instead of maximising
     * expected improvement.
     */
    static final int NEAR_BEST_PROPOSALS = 1;
    /** "Near the best": within this fraction of the incumbent's score, or better. */
    static final double NEAR_BEST = 0.02;

    @Override
    public String name() {
        return "model";
    }

    @Override
    public Decision next(SearchSpace space, List<Observation> history, List<Map<String, Object>> pending, long seed) {
        SearchState state = new SearchState(space, history, pending);
        List<Integer> open = state.open();
        if (open.isEmpty()) {
            return state.exhausted();
        }
        Encoding encoding = Encoding.of(space, state.configs);
        double[][] points = new double[state.configs.size()][];
        for (int i = 0; i < points.length; i++) {
            points[i] = encoding.encode(state.configs.get(i));
        }
        int started = state.configs.size() - open.size();
        boolean scored = state.evaluations.stream().flatMap(List::stream).anyMatch(e -> e.score() != null);
        int design = initialDesign(state.configs.size(), encoding.groupCount());
        if (started < design || !scored || encoding.dimensions() == 0) {
            if (started > 0 && started < design && encoding.dimensions() > 0
                    && localDesign(state.configs.size(), encoding.groupCount())) {
                Integer anchor = localAnchor(state, history, pending);
                Integer step = starStep(state, anchor, open, points, encoding.groups(), encoding.groupCount(),
                        encoding.numeric(), anchor == null ? 0 : preferredDirection(state, anchor));
                if (step != null) {
                    return new Decision.Propose(state.configs.get(step), "local start (" + (started + 1)
                            + " of " + design + ", a small space): the untested config nearest the "
                            + (anchor.equals(firstTaken(state, history, pending)) ? "start" : "best so far")
                            + " that changes one knob not yet changed from it (" + state.describe(step) + "), so the "
                            + "model learns that knob's slope near the latency boundary; " + state.bestSoFar(),
                            null, false);
                }
            }
            return spaceFilling(state, open, points, seed, design);
        }
        return new Model(state, encoding, points).decide(open,
                aimsNearBest(state.configs.size(), encoding.groupCount(), started));
    }

    /**
     * Measurements needed before the strategy may judge that nothing is left to gain: half of a small space, at
     * least 10 and at most 40 (a model fitted on fewer points is too sure of itself to be trusted with a stop).
     */
    static int minTrialsToStop(int configs) {
        return Math.max(10, Math.min(40, configs / 2));
    }

    /** The points a prior-mean plane needs ({@link GaussianProcess#prior}): fewer give a constant prior mean. */
    static final int PLANE_POINTS = 3;

    /**
     * Start points before the model: about one per knob plus one (the full design), fewer in a small space: a
     * tenth of the space (at least 2), less one when that still leaves the {@link #PLANE_POINTS} a plane needs.
     * The measure that counts is how often a search gets within 2% of the best in at most a tenth of the space;
     * where the design fills that tenth the model never gets a say in it, and one proposal of a model with a
     * trend plane aims better than one more start point (benchmarked: spaces of 40-49 configs got there in 41% of
     * the searches instead of 27% with 3 points instead of 4, 50-59 with 4 instead of 5 took aiconfigurator's
     * 50-99-config spaces from 26% to 36% and Argonne's from 50% to 46%: pooled 48.4% to 50.8%; 2 points in the
     * 30-39-config spaces, with no plane for the first proposal, lost: 45.4%).
     */
    static int initialDesign(int configs, int knobs) {
        int tenth = Math.max(2, configs / 10);
        return Math.min(fullDesign(knobs), tenth - 1 >= PLANE_POINTS ? tenth - 1 : tenth);
    }

    /** The design a large enough space gets: one point per knob plus one, 2 to 5. */
    private static int fullDesign(int knobs) {
        return Math.min(5, Math.max(2, knobs + 1));
    }

    /**
     * Spaces with fewer configs than this always get a local start: there the design is at most four points, at
     * most a tenth of the space, whatever the number of knobs (ten configs per point of the largest design).
     */
    static final int LOCAL_START_BELOW = 50;

    /**
     * Whether the start is local (one-knob steps from the centre, {@link #starStep}) rather than space-filling:
     * when the space is too small for the full design ({@link #initialDesign} cuts it: under 60 configs), or has
     * fewer than {@link #LOCAL_START_BELOW} configs. There the design is two to four points, a tenth of the space
     * is two to five trials, and a maximin point is a corner, which is almost never the best; a step from the centre
     * stays near the latency boundary that runs through the middle (where the best feasible config sits) and gives the
     * prior-mean plane one knob's slope cleanly. In larger spaces the maximin corners inform the model better
     * (benchmarked: local steps there lose more than they gain, in every space under 60 or 100 configs as well as in
     * all spaces; under 50 they also won in the 40-49-config spaces with few knobs, whose full design was maximin).
     */
    static boolean localDesign(int configs, int knobs) {
        return initialDesign(configs, knobs) < fullDesign(knobs) || configs < LOCAL_START_BELOW;
    }

    /**
     * Whether the proposal after {@code started} taken configs aims near the best instead of maximising EI: the
     * first {@link #NEAR_BEST_PROPOSALS} model proposals after a local start. There the space is 20 to 59 configs,
     * a tenth of it is the start or the start and this proposal, and the model has seen only 2 to 4 points near the
     * middle. EI rewards
     * spread, so its first pick on so few points is often an uncertain config far away; the chance to land within
     * 2% of the best or above it favours the config the trend plane predicts best with enough certainty, a step
     * on from the start towards the latency boundary. Benchmarked: one such proposal is best; two or more, or the
     * same rule after a space-filling start (larger spaces), do worse.
     */
    static boolean aimsNearBest(int configs, int knobs, int started) {
        return localDesign(configs, knobs) && started - initialDesign(configs, knobs) < NEAR_BEST_PROPOSALS;
    }

    /**
     * The chance that a normal(mean, sd) log score, maximised, is at least {@code best} less {@link #NEAR_BEST}
     * (within 2% of the best or above it).
     */
    static double nearBestChance(double mean, double sd, double best) {
        return nearBestChance(mean, sd, best, false);
    }

    /** {@link #nearBestChance}, or as an upper bound over every spread up to {@code sd} (1 at or past the mark). */
    static double nearBestChance(double mean, double sd, double best, boolean bound) {
        double threshold = best + Math.log(1 - NEAR_BEST);
        if (sd <= 1e-12 || bound && mean >= threshold) {
            return mean >= threshold ? 1 : 0;
        }
        return Normal.cdf((mean - threshold) / sd);
    }

    /** Weight of the displacement in other knobs against the step in the changed knob (a clean one-knob step). */
    static final double OFF_AXIS_WEIGHT = 4;

    /** {@link #starStep(SearchState, Integer, List, double[][], int[], int, boolean[], int)} without a direction. */
    static Integer starStep(SearchState state, Integer first, List<Integer> open, double[][] points, int[] groups,
                            int groupCount) {
        return starStep(state, first, open, points, groups, groupCount, null, 0);
    }

    /**
     * Where a local start steps from: the best feasible config measured so far, else the first config taken (the
     * centre). Walking from the best instead of always from the centre keeps each step at the best known point of
     * the latency boundary: when a step up from the centre is feasible and better, the next knob is tried from
     * there (benchmarked: spaces of 30-39 configs got within 2% in at most 0.10 N in 37% of the searches instead of
     * 24%, ML.ENERGY's 25% to 50%).
     */
    static Integer localAnchor(SearchState state, List<Observation> history, List<Map<String, Object>> pending) {
        List<Integer> feasible = state.feasibleByScore();
        return feasible.isEmpty() ? firstTaken(state, history, pending) : feasible.get(0);
    }

    /**
     * The direction a local step from the anchor prefers among equally small steps: up (+1) when the anchor was
     * measured and met every budget, down (-1) when it broke one, else none (0). Serving knobs mostly trade
     * throughput for latency in one direction (a larger batch, concurrency or token budget gives more of both), so
     * from a feasible point the better configs lie up, towards the budget, and from an infeasible one down; where a
     * knob acts the other way (parallelism) the step is no worse than the lowest-index tie-break it replaces.
     * Benchmarked: as a tie-break 35% to 44% within 2% in at most 0.10 N in aiconfigurator's 20-29-config spaces;
     * a stronger preference (an opposite step's cost times 4) was no better pooled.
     */
    static int preferredDirection(SearchState state, int anchor) {
        List<Evaluation> e = state.evaluations.get(anchor);
        if (e.isEmpty()) {
            return 0;
        }
        return e.stream().anyMatch(Evaluation::feasible) ? 1 : -1;
    }

    /** The direction of a one-knob step along a numeric dimension of its group (+1 up, -1 down), else 0. */
    static int direction(double[] point, double[] anchor, int[] groups, int group, boolean[] numeric) {
        int dim = -1;
        for (int d = 0; d < groups.length; d++) {
            if (groups[d] == group) {
                if (dim >= 0) {
                    return 0;
                }
                dim = d;
            }
        }
        if (dim < 0 || numeric == null || !numeric[dim]) {
            return 0;
        }
        return (int) Math.signum(point[dim] - anchor[dim]);
    }

    /**
     * The next point of a local start: from the anchor {@code first} ({@link #localAnchor}), the open config that
     * changes one knob group not yet changed by a taken config, by the smallest step, while moving the other knobs
     * least (squared displacement in the changed group plus {@link #OFF_AXIS_WEIGHT} times that in the others);
     * among equals, one in the {@code preferred} direction ({@link #preferredDirection}; along a numeric knob, per
     * {@code numeric}, which may be null), then the lowest config index. Null when every knob group that any open
     * config changes has been changed already.
     */
    static Integer starStep(SearchState state, Integer first, List<Integer> open, double[][] points, int[] groups,
                            int groupCount, boolean[] numeric, int preferred) {
        if (first == null) {
            return null;
        }
        List<Integer> taken = new ArrayList<>();
        for (int i = 0; i < points.length; i++) {
            if (!state.open(i)) {
                taken.add(i);
            }
        }
        double[] anchor = points[first];
        boolean[] changed = new boolean[groupCount];
        for (int t : taken) {
            int g = (int) dominantGroup(points[t], anchor, groups, groupCount)[0];
            if (g >= 0) {
                changed[g] = true;
            }
        }
        Integer choice = null;
        double least = Double.POSITIVE_INFINITY;
        boolean choiceWith = false;
        for (int i : open) {
            double[] dg = dominantGroup(points[i], anchor, groups, groupCount);
            if (dg[0] < 0 || changed[(int) dg[0]]) {
                continue;
            }
            double cost = dg[1] + OFF_AXIS_WEIGHT * dg[2];
            // among equally small steps, the one in the preferred direction
            boolean with = preferred != 0 && direction(points[i], anchor, groups, (int) dg[0], numeric) == preferred;
            if (cost < least - 1e-12 || with && !choiceWith && cost <= least + 1e-12) {
                least = cost;
                choice = i;
                choiceWith = with;
            }
        }
        return choice;
    }

    /** The index of the first config of the history in the space (not abandoned), else of the first in flight. */
    static Integer firstTaken(SearchState state, List<Observation> history, List<Map<String, Object>> pending) {
        for (Observation o : history) {
            Integer i = o.outcome() == Observation.Outcome.ABANDONED ? null : state.indexOf(o.config());
            if (i != null) {
                return i;
            }
        }
        for (Map<String, Object> p : pending) {
            Integer i = state.indexOf(p);
            if (i != null) {
                return i;
            }
        }
        return null;
    }

    /**
     * How a point is displaced from an anchor, per knob group (squared, in the encoding): {the group displaced
     * most (-1 when none is), its squared displacement, the squared displacement in all other groups}.
     */
    static double[] dominantGroup(double[] point, double[] anchor, int[] groups, int groupCount) {
        double[] perGroup = new double[groupCount];
        double total = 0;
        for (int d = 0; d < point.length; d++) {
            double v = (point[d] - anchor[d]) * (point[d] - anchor[d]);
            perGroup[groups[d]] += v;
            total += v;
        }
        int group = -1;
        double most = 1e-12;
        for (int g = 0; g < groupCount; g++) {
            if (perGroup[g] > most) {
                most = perGroup[g];
                group = g;
            }
        }
        return group < 0 ? new double[]{-1, 0, 0} : new double[]{group, most, total - most};
    }

    /** The open config farthest from everything measured or in flight (the first one: nearest the centre). */
    private static Decision spaceFilling(SearchState state, List<Integer> open, double[][] points, long seed, int design) {
        List<Integer> taken = new ArrayList<>();
        for (int i = 0; i < points.length; i++) {
            if (!state.open(i)) {
                taken.add(i);
            }
        }
        int choice;
        if (taken.isEmpty()) {
            List<Integer> central = nearestCentre(open, points);
            choice = central.get(new SplittableRandom(seed).nextInt(central.size()));
        } else {
            choice = open.get(0);
            double farthest = -1;
            for (int i : open) {
                double nearest = Double.POSITIVE_INFINITY;
                for (int t : taken) {
                    nearest = Math.min(nearest, distance2(points[i], points[t]));
                }
                if (nearest > farthest) {
                    farthest = nearest;
                    choice = i;
                }
            }
        }
        String why = taken.isEmpty()
                ? "space-filling start (1 of " + design + "): the config nearest the centre of the space"
                : taken.size() < design
                ? "space-filling start (" + (taken.size() + 1) + " of " + design + "): the untested config farthest from "
                + "those already tried"
                : "no run has given " + state.space.objective().metric() + " yet, so the model has nothing to learn from; "
                + "trying the untested config farthest from those already tried";
        return new Decision.Propose(state.configs.get(choice), why + "; " + state.bestSoFar(), null, false);
    }

    /**
     * The open configs nearest the centre of the encoded space (more than one when they are equally near). Before
     * anything is measured the centre is the best place to start: it is the point nearest to every config at once,
     * wherever the optimum lies, and where a budget that rules out about half of the space draws its boundary
     * (throughput and latency both grow with batch size and fall with parallelism, so the best config that meets a
     * latency budget sits on that boundary, not in a corner).
     */
    static List<Integer> nearestCentre(List<Integer> open, double[][] points) {
        double[] centre = new double[points[open.get(0)].length];
        Arrays.fill(centre, 0.5);
        double nearest = Double.POSITIVE_INFINITY;
        List<Integer> ties = new ArrayList<>();
        for (int i : open) {
            double d = distance2(points[i], centre);
            if (d < nearest - 1e-12) {
                nearest = d;
                ties.clear();
            }
            if (d <= nearest + 1e-12) {
                ties.add(i);
            }
        }
        return ties;
    }

    static double distance2(double[] a, double[] b) {
        double s = 0;
        for (int d = 0; d < a.length; d++) {
            s += (a[d] - b[d]) * (a[d] - b[d]);
        }
        return s;
    }

    /** One observation row of a model: the config's index and the modelled value. */
    private record Row(int config, double y) {
    }

    /** A GP on one quantity, fitted on the measured rows, then conditioned on the configs in flight. */
    private static final class Fitted {
        final GaussianProcess gp;

        Fitted(List<Row> rows, double[][] points, Encoding encoding, Comparator<Row> priority, boolean[] pending) {
            this(rows, points, encoding, priority, pending, RIDGE);
        }

        Fitted(List<Row> rows, double[][] points, Encoding encoding, Comparator<Row> priority, boolean[] pending,
               double ridge) {
            List<Row> train = rows;
            if (rows.size() > MAX_TRAIN) {
                train = keep(rows, priority, MAX_TRAIN);
            }
            List<Row> forFit = train.size() > MAX_FIT ? keep(train, priority, MAX_FIT) : train;
            GaussianProcess.Hyper hyper = GaussianProcess.select(x(forFit, points), y(forFit), encoding.groups(),
                    encoding.groupCount(), ridge);
            double[][] tx = x(train, points);
            double[] ty = y(train);
            GaussianProcess real = GaussianProcess.fit(tx, ty, hyper, GaussianProcess.prior(tx, ty, ridge));
            List<Row> believed = new ArrayList<>(train);
            List<Integer> inFlight = new ArrayList<>();
            for (int i = 0; i < pending.length; i++) {
                if (pending[i]) {
                    inFlight.add(i);
                }
            }
            if (!inFlight.isEmpty()) {
                double[][] px = new double[inFlight.size()][];
                for (int k = 0; k < px.length; k++) {
                    px[k] = points[inFlight.get(k)];
                }
                double[] mean = new double[px.length];
                double[] var = new double[px.length];
                real.predict(px, mean, var);
                for (int k = 0; k < px.length; k++) {
                    believed.add(new Row(inFlight.get(k), mean[k]));
                }
                real = GaussianProcess.fit(x(believed, points), y(believed), hyper, real.prior());
            }
            this.gp = real;
        }

        /** The half with the highest priority, then the most recent of the rest. */
        private static List<Row> keep(List<Row> rows, Comparator<Row> priority, int size) {
            // by position, so two equal rows (a repeat that measured the same) are kept or left independently
            List<Integer> byPriority = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                byPriority.add(i);
            }
            byPriority.sort((a, b) -> priority.compare(rows.get(a), rows.get(b)));
            boolean[] taken = new boolean[rows.size()];
            byPriority.subList(0, size / 2).forEach(i -> taken[i] = true);
            int recent = size - size / 2;
            for (int i = rows.size() - 1; i >= 0 && recent > 0; i--) {
                if (!taken[i]) {
                    taken[i] = true;
                    recent--;
                }
            }
            List<Row> out = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (taken[i]) {
                    out.add(rows.get(i));
                }
            }
            return out;
        }

        private static double[][] x(List<Row> rows, double[][] points) {
            double[][] x = new double[rows.size()][];
            for (int i = 0; i < x.length; i++) {
                x[i] = points[rows.get(i).config()];
            }
            return x;
        }

        private static double[] y(List<Row> rows) {
            return rows.stream().mapToDouble(Row::y).toArray();
        }
    }

    /**
     * The ridge penalty of the prior-mean plane of a throughput x latency product ({@link Model#deriveObjective}).
     * Smaller than {@link #RIDGE}: the product follows the knobs almost exactly (concurrency over GPUs, batch x
     * tokens), with slopes of several log units that a penalty of 0.1 shrinks away on a handful of points.
     * Benchmarked: 0.01 beats 0.1 (more misses), 0.03, 0.003 and 0.001.
     */
    static final double PRODUCT_RIDGE = 0.01;
    /** The largest correlation the joint acquisitions use (1 would divide by zero). */
    static final double MAX_RHO = 0.999;

    /**
     * Quadrature steps (Simpson) over the objective's standardised value in the joint acquisitions. 24 gave the
     * same pooled figures at about 10% less CPU per proposal, but changed 7 of the 3,150 benchmark searches (each
     * by 1 to 3 trials, later): too coarse where the margin's conditional spread is small.
     */
    private static final int STEPS = 48;

    /**
     * E[(F - best)+ . 1{feasible}] for F ~ N(mean, sd^2) and a feasibility margin M ~ N(margin, marginSd^2)
     * (feasible when M >= 0) correlated rho with F: constrained expected improvement when a better score and a
     * feasible config go together (rho > 0) or against each other (rho < 0). With rho = 0 it is EI times the
     * chance to be feasible.
     */
    static double jointImprovement(double mean, double sd, double best, double margin, double marginSd, double rho) {
        return joint(mean, sd, best, margin, marginSd, rho, true);
    }

    /** P(F >= mark and M >= 0), with F and M as in {@link #jointImprovement}. */
    static double jointChance(double mean, double sd, double mark, double margin, double marginSd, double rho) {
        return joint(mean, sd, mark, margin, marginSd, rho, false);
    }

    private static double joint(double mean, double sd, double best, double margin, double marginSd, double rho,
                                boolean improvement) {
        if (sd <= 1e-12 || marginSd <= 1e-12 || rho == 0) {
            double p = marginSd <= 1e-12 ? (margin >= 0 ? 1 : 0) : Normal.cdf(margin / marginSd);
            if (sd <= 1e-12) {
                return p * (improvement ? Math.max(0, mean - best) : mean >= best ? 1 : 0);
            }
            return p * (improvement ? Normal.expectedImprovement(mean, sd, best) : Normal.cdf((mean - best) / sd));
        }
        // over z = (F - mean) / sd: M | z ~ N(margin + rho marginSd z, marginSd^2 (1 - rho^2))
        double z0 = (best - mean) / sd;
        double lo = Math.max(z0, -8);
        double hi = Math.max(lo, 0) + 8;
        double h = (hi - lo) / STEPS;
        double cond = marginSd * Math.sqrt(1 - rho * rho);
        double sum = 0;
        for (int k = 0; k <= STEPS; k++) {
            double z = lo + k * h;
            double w = k == 0 || k == STEPS ? 1 : k % 2 == 1 ? 4 : 2;
            double f = Normal.pdf(z) * Normal.cdf((margin + rho * marginSd * z) / cond);
            sum += w * (improvement ? (z - z0) * f : f);
        }
        double integral = sum * h / 3;
        // never above what holds exactly (the quadrature of a near step when rho is near 1 can overshoot a little),
        // so the bounds the search prunes with stay bounds
        double p = Normal.cdf(margin / marginSd);
        return improvement
                ? Math.min(sd * integral, Math.min(Normal.expectedImprovement(mean, sd, best),
                Math.sqrt(squaredImprovement(mean, sd, best) * p)))
                : Math.min(integral, Math.min(p, Normal.cdf((mean - best) / sd)));
    }

    /** E[(F - best)+^2] for F ~ N(mean, sd^2): with Cauchy-Schwarz, a bound on the joint improvement. */
    static double squaredImprovement(double mean, double sd, double best) {
        if (sd <= 1e-12) {
            double d = Math.max(0, mean - best);
            return d * d;
        }
        double z = (mean - best) / sd;
        // far below the mark the two terms cancel and the approximation of Phi can leave a tiny negative value
        return Math.max(0, sd * sd * ((z * z + 1) * Normal.cdf(z) + z * Normal.pdf(z)));
    }

    /** A feasibility model: the chance a config meets one budget, or runs at all. */
    private record Constraint(String label, Fitted model, double limit, boolean atMost, List<Row> rows,
                              boolean logged) {
        double probability(double mean, double variance) {
            double sd = Math.sqrt(variance + model.gp.noiseVariance());
            double z = (limit - mean) / Math.max(sd, 1e-12);
            return Normal.cdf(atMost ? z : -z);
        }

        /** The margin to the limit (positive = met) and its spread (with the noise), in the model's units. */
        double[] margin(double mean, double variance) {
            double sd = Math.sqrt(variance + model.gp.noiseVariance());
            return new double[]{atMost ? limit - mean : mean - limit, sd};
        }

        /** An upper bound on {@link #probability} over every variance the posterior can have at this mean. */
        double bestCase(double mean, double varianceBound) {
            double noise = model.gp.noiseVariance();
            double margin = atMost ? limit - mean : mean - limit;
            double sd = Math.sqrt(margin >= 0 ? noise : noise + varianceBound);
            return Normal.cdf(margin / Math.max(sd, 1e-12));
        }
    }

    /** The models fitted on one history, and the decision they lead to. */
    private static final class Model {
        private final SearchState state;
        private final double[][] points;
        private final double sign;
        /** The objective's own GP: null when it is derived from a budget ({@link #derived}), which replaces it. */
        private Fitted objective;
        private final List<Constraint> constraints = new ArrayList<>();
        /** The budget the objective is derived from ({@link #deriveObjective}), or -1; its constraint's index. */
        private int linked = -1;
        /** The model of log(score) + log(the linked budget's metric), or null. */
        private Fitted derived;

        Model(SearchState state, Encoding encoding, double[][] points) {
            this.state = state;
            this.points = points;
            this.sign = state.space.objective().maximize() ? 1 : -1;
            List<Row> rows = new ArrayList<>();
            forEachMeasurement((i, o, e) -> {
                if (e.score() != null) {
                    rows.add(new Row(i, sign * Math.log(Math.max(e.score(), 1e-12))));
                }
            });
            for (Budget b : Spaces.budgets(state.space)) {
                List<Double> raw = new ArrayList<>();
                List<Integer> at = new ArrayList<>();
                forEachMeasurement((i, o, e) -> {
                    Double v = o.outcome() == Observation.Outcome.COMPLETED
                            ? Spaces.withDerived(state.space, o.config(), o.metrics()).get(b.metric().key()) : null;
                    if (v != null) {
                        raw.add(v);
                        at.add(i);
                    }
                });
                if (raw.size() < 2) {
                    continue;
                }
                boolean log = b.limit() > 0 && raw.stream().allMatch(v -> v > 0);
                double limit = log ? Math.log(b.limit()) : b.limit();
                List<Row> budgetRows = new ArrayList<>();
                for (int k = 0; k < raw.size(); k++) {
                    budgetRows.add(new Row(at.get(k), log ? Math.log(raw.get(k)) : raw.get(k)));
                }
                // measurements near the limit first: they place the boundary
                Fitted f = new Fitted(budgetRows, points, encoding,
                        Comparator.comparingDouble(r -> Math.abs(r.y() - limit)), state.pending);
                constraints.add(new Constraint(b.toString(), f, limit, b.bound() == Budget.Bound.AT_MOST, budgetRows, log));
            }
            List<Row> runs = new ArrayList<>();
            boolean[] failed = {false};
            forEachMeasurement((i, o, e) -> {
                boolean f = o.outcome() == Observation.Outcome.FAILED;
                failed[0] |= f;
                runs.add(new Row(i, f ? 1 : 0));
            });
            if (failed[0]) {
                Fitted f = new Fitted(runs, points, encoding, Comparator.comparingDouble(r -> -r.y()), state.pending);
                constraints.add(new Constraint("runs without failing", f, 0.5, true, List.of(), false));
            }
            if (sign > 0) {
                deriveObjective(rows, points, encoding);
            }
            if (derived == null) {
                // best measurements first: the model must be right where the optimum is
                objective = new Fitted(rows, points, encoding, Comparator.comparingDouble(r -> -r.y()),
                        state.pending);
            }
        }

        /**
         * Where the objective is a throughput and a budget caps a latency, their product is the work in flight
         * (Little's law: throughput x time per token = sequences in flight), which depends on the knobs alone and
         * in a simple way (about concurrency over GPUs; exactly batch x tokens in an offline batch): far smoother
         * than either. So the objective is predicted as log(product) - log(latency), with one GP on the log
         * product (its plane fitted with the lighter {@link #PRODUCT_RIDGE}) and the latency model the budget has
         * anyway, instead of a GP of its own; a config whose latency turns out lower than predicted is then both
         * better and likelier feasible, which the acquisition takes jointly ({@link #jointImprovement}: the score
         * and the budget's margin share the latency's variance). For a maximised objective and an at-most budget
         * on a positive metric, over the configs measured for both (at least 3); with several such budgets, the
         * one whose log product a ridge plane fits best. Benchmarked: pooled share within 2% in at most 0.10 N
         * 41.7% to 43.8%, no misses instead of 2; choosing it only where that plane fits the product better than
         * the score (mostly not, on a handful of points) gave 42.7%.
         */
        private void deriveObjective(List<Row> scoreRows, double[][] points, Encoding encoding) {
            double[] f = meanByConfig(scoreRows);
            double bestRss = Double.POSITIVE_INFINITY;
            List<Row> bestRows = null;
            for (int c = 0; c < constraints.size(); c++) {
                Constraint con = constraints.get(c);
                if (con.rows().isEmpty() || !con.atMost() || !con.logged()) {
                    continue;
                }
                double[] g = meanByConfig(con.rows());
                List<Row> product = new ArrayList<>();
                for (int i = 0; i < f.length; i++) {
                    if (!Double.isNaN(f[i]) && !Double.isNaN(g[i])) {
                        product.add(new Row(i, f[i] + g[i]));
                    }
                }
                if (product.size() < 3) {
                    continue;
                }
                double rss = planeRss(product, points);
                if (rss < bestRss) {
                    bestRss = rss;
                    bestRows = product;
                    linked = c;
                }
            }
            if (bestRows != null) {
                derived = new Fitted(bestRows, points, encoding, Comparator.comparingDouble(r -> -r.y()),
                        state.pending, PRODUCT_RIDGE);
            }
        }

        /** The squared residuals of a ridge plane fitted to the rows. */
        private static double planeRss(List<Row> rows, double[][] points) {
            double[][] x = Fitted.x(rows, points);
            double[] y = Fitted.y(rows);
            GaussianProcess.Prior plane = GaussianProcess.prior(x, y, PRODUCT_RIDGE);
            double rss = 0;
            for (int k = 0; k < y.length; k++) {
                double r = y[k] - plane.at(x[k]);
                rss += r * r;
            }
            return rss;
        }

        /** Per config, the mean of its rows (NaN where none). */
        private double[] meanByConfig(List<Row> rows) {
            double[] sum = new double[points.length];
            int[] count = new int[points.length];
            for (Row r : rows) {
                sum[r.config()] += r.y();
                count[r.config()]++;
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] = count[i] == 0 ? Double.NaN : sum[i] / count[i];
            }
            return sum;
        }

        private interface MeasurementVisitor {
            void visit(int config, Observation o, Evaluation e);
        }

        private void forEachMeasurement(MeasurementVisitor v) {
            for (int i = 0; i < state.configs.size(); i++) {
                for (int k = 0; k < state.observations.get(i).size(); k++) {
                    v.visit(i, state.observations.get(i).get(k), state.evaluations.get(i).get(k));
                }
            }
        }

        /** Configs whose variance is computed at once while looking for the best acquisition. */
        private static final int CHUNK = 96;

        /**
         * The open config with the best acquisition. Means are computed for every open config; variances (a
         * triangular solve each) only in order of an upper bound on the acquisition (EI and each feasibility
         * chance at their most favourable spread, between the noise and the variance left by the nearest
         * measurement alone) until no bound can beat the best found: exact, and in a large space only a small
         * part of it needs the solve.
         */
        Decision decide(List<Integer> open, boolean aimNearBest) {
            double[][] xo = rows(open);
            double[] varBound = new double[xo.length];
            double[] mu = derived != null ? null : objective.gp.means(xo, varBound);
            double[][] cmu = new double[constraints.size()][];
            double[][] cvarBound = new double[constraints.size()][xo.length];
            for (int c = 0; c < constraints.size(); c++) {
                cmu[c] = constraints.get(c).model().gp.means(xo, cvarBound[c]);
            }
            if (derived != null) {
                // score = product / latency: the means subtract, and (independent models) the variances add
                mu = derived.gp.means(xo, varBound);
                for (int k = 0; k < mu.length; k++) {
                    mu[k] -= cmu[linked][k];
                    varBound[k] += cvarBound[linked][k];
                }
            }
            // the incumbent: the feasible config whose posterior mean is best (noise-robust, unlike the best measurement)
            List<Integer> feasible = state.feasibleByScore();
            int incumbent = -1;
            double best = Double.NEGATIVE_INFINITY;
            if (!feasible.isEmpty()) {
                double[] fm = derived == null ? objective.gp.means(rows(feasible), new double[feasible.size()])
                        : predict(rows(feasible)).mean;
                for (int k = 0; k < fm.length; k++) {
                    if (fm[k] > best) {
                        best = fm[k];
                        incumbent = feasible.get(k);
                    }
                }
            }
            double reference = Arrays.stream(mu).max().orElse(0);
            boolean near = aimNearBest && incumbent >= 0;
            double[] bound = new double[open.size()];
            for (int k = 0; k < bound.length; k++) {
                double p = 1;
                double pLinked = 1;
                for (int c = 0; c < constraints.size(); c++) {
                    double b = constraints.get(c).bestCase(cmu[c][k], cvarBound[c][k]);
                    if (c == linked && incumbent >= 0) {
                        pLinked = b;
                    } else {
                        p *= b;
                    }
                }
                double sdBound = Math.sqrt(varBound[k]);
                // the chance to be near the best is at most 1 at or above the threshold, and largest at the
                // widest spread below it; a joint chance or improvement with the linked budget is at most the
                // smaller of the two chances, or (Cauchy-Schwarz) the root of E[improvement^2] times its chance
                if (linked >= 0 && incumbent >= 0) {
                    bound[k] = p * (near ? Math.min(nearBestChance(mu[k], sdBound, best, true), pLinked)
                            : Math.min(Normal.expectedImprovement(mu[k], sdBound, best),
                            Math.sqrt(squaredImprovement(mu[k], sdBound, best) * pLinked)));
                    continue;
                }
                bound[k] = p * (near ? nearBestChance(mu[k], sdBound, best, true)
                        : incumbent >= 0 ? Normal.expectedImprovement(mu[k], sdBound, best)
                        : Math.exp(mu[k] - reference));
            }
            Integer[] order = new Integer[open.size()];
            for (int k = 0; k < order.length; k++) {
                order[k] = k;
            }
            Arrays.sort(order, (a, b) -> bound[a] != bound[b] ? Double.compare(bound[b], bound[a]) : Integer.compare(a, b));
            int choice = -1;
            double top = -1;
            double[] chosen = null;
            for (int from = 0; from < order.length && bound[order[from]] > top; from += CHUNK) {
                int to = Math.min(order.length, from + CHUNK);
                List<Integer> chunk = new ArrayList<>();
                for (int r = from; r < to; r++) {
                    chunk.add(open.get(order[r]));
                }
                Prediction p = predict(rows(chunk));
                for (int r = 0; r < chunk.size(); r++) {
                    double a = linked >= 0 && incumbent >= 0 ? linkedAcquisition(p, r, best, near)
                            : p.feasible[r] * (near ? nearBestChance(p.mean[r], Math.sqrt(p.variance[r]), best)
                            : incumbent >= 0 ? Normal.expectedImprovement(p.mean[r], Math.sqrt(p.variance[r]), best)
                            : Math.exp(p.mean[r] - reference));
                    if (a > top || a == top && order[from + r] < choice) {
                        top = a;
                        choice = order[from + r];
                        chosen = p.at(r);
                    }
                }
            }
            if (!near && incumbent >= 0 && top < STOP_IMPROVEMENT && state.measured >= minTrialsToStop(state.configs.size())) {
                // about to stop: first make sure noise is not hiding a better choice than the measured best
                double[] inc = predict(rows(List.of(incumbent))).at(0);
                double incSd = Math.sqrt(inc[1]);
                if (incSd > REPEAT_UNCERTAINTY && state.observations.get(incumbent).size() < MAX_REPEATS
                        && !state.pending[incumbent]) {
                    return repeat(incumbent, inc[0], incSd, inc[2], top);
                }
                return new Decision.Stop(Decision.StopReason.NO_EXPECTED_IMPROVEMENT, String.format(
                        "no untested config is expected to beat the best by more than %.1f%% (largest expected "
                                + "improvement %.3f%% at %s) after %d measurements; %s", 100 * STOP_IMPROVEMENT,
                        100 * top, state.describe(open.get(choice)), state.measured, state.bestSoFar()));
            }
            int config = open.get(choice);
            Expectation expected = expectation(chosen[0], chosen[1], chosen[2]);
            return new Decision.Propose(state.configs.get(config), reason(expected, chosen, top, incumbent >= 0, near),
                    expected, false);
        }

        /**
         * The acquisition with the linked budget's chance taken jointly with the objective (correlation
         * {@link #rho}) and every other constraint's independently: constrained EI, or the chance to be feasible and
         * near the best.
         */
        private double linkedAcquisition(Prediction p, int r, double best, boolean near) {
            double others = 1;
            for (int c = 0; c < constraints.size(); c++) {
                if (c != linked) {
                    others *= p.perConstraint[c][r];
                }
            }
            double[] m = constraints.get(linked).margin(p.constraintMean[linked][r], p.constraintVariance[linked][r]);
            double sd = Math.sqrt(p.variance[r]);
            // score = product - latency and margin = limit - latency share the latency's variance
            double rho = sd <= 1e-12 || m[1] <= 1e-12 ? 0
                    : Math.min(MAX_RHO, p.constraintVariance[linked][r] / (sd * m[1]));
            return others * (near ? jointChance(p.mean[r], sd, best + Math.log(1 - NEAR_BEST), m[0], m[1], rho)
                    : jointImprovement(p.mean[r], sd, best, m[0], m[1], rho));
        }

        private double[][] rows(List<Integer> configs) {
            double[][] x = new double[configs.size()][];
            for (int k = 0; k < x.length; k++) {
                x[k] = points[configs.get(k)];
            }
            return x;
        }

        /** Objective mean and variance, the chance to be feasible, and each constraint's chance, per point. */
        private record Prediction(double[] mean, double[] variance, double[] feasible, double[][] perConstraint,
                                  double[][] constraintMean, double[][] constraintVariance) {
            /** mean, variance, feasible chance, then each constraint's chance. */
            double[] at(int r) {
                double[] out = new double[3 + perConstraint.length];
                out[0] = mean[r];
                out[1] = variance[r];
                out[2] = feasible[r];
                for (int c = 0; c < perConstraint.length; c++) {
                    out[3 + c] = perConstraint[c][r];
                }
                return out;
            }
        }

        private Prediction predict(double[][] x) {
            int m = x.length;
            double[] mean = new double[m];
            double[] var = new double[m];
            if (derived == null) {
                objective.gp.predict(x, mean, var);
            }
            double[] feasibleP = new double[m];
            Arrays.fill(feasibleP, 1);
            double[][] perConstraint = new double[constraints.size()][m];
            double[][] constraintMean = new double[constraints.size()][m];
            double[][] constraintVariance = new double[constraints.size()][m];
            for (int c = 0; c < constraints.size(); c++) {
                double[] cm = constraintMean[c];
                double[] cv = constraintVariance[c];
                constraints.get(c).model().gp.predict(x, cm, cv);
                for (int k = 0; k < m; k++) {
                    perConstraint[c][k] = constraints.get(c).probability(cm[k], cv[k]);
                    feasibleP[k] *= perConstraint[c][k];
                }
            }
            if (derived != null) {
                derived.gp.predict(x, mean, var);
                for (int k = 0; k < m; k++) {
                    mean[k] -= constraintMean[linked][k];
                    var[k] += constraintVariance[linked][k];
                }
            }
            return new Prediction(mean, var, feasibleP, perConstraint, constraintMean, constraintVariance);
        }

        private Decision repeat(int config, double mean, double sd, double p, double top) {
            Expectation e = expectation(mean, sd * sd, p);
            String why = String.format("measure the best config again: no untested config is expected to add more "
                            + "than %.2f%%, but the best's own value is uncertain (±%s), so noise could be hiding a "
                            + "better choice; %s", 100 * top, formatValue(e.std()), state.bestSoFar());
            return new Decision.Propose(state.configs.get(config), why, e, true);
        }

        /** The objective's expected value and spread in its own units (the model works on its log). */
        private Expectation expectation(double mean, double variance, double p) {
            double logMean = sign * mean;
            double value = Math.exp(logMean);
            return new Expectation(value, value * Math.sqrt(variance), p);
        }

        private String reason(Expectation e, double[] predicted, double acquisition, boolean anyFeasible,
                boolean near) {
            StringBuilder sb = new StringBuilder("expected ").append(formatValue(e.mean())).append(" (±")
                    .append(formatValue(e.std())).append(")");
            for (int c = 0; c < constraints.size(); c++) {
                sb.append(", ").append(Math.round(100 * predicted[3 + c])).append("% chance to ")
                        .append(constraints.get(c).label().equals("runs without failing") ? "run without failing"
                                : "meet " + constraints.get(c).label());
            }
            sb.append("; ").append(near ? String.format(Locale.ROOT, "%.0f%% chance to be feasible and within %.0f%% of "
                    + "the best or better (the first model proposal after a local start aims near the best)",
                    100 * acquisition, 100 * NEAR_BEST)
                    : anyFeasible ? String.format("expected improvement %.1f%%", 100 * acquisition)
                    : "nothing feasible yet, so the likeliest feasible config with the best expected score");
            sb.append("; ").append(state.bestSoFar());
            return sb.toString();
        }

        private String formatValue(double v) {
            return Numbers.format(v) + unit(state.space.objective().metric());
        }
    }

    /** The unit a reason writes after the objective's value. */
    static String unit(String metric) {
        if (Spaces.PER_GPU.containsKey(metric)) {
            return " " + Spaces.PER_GPU.get(metric).unit() + "/GPU";
        }
        return Metric.byKey(metric).map(m -> m.unit().isEmpty() ? "" : " " + m.unit()).orElse("");
    }
}
