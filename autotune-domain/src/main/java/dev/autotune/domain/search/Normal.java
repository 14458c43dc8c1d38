package dev.autotune.domain.search;

/** The standard normal density and distribution function, for expected improvement and feasibility odds. */
final class Normal {
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private Normal() {
    }

    static double pdf(double z) {
        return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
    }

    /** Phi(z), via erfc with W. J. Cody's rational approximation as in Numerical Recipes (error below 1.2e-7). */
    static double cdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /** Expected improvement over {@code best} of a normal(mean, sd) quantity that is maximised. */
    static double expectedImprovement(double mean, double sd, double best) {
        if (sd <= 1e-12) {
            return Math.max(0, mean - best);
        }
        double z = (mean - best) / sd;
        return (mean - best) * cdf(z) + sd * pdf(z);
    }
}
