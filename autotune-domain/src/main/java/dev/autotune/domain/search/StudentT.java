package dev.autotune.domain.search;

/**
 * Student's t distribution function for whole degrees of freedom: the predictive of a quantity whose spread is
 * estimated from few points has heavier tails than a normal one.
 */
final class StudentT {
    private StudentT() {
    }

    /**
     * P(T <= t) for T with {@code nu} >= 1 degrees of freedom, in closed form (Abramowitz and Stegun 26.7.3 and
     * 26.7.4: with theta = atan(t / sqrt(nu)), P(|T| <= |t|) is a finite series in sin and cos theta).
     */
    static double cdf(double t, int nu) {
        if (nu < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1: " + nu);
        }
        if (Double.isInfinite(t)) {
            return t > 0 ? 1 : 0;
        }
        double theta = Math.atan(Math.abs(t) / Math.sqrt(nu));
        double c2 = Math.cos(theta) * Math.cos(theta);
        double s = Math.sin(theta);
        double a;
        if (nu % 2 == 1) {
            double sum = 0;
            if (nu > 1) {
                double term = Math.cos(theta);
                sum = term;
                for (int k = 3; k <= nu - 2; k += 2) {
                    term *= c2 * (k - 1) / k;
                    sum += term;
                }
            }
            a = 2 / Math.PI * (theta + s * sum);
        } else {
            double term = 1;
            double sum = 1;
            for (int k = 2; k <= nu - 2; k += 2) {
                term *= c2 * (k - 1) / k;
                sum += term;
            }
            a = s * sum;
        }
        a = Math.min(1, a);
        return t >= 0 ? 0.5 + 0.5 * a : 0.5 - 0.5 * a;
    }
}
