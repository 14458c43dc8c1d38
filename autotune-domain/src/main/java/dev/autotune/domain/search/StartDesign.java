package dev.autotune.domain.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The model strategy's start: the points it measures before a model is worth fitting. The config nearest the
 * centre of the encoded space first, then each the untested config farthest from those taken (maximin); in small
 * spaces one-knob steps from the best feasible config so far instead (a local start). See docs/SEARCH.md, "Start".
 */
final class StartDesign {
    private StartDesign() {
    }

    /**
     * Model proposals after a local start that aim near the best ({@link Acquisition#nearBestChance}) instead of
     * maximising expected improvement.
     */
    static final int NEAR_BEST_PROPOSALS = 1;

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
     * 30-39-config spaces, with no plane for the first proposal, lost: 45.4%). So a design cut below the full one
     * (a space under 60 configs) is at most the {@link #PLANE_POINTS}: 3 instead of 4 in 50-59 configs took the
     * pooled share within 2% in at most 0.08 N from 37.0% to 37.7% and its p90 from 0.263 to 0.250 N (docs/SEARCH.md,
     * "Fourth pass"); 3 in every space under 70 or 100 configs lost.
     */
    static int initialDesign(int configs, int knobs) {
        int tenth = Math.max(2, configs / 10);
        if (tenth - 1 < fullDesign(knobs)) {
            // cut: the model's first proposal comes as soon as a plane can be fitted
            return Math.min(tenth, PLANE_POINTS);
        }
        return fullDesign(knobs);
    }

    /** The design a large enough space gets: one point per knob plus one, 2 to 5. */
    static int fullDesign(int knobs) {
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
    static Decision spaceFilling(SearchState state, List<Integer> open, double[][] points, long seed, int design) {
        List<Integer> taken = new ArrayList<>();
        for (int i = 0; i < points.length; i++) {
            if (!state.open(i)) {
                taken.add(i);
            }
        }
        int choice;
        if (taken.isEmpty()) {
            List<Integer> central = central(open, points, points.length);
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
                ? "space-filling start (1 of " + design + "): one of the configs nearest the centre of the space "
                + "(drawn from the seed " + seed + ")"
                : taken.size() < design
                ? "space-filling start (" + (taken.size() + 1) + " of " + design + "): the untested config farthest from "
                + "those already tried"
                : "no run has given " + state.space.objective().metric() + " yet, so the model has nothing to learn from; "
                + "trying the untested config farthest from those already tried";
        return new Decision.Propose(state.configs.get(choice), why + "; " + state.bestSoFar(), null, false);
    }

    /** The share of the space, nearest its centre, that the seed draws the first point from. */
    static final double CENTRAL_SHARE = 0.05;

    /**
     * The open configs the seed draws the first point from: those nearest the centre, at least
     * {@link #CENTRAL_SHARE} of the space and every config as near as the last of them. So the seed means something
     * (30 seeds are 30 samples of a search, not one sequence with its ties broken 30 ways) while every first
     * point stays near the middle, where the start pays ({@link #nearestCentre}).
     */
    static List<Integer> central(List<Integer> open, double[][] points, int configs) {
        int share = Math.max(1, (int) Math.ceil(CENTRAL_SHARE * configs));
        double[] centre = new double[points[open.get(0)].length];
        Arrays.fill(centre, 0.5);
        List<Integer> byDistance = new ArrayList<>(open);
        byDistance.sort(java.util.Comparator.comparingDouble((Integer i) -> distance2(points[i], centre))
                .thenComparingInt(i -> i));
        double last = distance2(points[byDistance.get(Math.min(share, byDistance.size()) - 1)], centre);
        List<Integer> out = new ArrayList<>();
        for (int i : byDistance) {
            if (out.size() >= share && distance2(points[i], centre) > last + 1e-12) {
                break;
            }
            out.add(i);
        }
        return out;
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

    /**
     * The next point of a local start, or null where there is none (a space that gets the space-filling design, or no
     * untested one-knob step left): the untested config nearest the anchor ({@link #localAnchor}) that changes one
     * knob not yet changed from it ({@link #starStep}).
     */
    static Decision localStep(SearchState state, List<Observation> history, List<Map<String, Object>> pending,
                              List<Integer> open, double[][] points, Encoding encoding, int started, int design) {
        if (!localDesign(state.configs.size(), encoding.groupCount())) {
            return null;
        }
        Integer anchor = localAnchor(state, history, pending);
        Integer step = starStep(state, anchor, open, points, encoding.groups(), encoding.groupCount(),
                encoding.numeric(), anchor == null ? 0 : preferredDirection(state, anchor));
        if (step == null) {
            return null;
        }
        return new Decision.Propose(state.configs.get(step), "local start (" + (started + 1) + " of " + design
                + ", a small space): the untested config nearest the "
                + (anchor.equals(firstTaken(state, history, pending)) ? "start" : "best so far")
                + " that changes one knob not yet changed from it (" + state.describe(step) + "), so the "
                + "model learns that knob's slope near the latency boundary; " + state.bestSoFar(), null, false);
    }
}
