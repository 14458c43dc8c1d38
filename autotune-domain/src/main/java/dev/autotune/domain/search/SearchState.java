package dev.autotune.domain.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A study's history laid over its space, as every strategy needs it: the valid configs (in
 * {@link Spaces#configs} order), which were measured (and how each scored), which are in flight, and the best
 * feasible one. Observations outside the space are ignored; repeats of a config are pooled.
 */
final class SearchState {
    final SearchSpace space;
    final List<Map<String, Object>> configs;
    /** Each config's position in {@link #configs} (unmodifiable, shared by every state of the space). */
    final Map<Map<String, Object>, Integer> index;
    /** The same positions by the configs' values in knob order ({@link SpaceIndex#positionsByValues}). */
    private final Map<List<Object>, Integer> byValues;
    /** Per config: its observations (oldest first) with their evaluations. */
    final List<List<Observation>> observations = new ArrayList<>();
    final List<List<Evaluation>> evaluations = new ArrayList<>();
    final boolean[] pending;
    final int measured;
    /** Per config: the mean score of its feasible measurements (NaN when none), computed once. */
    private final double[] scores;
    private List<Integer> feasibleByScore;
    /** Per config, per observation: its metrics with the per-GPU ones (null unless it completed), computed once. */
    private final List<List<Map<String, Double>>> metrics = new ArrayList<>();

    SearchState(SearchSpace space, List<Observation> history, List<Map<String, Object>> pending) {
        this.space = space;
        this.configs = Spaces.configs(space);
        this.index = SpaceIndex.of(space).positions();
        this.byValues = SpaceIndex.of(space).positionsByValues();
        for (int i = 0; i < configs.size(); i++) {
            observations.add(new ArrayList<>());
            evaluations.add(new ArrayList<>());
            metrics.add(new ArrayList<>());
        }
        int count = 0;
        for (Observation o : history) {
            if (o.outcome() == Observation.Outcome.ABANDONED) {
                continue;
            }
            Integer i = indexOf(o.config());
            if (i != null) {
                observations.get(i).add(o);
                // the config as listed is the observation's in the knobs' domains: evaluate need not find it again
                Map<String, Double> m = o.outcome() == Observation.Outcome.COMPLETED
                        ? Spaces.withDerivedInDomain(space, configs.get(i), o.metrics()) : null;
                evaluations.get(i).add(m == null ? Spaces.evaluate(space, o, configs.get(i)) : Spaces.judge(space, m));
                metrics.get(i).add(m == null ? null : Collections.unmodifiableMap(m));
                count++;
            }
        }
        this.measured = count;
        this.scores = new double[configs.size()];
        for (int i = 0; i < scores.length; i++) {
            // most configs are unmeasured or measured once: no stream for them (a stream per config showed in a
            // proposal's profile); the stream's average of one value is that value plus the sum's start, +0
            List<Evaluation> e = evaluations.get(i);
            scores[i] = e.isEmpty() ? Double.NaN : e.size() == 1 ? (e.get(0).feasible() ? 0.0 + e.get(0).score() : Double.NaN)
                    : e.stream().filter(Evaluation::feasible).mapToDouble(Evaluation::score).average().orElse(Double.NaN);
        }
        this.pending = new boolean[configs.size()];
        for (Map<String, Object> p : pending) {
            Integer i = indexOf(p);
            if (i != null) {
                this.pending[i] = true;
            }
        }
    }

    /** The config's index, or null when it is not one of the space's valid configs. */
    Integer indexOf(Map<String, ?> config) {
        // the valid configs are already enumerated: a lookup replaces normalize's scan of the candidates
        List<Object> values = Spaces.domainValues(space, config);
        return values == null ? null : byValues.get(values);
    }

    /**
     * A measurement's metrics with the per-GPU ones ({@link Spaces#withDerived}), as its evaluation judged them;
     * null unless it completed. {@code o} is one of {@code observations.get(config)}.
     */
    Map<String, Double> metrics(int config, Observation o) {
        List<Observation> list = observations.get(config);
        for (int k = 0; k < list.size(); k++) {
            if (list.get(k) == o) {
                return metrics.get(config).get(k);
            }
        }
        throw new IllegalArgumentException("not a measurement of config " + config);
    }

    boolean tested(int i) {
        return !observations.get(i).isEmpty();
    }

    /** Neither measured nor in flight: what a strategy may propose (besides a deliberate repeat). */
    boolean open(int i) {
        return !tested(i) && !pending[i];
    }

    List<Integer> open() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            if (open(i)) {
                out.add(i);
            }
        }
        return out;
    }

    /** A config is feasible when most of its measurements are (repeats near a budget can disagree). */
    boolean feasible(int i) {
        List<Evaluation> e = evaluations.get(i);
        int ok = 0;
        for (Evaluation v : e) {
            ok += v.feasible() ? 1 : 0;
        }
        return ok > 0 && 2 * ok >= e.size();
    }

    /** True when it was measured and is not feasible (a broken budget or a failed run). */
    boolean infeasible(int i) {
        return tested(i) && !feasible(i);
    }

    /** The mean score of its feasible measurements. */
    double score(int i) {
        return scores[i];
    }

    /**
     * The feasible measured configs, best score first (ties: earlier config first); unmodifiable. Sorted once: a
     * model proposal asks for it twice (the incumbent, and the best so far in its reason).
     */
    List<Integer> feasibleByScore() {
        if (feasibleByScore == null) {
            feasibleByScore = Collections.unmodifiableList(sortFeasibleByScore());
        }
        return feasibleByScore;
    }

    private List<Integer> sortFeasibleByScore() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            if (tested(i) && feasible(i)) {
                out.add(i);
            }
        }
        Objective o = space.objective();
        out.sort((a, b) -> o.better(score(a), score(b)) ? -1 : o.better(score(b), score(a)) ? 1 : Integer.compare(a, b));
        return out;
    }

    Optional<Integer> best() {
        List<Integer> f = feasibleByScore();
        return f.isEmpty() ? Optional.empty() : Optional.of(f.get(0));
    }

    String describe(int i) {
        StringBuilder sb = new StringBuilder();
        configs.get(i).forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(shortName(k)).append('=').append(Numbers.value(v));
        });
        return sb.toString();
    }

    /** The last segment of a knob path, or the full path when two knobs share it. */
    String shortName(String path) {
        String last = path.substring(path.lastIndexOf('.') + 1);
        long same = space.knobs().stream().filter(k -> k.path().endsWith("." + last) || k.path().equals(last)).count();
        return same == 1 ? last : path;
    }

    String bestSoFar() {
        return best().map(b -> "best so far " + Numbers.format(score(b)) + ModelStrategy.unit(space.objective().metric())
                        + " (" + describe(b) + ")")
                .orElse("no feasible config yet");
    }

    Decision.Stop exhausted() {
        return new Decision.Stop(Decision.StopReason.SPACE_EXHAUSTED, "every one of the " + configs.size()
                + " configs in the space was measured or is in flight");
    }
}
