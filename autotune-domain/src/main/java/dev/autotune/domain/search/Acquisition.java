package dev.autotune.domain.search;


/**
 * What a model proposal maximises over the open configs, in variants: constrained expected improvement, the
 * chance to be feasible and reach a mark (near the best, or past it), and before anything feasible is measured the
 * chance to be feasible times the expected score. Each gives its value at a config's full posterior, an upper bound
 * from the cheap quantities alone (the mean, and a bound on the variance and on each constraint's chance), which
 * {@link PrunedArgmax} prunes with, and a description for the proposal's reason. When the objective is predicted
 * through a budget ({@code linked} >= 0) that budget's chance is taken jointly with the objective.
 */
sealed interface Acquisition {
    /** "Near the best": within this fraction of the incumbent's score, or better. */
    double NEAR_BEST = 0.02;

    /** The value at a config's posterior. */
    double value(Posterior p);

    /** At least {@link #value} for every posterior consistent with the outlook. */
    double bound(Outlook o);

    /** The value in words, for the proposal's reason. */
    String describe(double value);

    /**
     * One config's posterior: the log score's mean and variance, each constraint's chance to be met, and for the
     * linked budget (else NaN) its margin to the limit, the margin's spread and the variance the score shares
     * with it.
     */
    record Posterior(double mean, double variance, double[] chances, double margin, double marginSd,
                     double sharedVariance) {
        /** The chance to be feasible: every constraint met, taken as independent. */
        double feasible() {
            double p = 1;
            for (double c : chances) {
                p *= c;
            }
            return p;
        }
    }

    /**
     * What bounds a config's posterior before its variance is solved: the mean, a bound on the standard deviation,
     * and a bound on each constraint's chance.
     */
    record Outlook(double mean, double sdBound, double[] chanceBounds) {
    }

    /** Constrained expected improvement of the log score over {@code best}. */
    record Improvement(double best, int linked) implements Acquisition {
        @Override
        public double value(Posterior p) {
            double sd = Math.sqrt(p.variance());
            if (linked < 0) {
                return p.feasible() * Normal.expectedImprovement(p.mean(), sd, best);
            }
            return others(p.chances(), linked) * jointImprovement(p.mean(), sd, best, p.margin(), p.marginSd(),
                    rho(p, sd));
        }

        @Override
        public double bound(Outlook o) {
            if (linked < 0) {
                return product(o.chanceBounds(), -1) * Normal.expectedImprovement(o.mean(), o.sdBound(), best);
            }
            // a joint improvement is at most EI, and (Cauchy-Schwarz) at most the root of E[improvement^2] times
            // the linked budget's chance
            return product(o.chanceBounds(), linked) * Math.min(Normal.expectedImprovement(o.mean(), o.sdBound(), best),
                    Math.sqrt(squaredImprovement(o.mean(), o.sdBound(), best) * o.chanceBounds()[linked]));
        }

        @Override
        public String describe(double value) {
            return String.format("expected improvement %.1f%%", 100 * value);
        }
    }

    /**
     * The chance to be feasible and reach {@code mark} (a log score): with the mark 2% below the best, the chance
     * to come near the best or beat it; with the mark at the best, the chance to beat it.
     */
    record Chance(double mark, int linked, String words) implements Acquisition {
        @Override
        public double value(Posterior p) {
            double sd = Math.sqrt(p.variance());
            if (linked < 0) {
                return p.feasible() * chance(p.mean(), sd, mark, false);
            }
            return others(p.chances(), linked) * jointChance(p.mean(), sd, mark, p.margin(), p.marginSd(), rho(p, sd));
        }

        @Override
        public double bound(Outlook o) {
            double reach = chance(o.mean(), o.sdBound(), mark, true);
            if (linked < 0) {
                return product(o.chanceBounds(), -1) * reach;
            }
            // a joint chance is at most the smaller of the two chances
            return product(o.chanceBounds(), linked) * Math.min(reach, o.chanceBounds()[linked]);
        }

        @Override
        public String describe(double value) {
            return Numbers.percent(value) + " chance to be feasible and " + words;
        }
    }

    /**
     * Before anything feasible is measured: the chance to be feasible times the expected score (relative to
     * {@code reference}, the largest mean, so it stays within range).
     */
    record FeasibleScore(double reference) implements Acquisition {
        @Override
        public double value(Posterior p) {
            return p.feasible() * Math.exp(p.mean() - reference);
        }

        @Override
        public double bound(Outlook o) {
            return product(o.chanceBounds(), -1) * Math.exp(o.mean() - reference);
        }

        @Override
        public String describe(double value) {
            return "nothing feasible yet, so the likeliest feasible config with the best expected score";
        }
    }

    /** The product of the chances, leaving out {@code except} (-1: none), in order. */
    private static double product(double[] chances, int except) {
        double p = 1;
        for (int c = 0; c < chances.length; c++) {
            if (c != except) {
                p *= chances[c];
            }
        }
        return p;
    }

    private static double others(double[] chances, int linked) {
        return product(chances, linked);
    }

    /** The score and the linked budget's margin share the budget metric's variance: their correlation. */
    private static double rho(Posterior p, double sd) {
        return sd <= 1e-12 || p.marginSd() <= 1e-12 ? 0 : Math.min(MAX_RHO, p.sharedVariance() / (sd * p.marginSd()));
    }

    /**
     * The chance that a normal(mean, sd) log score is at least {@code mark}; as an upper bound ({@code bound})
     * over every spread up to {@code sd}: 1 at or past the mark.
     */
    static double chance(double mean, double sd, double mark, boolean bound) {
        if (sd <= 1e-12 || bound && mean >= mark) {
            return mean >= mark ? 1 : 0;
        }
        return Normal.cdf((mean - mark) / sd);
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
        return chance(mean, sd, best + Math.log(1 - NEAR_BEST), bound);
    }

    /** The largest correlation the joint acquisitions use (1 would divide by zero). */
    double MAX_RHO = 0.999;

    /**
     * Quadrature steps (Simpson) over the objective's standardised value in the joint acquisitions. 24 gave the
     * same pooled figures at about 10% less CPU per proposal, but changed 7 of the 3,150 benchmark searches (each
     * by 1 to 3 trials, later): too coarse where the margin's conditional spread is small.
     */
    int STEPS = 48;

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

}
