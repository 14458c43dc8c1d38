package dev.autotune.domain.search;

import java.util.List;

/**
 * The largest chance of an untested config to be feasible and better than the best, for the stop
 * ({@link StopPolicy#nothingLikely}), on a predictive that knows how little a few points say: each model's is a
 * Student t with {@link StopPolicy#degreesOfFreedom} degrees of freedom instead of a normal (its spread is
 * estimated from its measured rows, less what it fitted on them), and no measurement is taken as more exact than
 * {@link StopPolicy#NOISE_FLOOR} (a latency the model places 5% past the limit, between two neighbours that broke
 * it, can still come in under it). The same chance on the normal predictives the proposals use was tried for the
 * stop and stopped searches that had not found the best (docs/SEARCH.md, "Third pass at the stop").
 */
final class TailChance {
    private TailChance() {
    }

    /**
     * One model over the candidates: its GP, its posterior means and an upper bound on each latent variance (what
     * the nearest measurement alone leaves; {@link GaussianProcess#means}), its degrees of freedom, and per
     * candidate an amount to take off the GP's prediction to get the quantity (for a per-GPU objective the log
     * score's: the config's log GPU count, {@code ModelStrategy}'s offset; {@code mean} has it taken off already),
     * or null for none.
     */
    record Quantity(GaussianProcess gp, double[] mean, double[] varianceBound, int dof, double[] offset) {
        Quantity(GaussianProcess gp, double[] mean, double[] varianceBound, int dof) {
            this(gp, mean, varianceBound, dof, null);
        }
    }

    /**
     * A budget's model: met when the modelled value is at most (or at least) {@code limit}; {@code logged} when it
     * models the log of the metric, so the noise floor (a fraction of the value) applies.
     */
    record Budget(Quantity model, double limit, boolean atMost, boolean logged) {
    }

    /**
     * The largest chance over the candidates, exact; but done at the first chance of at least {@code enough}, which
     * it then returns (for the stop, which only asks whether the largest is below its line: early in a search the
     * first few candidates settle that, where the exact largest would solve the variances of most of a large space).
     *
     * @param candidates the encoded candidates
     * @param score      the log score's means and variance bounds, and its model: with {@code through} >= 0 the
     *                   model of the log score plus the log of that budget's metric (the score is then this less
     *                   that budget's model, variances added)
     * @param best       the log score to beat
     * @param through    the budget the score is predicted through (its chance taken jointly with the score's), or -1
     * @param chunk      candidates whose variances are solved at once
     * @param hint       a candidate to try first (the proposal's pick), or -1
     */
    static double largest(double[][] candidates, Quantity score, double best, List<Budget> budgets, int through,
                          int chunk, double enough, int hint) {
        int n = candidates.length;
        double floor = StopPolicy.noiseFloorVariance();
        Budget via = through >= 0 ? budgets.get(through) : null;
        int scoreDof = via == null ? score.dof() : Math.min(score.dof(), via.model().dof());
        PrunedArgmax.Values exact = part -> {
            double[][] x = new double[part.length][];
            for (int r = 0; r < part.length; r++) {
                x[r] = candidates[part[r]];
            }
            double[] mean = new double[part.length];
            double[] variance = new double[part.length];
            score.gp().predict(x, mean, variance);
            double[][] budgetMean = new double[budgets.size()][part.length];
            double[][] budgetVariance = new double[budgets.size()][part.length];
            for (int b = 0; b < budgets.size(); b++) {
                budgets.get(b).model().gp().predict(x, budgetMean[b], budgetVariance[b]);
            }
            double[] values = new double[part.length];
            double[] p = new double[budgets.size()];
            for (int r = 0; r < part.length; r++) {
                double m = mean[r] - (via == null ? 0 : budgetMean[through][r])
                        - (score.offset() == null ? 0 : score.offset()[part[r]]);
                double v = variance[r] + (via == null ? 0 : budgetVariance[through][r]);
                for (int b = 0; b < p.length; b++) {
                    Budget budget = budgets.get(b);
                    double bv = budgetVariance[b][r];
                    p[b] = chance(margin(budget, budgetMean[b][r]), bv, bv, noise(budget, floor),
                            budget.model().dof());
                }
                values[r] = combine(chance(m - best, v, v, floor, scoreDof), p, through);
            }
            return values;
        };
        if (hint >= 0) {
            // the proposal's own pick usually settles it alone, before any bound over the whole space
            double first = exact.of(new int[] {hint})[0];
            if (first >= enough) {
                return first;
            }
        }
        double[] bound = bounds(score, best, budgets, through);
        return Math.max(0, PrunedArgmax.argmax(bound, chunk, exact, enough).value());
    }

    /**
     * Per candidate, an upper bound on its chance ({@link #largest}'s exact value): each model's t chance at the
     * variance within [0, its bound] that makes it largest. Cheap (no variance solve): means and bounds only.
     */
    static double[] bounds(Quantity score, double best, List<Budget> budgets, int through) {
        int n = score.mean().length;
        double floor = StopPolicy.noiseFloorVariance();
        Budget via = through >= 0 ? budgets.get(through) : null;
        int scoreDof = via == null ? score.dof() : Math.min(score.dof(), via.model().dof());
        double[] bound = new double[n];
        double[] met = new double[budgets.size()];
        for (int k = 0; k < n; k++) {
            double mean = score.mean()[k];
            double variance = score.varianceBound()[k];
            for (int b = 0; b < met.length; b++) {
                Budget budget = budgets.get(b);
                met[b] = chance(margin(budget, budget.model().mean()[k]), 0, budget.model().varianceBound()[k],
                        noise(budget, floor), budget.model().dof());
            }
            bound[k] = combine(chance(mean - best, 0, variance, floor, scoreDof), met, through);
        }
        return bound;
    }

    /**
     * The chance to be better and feasible: the chances multiply, taken as independent, except that the budget
     * the score is predicted through (whose variance the score shares: a lower latency is both better and likelier
     * feasible) is taken with the score's as the smaller of the two, which their joint chance never exceeds.
     */
    static double combine(double better, double[] met, int through) {
        double p = through >= 0 ? Math.min(better, met[through]) : better;
        for (int b = 0; b < met.length; b++) {
            if (b != through) {
                p *= met[b];
            }
        }
        return p;
    }

    /**
     * The t chance that a quantity with this margin (positive: reached) and a latent variance between {@code low}
     * and {@code high}, plus {@code noise}, is reached: at the variance within the range that makes it largest, so
     * with {@code low = high} the chance itself and with {@code low = 0} an upper bound.
     */
    static double chance(double margin, double low, double high, double noise, int dof) {
        double variance = (margin >= 0 ? low : high) + noise;
        if (variance <= 1e-24) {
            return margin >= 0 ? 1 : 0;
        }
        double p = StudentT.cdf(margin / Math.sqrt(variance), dof);
        // the series rounds near 1: a bound must not come out an ulp under the chance it bounds
        return low < high ? Math.min(1, p + 1e-12) : p;
    }

    private static double margin(Budget b, double mean) {
        return b.atMost() ? b.limit() - mean : mean - b.limit();
    }

    static double noise(Budget b, double floor) {
        double noise = b.model().gp().noiseVariance();
        return b.logged() ? Math.max(noise, floor) : noise;
    }
}
