package dev.autotune.domain.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-knob rule of {@code recommend}, made correct for several knobs: start from the best feasible config;
 * for each knob, judge only the measurements that hold every other knob at that config's values; propose the
 * untested domain value worth trying next (the midpoint, within the domain, between the best value and the
 * nearest value that broke a budget or did worse; or the next value beyond the best when nothing lies that way
 * yet). It changes exactly one knob and says which and why. When the best config's neighbourhood is done it
 * moves on to the next-best feasible config; before any feasible config, and after, it walks the seeded grid.
 */
final class PerKnobStrategy implements Strategy {
    @Override
    public String name() {
        return "per-knob";
    }

    @Override
    public Decision next(SearchSpace space, List<Observation> history, List<Map<String, Object>> pending, long seed) {
        SearchState state = new SearchState(space, history, pending);
        List<Integer> bases = state.feasibleByScore();
        for (int rank = 0; rank < bases.size(); rank++) {
            Optional<Decision.Propose> p = around(state, bases.get(rank), rank);
            if (p.isPresent()) {
                return p.get();
            }
        }
        for (int i : GridStrategy.order(state.configs.size(), true, seed)) {
            if (state.open(i)) {
                String why = bases.isEmpty() ? "no feasible config yet, so no knob can be judged; trying the next "
                        + "config of the seeded grid order"
                        : "every single-knob step from the feasible configs was tried; trying the next config of the "
                        + "seeded grid order";
                return new Decision.Propose(state.configs.get(i), why + "; " + state.bestSoFar(), null, false);
            }
        }
        return state.exhausted();
    }

    private static Optional<Decision.Propose> around(SearchState state, int base, int rank) {
        Map<String, Object> best = state.configs.get(base);
        for (Knob knob : state.space.knobs()) {
            int b = knob.values().indexOf(best.get(knob.path()));
            // the slice: configs equal to the base on every other knob, by this knob's domain index
            Integer[] slice = new Integer[knob.values().size()];
            for (int v = 0; v < slice.length; v++) {
                Map<String, Object> c = new LinkedHashMap<>(best);
                c.put(knob.path(), knob.values().get(v));
                slice[v] = state.index.get(c);
            }
            for (int v : candidates(state, knob, slice, b)) {
                if (slice[v] != null && state.open(slice[v])) {
                    return Optional.of(new Decision.Propose(state.configs.get(slice[v]),
                            reason(state, knob, slice, b, v, base, rank), null, false));
                }
            }
        }
        return Optional.empty();
    }

    /** Domain indexes worth trying for one knob, most promising first. */
    private static List<Integer> candidates(SearchState state, Knob knob, Integer[] slice, int b) {
        List<Integer> out = new ArrayList<>();
        if (knob.kind() == Knob.Kind.CATEGORY) {
            // categories have no order to interpolate: each untried one is a candidate, in declared order
            for (int v = 0; v < slice.length; v++) {
                if (v != b) {
                    out.add(v);
                }
            }
            return out;
        }
        List<int[]> sides = new ArrayList<>();
        for (int dir : new int[]{+1, -1}) {
            int nearest = -1;
            for (int v = b + dir; v >= 0 && v < slice.length; v += dir) {
                if (slice[v] != null && state.tested(slice[v])) {
                    nearest = v;
                    break;
                }
            }
            boolean broke = nearest >= 0 && state.infeasible(slice[nearest]);
            sides.add(new int[]{dir, nearest, broke ? 1 : 0});
        }
        // a side where a budget broke first: the optimum of a throughput/latency trade-off sits at that boundary
        sides.sort((x, y) -> Integer.compare(y[2], x[2]));
        for (int[] side : sides) {
            int dir = side[0];
            int nearest = side[1];
            if (nearest >= 0) {
                int mid = b + (nearest - b) / 2;
                if (mid != b) {
                    out.add(mid);
                }
                for (int v = b + dir; v != nearest; v += dir) {
                    out.add(v);
                }
            } else {
                for (int v = b + dir; v >= 0 && v < slice.length; v += dir) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private static String reason(SearchState state, Knob knob, Integer[] slice, int b, int v, int base, int rank) {
        String name = state.shortName(knob.path());
        Object bestValue = knob.values().get(b);
        String from = (rank == 0 ? "the best feasible config" : "feasible config #" + (rank + 1)) + " ("
                + state.describe(base) + ", " + Numbers.format(state.score(base)) + ")";
        StringBuilder sb = new StringBuilder("change " + name + " " + Numbers.value(bestValue) + " -> "
                + Numbers.value(knob.values().get(v)) + " from " + from);
        if (knob.kind() == Knob.Kind.NUMBER) {
            int dir = Integer.signum(v - b);
            Integer nearest = null;
            for (int u = b + dir; u >= 0 && u < slice.length; u += dir) {
                if (slice[u] != null && state.tested(slice[u])) {
                    nearest = u;
                    break;
                }
            }
            if (nearest == null) {
                sb.append("; nothing measured beyond ").append(Numbers.value(bestValue))
                        .append(" with the other knobs held, so try the next value");
            } else if (state.infeasible(slice[nearest])) {
                sb.append("; ").append(Numbers.value(knob.values().get(nearest))).append(" ")
                        .append(state.evaluations.get(slice[nearest]).get(0).why())
                        .append(", so try the untested value between");
            } else {
                sb.append("; ").append(Numbers.value(knob.values().get(nearest))).append(" did worse (")
                        .append(Numbers.format(state.score(slice[nearest]))).append("), so try the untested value between");
            }
        } else {
            sb.append("; ").append(Numbers.value(knob.values().get(v))).append(" is untried with the other knobs held");
        }
        return sb.toString();
    }
}
