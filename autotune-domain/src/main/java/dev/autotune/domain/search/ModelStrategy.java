package dev.autotune.domain.search;

import dev.autotune.domain.Budget;
import dev.autotune.domain.search.FittedModel.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
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
 * <li>The first few proposals are a start design: a config near the centre of the space (drawn from the seed
 * among the twentieth of the space nearest it), then each the config farthest from those taken (maximin); in a space too
 * small for the full design or under 50 configs, instead each the smallest step in one knob not yet changed from
 * the best feasible config so far (at first the centre), up from a feasible config and down from an infeasible
 * one among equal steps.</li>
 * <li>Configs in flight count as measured at the model's mean (kriging believer), so parallel proposals spread
 * out instead of piling onto one spot.</li>
 * <li>When no untested config has a 0.1% chance to be feasible and better on heavy-tailed predictives, or the
 * chance that any one of them is, drawn over all of them at once, is under 5% ({@link JointChance}), or none is
 * expected to improve on the best by 0.1% (after enough measurements to trust the model), it stops; but if the
 * best's own value is still uncertain by more than 2% (noise), it first proposes measuring the best again, up to
 * three times, and says so ({@link StopPolicy}, {@link TailChance}).</li>
 * </ul>
 * The rooms: {@link StartDesign} (the start), the surrogate ({@code Model}: the fitted GPs ({@link FittedModel}),
 * the constraints and the derived objective), {@link Acquisition} (what a proposal maximises, with its bound), {@link PrunedArgmax}
 * (the exact argmax over the open configs) and {@link StopPolicy} (with {@link TailChance} and {@link JointChance}).
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
        EncodedSpace encoded = EncodedSpace.of(space, state.configs);
        Encoding encoding = encoded.encoding();
        double[][] points = encoded.points();
        int started = state.configs.size() - open.size();
        boolean scored = state.evaluations.stream().flatMap(List::stream).anyMatch(e -> e.score() != null);
        int design = StartDesign.initialDesign(state.configs.size(), encoding.groupCount());
        if (started < design || !scored || encoding.dimensions() == 0) {
            Decision local = started > 0 && started < design && encoding.dimensions() > 0
                    ? StartDesign.localStep(state, history, pending, open, points, encoding, started, design) : null;
            return local != null ? local : StartDesign.spaceFilling(state, open, points, seed, design);
        }
        return new Model(state, encoding, points, encoded.logGpus()).decide(open,
                StartDesign.aimsNearBest(state.configs.size(), encoding.groupCount(), started));
    }

    /**
     * The ridge penalty of the prior-mean plane of a throughput x latency product ({@link Model#deriveObjective}).
     * Smaller than {@link #RIDGE}: the product follows the knobs almost exactly (concurrency over GPUs, batch x
     * tokens), with slopes of several log units that a penalty of 0.1 shrinks away on a handful of points.
     * Benchmarked: 0.01 beats 0.1 (more misses), 0.03, 0.003 and 0.001.
     */
    static final double PRODUCT_RIDGE = 0.01;
    /** A feasibility model: the chance a config meets one budget, or runs at all. */
    private record Constraint(String label, FittedModel model, double limit, boolean atMost, List<Row> rows,
                              boolean logged) {
        double probability(double mean, double variance) {
            double sd = Math.sqrt(variance + model.gp.noiseVariance());
            double z = (limit - mean) / Math.max(sd, 1e-12);
            return Normal.cdf(atMost ? z : -z);
        }

        /** The margin to the limit (positive = met) and its spread (with the noise), in the model's units. */
        record Margin(double value, double sd) {
        }

        Margin margin(double mean, double variance) {
            double sd = Math.sqrt(variance + model.gp.noiseVariance());
            return new Margin(atMost ? limit - mean : mean - limit, sd);
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
        private FittedModel objective;
        private final List<Constraint> constraints = new ArrayList<>();
        /** The budget the objective is derived from ({@link #deriveObjective}), or -1; its constraint's index. */
        private int linked = -1;
        /** The model of log(score) + log(the linked budget's metric), or null. */
        private FittedModel derived;
        /**
         * Per config, what the models add to the log score and every prediction of it takes off again: for a
         * per-GPU objective, the log of the config's GPU count (times the sign), so the score's models see the
         * whole system's throughput, not the share of one GPU. The GPU count is known exactly for every config
         * before it runs; throughput and the work in flight (the product with a latency, {@link #deriveObjective})
         * follow concurrency and batch size, while per GPU each also carries a term in tp x pp x dp that a plane
         * over the encoded knobs draws only roughly (a product of knobs, some of them not log-encoded). Zeros
         * otherwise. Benchmarked with the design of 3 below 60 configs (docs/SEARCH.md, "Fourth pass"): the
         * within-2% median 0.104 to 0.103 N, both p90s 0.263/0.250 to 0.246/0.245 N, no misses.
         */
        private final double[] offset;

        Model(SearchState state, Encoding encoding, double[][] points, double[] logGpus) {
            this.state = state;
            this.points = points;
            this.sign = state.space.objective().maximize() ? 1 : -1;
            this.offset = new double[points.length];
            if (logGpus != null) {
                for (int i = 0; i < offset.length; i++) {
                    offset[i] = sign * logGpus[i];
                }
            }
            List<Row> rows = new ArrayList<>();
            forEachMeasurement((i, o, e) -> {
                if (e.score() != null) {
                    rows.add(new Row(i, sign * Math.log(Math.max(e.score(), 1e-12)) + offset[i]));
                }
            });
            for (Budget b : Spaces.budgets(state.space)) {
                List<Double> raw = new ArrayList<>();
                List<Integer> at = new ArrayList<>();
                forEachMeasurement((i, o, e) -> {
                    Double v = o.outcome() == Observation.Outcome.COMPLETED
                            ? state.metrics(i, o).get(b.metric().key()) : null;
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
                FittedModel f = new FittedModel(budgetRows, points, encoding,
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
                FittedModel f = new FittedModel(runs, points, encoding, Comparator.comparingDouble(r -> -r.y()), state.pending);
                constraints.add(new Constraint("runs without failing", f, 0.5, true, List.of(), false));
            }
            if (sign > 0) {
                deriveObjective(rows, points, encoding);
            }
            if (derived == null) {
                // best measurements first: the model must be right where the optimum is
                objective = new FittedModel(rows, points, encoding, Comparator.comparingDouble(r -> -r.y()),
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
                derived = new FittedModel(bestRows, points, encoding, Comparator.comparingDouble(r -> -r.y()),
                        state.pending, PRODUCT_RIDGE);
            }
        }

        /** The squared residuals of a ridge plane fitted to the rows. */
        private static double planeRss(List<Row> rows, double[][] points) {
            double[][] x = FittedModel.x(rows, points);
            double[] y = FittedModel.y(rows);
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
        /** The same for the stop's chance, which early in a search a handful of candidates settle. */
        private static final int TAIL_CHUNK = 16;

        /**
         * The open config with the best acquisition ({@link Acquisition}). Means are computed for every open
         * config; variances (a triangular solve each) only in order of an upper bound on the acquisition (each
         * chance at its most favourable spread, between the noise and the variance left by the nearest
         * measurement alone) until no bound can beat the best found ({@link PrunedArgmax}): exact, and in a large
         * space only a small part of it needs the solve.
         */
        Decision decide(List<Integer> open, boolean aimNearBest) {
            Acquisition.Outlook[] outlooks = outlooks(open);
            // the incumbent: the feasible config whose posterior mean is best (noise-robust, unlike the best measurement)
            List<Integer> feasible = state.feasibleByScore();
            int incumbent = -1;
            double best = Double.NEGATIVE_INFINITY;
            if (!feasible.isEmpty()) {
                double[] fm = derived == null ? objective.gp.means(rows(feasible), new double[feasible.size()])
                        : posteriorMeans(rows(feasible));
                for (int k = 0; k < fm.length; k++) {
                    fm[k] -= offset[feasible.get(k)];
                    if (fm[k] > best) {
                        best = fm[k];
                        incumbent = feasible.get(k);
                    }
                }
            }
            boolean near = aimNearBest && incumbent >= 0;
            int joint = incumbent >= 0 ? linked : -1;
            Acquisition acquisition;
            if (incumbent < 0) {
                double reference = Arrays.stream(outlooks).mapToDouble(Acquisition.Outlook::mean).max().orElse(0);
                acquisition = new Acquisition.FeasibleScore(reference);
            } else if (near) {
                acquisition = new Acquisition.Chance(best + Math.log(1 - Acquisition.NEAR_BEST), joint,
                        String.format(Locale.ROOT, "within %.0f%% of the best or better (the first model proposal "
                                + "after a local start aims near the best)", 100 * Acquisition.NEAR_BEST));
            } else {
                acquisition = new Acquisition.Improvement(best, joint);
            }
            Map<Integer, Acquisition.Posterior> solved = new HashMap<>();
            PrunedArgmax.Best top = argmax(open, outlooks, acquisition, solved);
            double likely = near || incumbent < 0 ? 1 : TailChance.largest(outlookRows, scoreOutlook, best,
                    budgetOutlooks, linked, TAIL_CHUNK, StopPolicy.LIKELY, top.index());
            boolean unlikely = StopPolicy.nothingLikely(likely);
            double anyLikely = 1;
            if (!near && incumbent >= 0 && !unlikely && TailChance.largest(outlookRows, scoreOutlook, best,
                    budgetOutlooks, linked, TAIL_CHUNK, StopPolicy.JOINT_LIKELY, top.index()) < StopPolicy.JOINT_LIKELY) {
                // no config alone is likely enough to go on for; then the risk that matters is that any one is
                anyLikely = JointChance.of(outlookRows, scoreOutlook, best, budgetOutlooks, linked,
                        StopPolicy.JOINT_LIKELY, new SplittableRandom(state.measured * 1_000_003L + open.size()));
            }
            boolean jointly = StopPolicy.nothingJointlyLikely(anyLikely);
            boolean expectsNothing = false;
            double line = StopPolicy.JOINT_LIKELY_NOTHING_EXPECTED;
            if (!jointly && !unlikely && !near && incumbent >= 0 && StopPolicy.nothingToGain(top.value())
                    && state.measured >= StopPolicy.minTrialsToStopJointly(state.configs.size())
                    && TailChance.largest(outlookRows, scoreOutlook, best, budgetOutlooks, linked, TAIL_CHUNK, line,
                    top.index()) < line) {
                // nothing to gain on average: stop unless the risk that any config beats the best is real
                anyLikely = JointChance.of(outlookRows, scoreOutlook, best, budgetOutlooks, linked, line,
                        new SplittableRandom(state.measured * 1_000_003L + open.size() + 7));
                expectsNothing = jointly = anyLikely < line;
            }
            if (!near && incumbent >= 0 && (unlikely || jointly || StopPolicy.nothingToGain(top.value())
                    && StopPolicy.trusted(state.measured, state.configs.size()))) {
                // the words say the largest chance, not the first one past the line
                likely = unlikely ? likely : TailChance.largest(outlookRows, scoreOutlook, best, budgetOutlooks,
                        linked, CHUNK, Double.POSITIVE_INFINITY, -1);
                // about to stop: first make sure noise is not hiding a better choice than the measured best
                Acquisition.Posterior inc = posteriors(List.of(incumbent))[0];
                double incSd = Math.sqrt(inc.variance());
                if (StopPolicy.repeatBest(incSd, state.observations.get(incumbent).size(),
                        state.pending[incumbent])) {
                    return repeat(incumbent, inc, top.value());
                }
                int anyway = open.get(top.index());
                String why = jointly && !unlikely ? StopPolicy.whyJointly(anyLikely, expectsNothing, top.value(),
                        state.describe(anyway), state.measured, state.bestSoFar())
                        : StopPolicy.why(unlikely, likely, top.value(), state.describe(anyway), state.measured,
                        state.bestSoFar());
                return new Decision.Stop(Decision.StopReason.NO_EXPECTED_IMPROVEMENT, why,
                        proposal(anyway, solved.get(top.index()), acquisition, top.value(), null));
            }
            boolean nothingExpected = !near && incumbent >= 0 && StopPolicy.nothingToGain(top.value());
            return proposal(open.get(top.index()), solved.get(top.index()), acquisition, top.value(),
                    nothingExpected ? StopPolicy.whyNotYet(state.measured, state.configs.size()) : null);
        }

        /** @param goingOn why the search goes on when the proposal expects nothing, or null */
        private Decision.Propose proposal(int config, Acquisition.Posterior p, Acquisition acquisition, double value,
                                          String goingOn) {
            Expectation expected = expectation(p.mean(), p.variance(), p.feasible());
            String words = acquisition.describe(value) + (goingOn == null ? "" : "; " + goingOn);
            return new Decision.Propose(state.configs.get(config), reason(expected, p, words), expected, false);
        }

        /** The exact argmax of an acquisition over the open configs; the posteriors solved on the way in {@code solved}. */
        private PrunedArgmax.Best argmax(List<Integer> open, Acquisition.Outlook[] outlooks, Acquisition acquisition,
                                         Map<Integer, Acquisition.Posterior> solved) {
            double[] bound = new double[outlooks.length];
            for (int k = 0; k < bound.length; k++) {
                bound[k] = acquisition.bound(outlooks[k]);
            }
            return PrunedArgmax.argmax(bound, CHUNK, part -> {
                List<Integer> configs = new ArrayList<>();
                for (int k : part) {
                    configs.add(open.get(k));
                }
                Acquisition.Posterior[] ps = posteriors(configs);
                double[] values = new double[part.length];
                for (int r = 0; r < part.length; r++) {
                    solved.put(part[r], ps[r]);
                    values[r] = acquisition.value(ps[r]);
                }
                return values;
            });
        }

        /**
         * Per open config, the mean of the log score and bounds on its spread and on each constraint's chance,
         * without a variance solve: the variance is at most what the nearest measurement alone leaves.
         */
        private Acquisition.Outlook[] outlooks(List<Integer> open) {
            double[][] xo = rows(open);
            outlookRows = xo;
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
            double[] off = new double[mu.length];
            for (int k = 0; k < mu.length; k++) {
                off[k] = offset[open.get(k)];
                mu[k] -= off[k];
            }
            FittedModel score = derived != null ? derived : objective;
            scoreOutlook = new TailChance.Quantity(score.gp, mu, varBound, score.dof, off);
            budgetOutlooks = new ArrayList<>();
            for (int c = 0; c < constraints.size(); c++) {
                Constraint con = constraints.get(c);
                budgetOutlooks.add(new TailChance.Budget(new TailChance.Quantity(con.model().gp, cmu[c],
                        cvarBound[c], con.model().dof), con.limit(), con.atMost(), con.logged()));
            }
            Acquisition.Outlook[] out = new Acquisition.Outlook[open.size()];
            for (int k = 0; k < out.length; k++) {
                double[] chances = new double[constraints.size()];
                for (int c = 0; c < chances.length; c++) {
                    chances[c] = constraints.get(c).bestCase(cmu[c][k], cvarBound[c][k]);
                }
                out[k] = new Acquisition.Outlook(mu[k], Math.sqrt(varBound[k]), chances);
            }
            return out;
        }

        private double[][] rows(List<Integer> configs) {
            double[][] x = new double[configs.size()][];
            for (int k = 0; k < x.length; k++) {
                x[k] = points[configs.get(k)];
            }
            return x;
        }

        /** The last {@link #outlooks}' candidates, and its means and variance bounds for {@link TailChance}. */
        private double[][] outlookRows;
        private TailChance.Quantity scoreOutlook;
        private List<TailChance.Budget> budgetOutlooks;

        /**
         * The derived objective's posterior mean at each point: the log product's less the linked budget's. Means
         * only, no variance solve: at 500 observations the full posteriors of every feasible measured config were a
         * quarter of a proposal's time, for a mean that needs none of it (the same arithmetic as {@link #posteriors}).
         */
        private double[] posteriorMeans(double[][] x) {
            double[] unused = new double[x.length];
            double[] out = derived.gp.means(x, unused);
            double[] latency = constraints.get(linked).model().gp.means(x, unused);
            for (int k = 0; k < out.length; k++) {
                out[k] -= latency[k];
            }
            return out;
        }

        /** The full posterior at each point: the objective, each constraint's chance, the linked budget's margin. */
        private Acquisition.Posterior[] posteriors(List<Integer> configs) {
            double[][] x = rows(configs);
            int m = x.length;
            double[] mean = new double[m];
            double[] var = new double[m];
            if (derived == null) {
                objective.gp.predict(x, mean, var);
            }
            double[][] chance = new double[m][constraints.size()];
            double[][] constraintMean = new double[constraints.size()][m];
            double[][] constraintVariance = new double[constraints.size()][m];
            for (int c = 0; c < constraints.size(); c++) {
                double[] cm = constraintMean[c];
                double[] cv = constraintVariance[c];
                constraints.get(c).model().gp.predict(x, cm, cv);
                for (int k = 0; k < m; k++) {
                    chance[k][c] = constraints.get(c).probability(cm[k], cv[k]);
                }
            }
            if (derived != null) {
                derived.gp.predict(x, mean, var);
                for (int k = 0; k < m; k++) {
                    mean[k] -= constraintMean[linked][k];
                    var[k] += constraintVariance[linked][k];
                }
            }
            for (int k = 0; k < m; k++) {
                mean[k] -= offset[configs.get(k)];
            }
            Acquisition.Posterior[] out = new Acquisition.Posterior[m];
            for (int k = 0; k < m; k++) {
                Constraint.Margin margin = linked < 0 ? null
                        : constraints.get(linked).margin(constraintMean[linked][k], constraintVariance[linked][k]);
                out[k] = new Acquisition.Posterior(mean[k], var[k], chance[k],
                        margin == null ? Double.NaN : margin.value(), margin == null ? Double.NaN : margin.sd(),
                        linked < 0 ? Double.NaN : constraintVariance[linked][k]);
            }
            return out;
        }

        private Decision repeat(int config, Acquisition.Posterior p, double top) {
            Expectation e = expectation(p.mean(), p.variance(), p.feasible());
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

        private String reason(Expectation e, Acquisition.Posterior predicted, String acquisition) {
            StringBuilder sb = new StringBuilder("expected ").append(formatValue(e.mean())).append(" (±")
                    .append(formatValue(e.std())).append(")");
            for (int c = 0; c < constraints.size(); c++) {
                sb.append(", ").append(Numbers.percent(predicted.chances()[c])).append(" chance to ")
                        .append(constraints.get(c).label().equals("runs without failing") ? "run without failing"
                                : "meet " + constraints.get(c).label());
            }
            sb.append("; ").append(acquisition).append("; ").append(state.bestSoFar());
            return sb.toString();
        }
        private String formatValue(double v) {
            return Numbers.format(v) + SearchState.unit(state.space.objective().metric());
        }
    }
}
