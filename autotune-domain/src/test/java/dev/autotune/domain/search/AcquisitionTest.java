package dev.autotune.domain.search;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the acquisitions the model strategy maximises: each variant's upper bound is at least its value
 * for every posterior the bound's outlook allows (a smaller spread, a smaller chance per constraint), which is what
 * makes the pruned argmax exact; and the pruned argmax equals a brute-force argmax.
 */
class AcquisitionTest {
    /** A random posterior and an outlook that bounds it: the same mean, a larger spread and larger chances. */
    private record Case(Acquisition.Posterior posterior, Acquisition.Outlook outlook) {
    }

    private static Case randomCase(SplittableRandom r, int constraints, boolean linked) {
        double mean = r.nextDouble(-3, 3);
        double variance = r.nextInt(10) == 0 ? 0 : Math.pow(r.nextDouble(0.01, 1.5), 2);
        double sdBound = Math.sqrt(variance) * (1 + r.nextDouble(0, 2)) + (r.nextBoolean() ? 0 : r.nextDouble(0, 0.5));
        double[] chances = new double[constraints];
        double[] bounds = new double[constraints];
        for (int c = 0; c < constraints; c++) {
            chances[c] = r.nextInt(8) == 0 ? 0 : r.nextDouble();
            bounds[c] = Math.min(1, chances[c] + (r.nextBoolean() ? 0 : r.nextDouble(0, 0.5)));
        }
        double margin = Double.NaN;
        double marginSd = Double.NaN;
        double shared = Double.NaN;
        if (linked) {
            // the linked budget's chance is its margin's: P(M >= 0)
            marginSd = r.nextDouble(0.01, 1.5);
            margin = r.nextDouble(-2, 2);
            chances[0] = Normal.cdf(margin / marginSd);
            bounds[0] = Math.min(1, chances[0] + (r.nextBoolean() ? 0 : r.nextDouble(0, 0.3)));
            shared = Math.min(variance, marginSd * marginSd) * r.nextDouble();
        }
        return new Case(new Acquisition.Posterior(mean, variance, chances, margin, marginSd, shared),
                new Acquisition.Outlook(mean, sdBound, bounds));
    }

    private static List<Acquisition> variants(SplittableRandom r, boolean linked) {
        double best = r.nextDouble(-3, 3);
        int l = linked ? 0 : -1;
        List<Acquisition> out = new ArrayList<>();
        out.add(new Acquisition.Improvement(best, l));
        out.add(new Acquisition.Chance(best + Math.log(1 - Acquisition.NEAR_BEST), l, "near"));
        out.add(new Acquisition.Chance(best, l, "better"));
        if (!linked) {
            out.add(new Acquisition.FeasibleScore(r.nextDouble(-3, 3)));
        }
        return out;
    }

    @Test
    void everyVariantsUpperBoundIsAtLeastItsValue() {
        SplittableRandom r = new SplittableRandom(22);
        int checked = 0;
        for (int i = 0; i < 20_000; i++) {
            boolean linked = r.nextBoolean();
            Case c = randomCase(r, 1 + r.nextInt(3), linked);
            for (Acquisition a : variants(r, linked)) {
                double value = a.value(c.posterior());
                double bound = a.bound(c.outlook());
                assertThat(value).as("%s at %s", a, c).isGreaterThanOrEqualTo(0);
                assertThat(bound).as("%s at %s", a, c).isGreaterThanOrEqualTo(value - 1e-12);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(60_000);
    }

    @Test
    void theBoundIsTightWhenTheOutlookIsThePosteriorItself() {
        // no spread left and the chances known: bound and value agree (the bound is not vacuous)
        Acquisition.Posterior p = new Acquisition.Posterior(0.5, 0, new double[]{0.8}, Double.NaN, Double.NaN,
                Double.NaN);
        Acquisition.Outlook o = new Acquisition.Outlook(0.5, 0, new double[]{0.8});
        Acquisition ei = new Acquisition.Improvement(0.2, -1);
        assertThat(ei.value(p)).isCloseTo(0.8 * 0.3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ei.bound(o)).isEqualTo(ei.value(p));
        assertThat(ei.describe(0.041)).isEqualTo("expected improvement 4.1%");
        assertThat(new Acquisition.Chance(0, -1, "better than the best").describe(0.25))
                .isEqualTo("25% chance to be feasible and better than the best");
    }

    @Test
    void theArgmaxPrunedByBoundsIsTheBruteForceArgmax() {
        SplittableRandom r = new SplittableRandom(7);
        for (int space = 0; space < 2_000; space++) {
            int n = 1 + r.nextInt(400);
            boolean linked = r.nextBoolean();
            int constraints = 1 + r.nextInt(3);
            Acquisition a = variants(r, linked).get(r.nextInt(linked ? 3 : 4));
            Case[] cases = new Case[n];
            double[] bound = new double[n];
            for (int k = 0; k < n; k++) {
                cases[k] = randomCase(r, constraints, linked);
                bound[k] = a.bound(cases[k].outlook());
            }
            int[] computed = {0};
            PrunedArgmax.Best pruned = PrunedArgmax.argmax(bound, 1 + r.nextInt(100), part -> {
                double[] v = new double[part.length];
                for (int i = 0; i < part.length; i++) {
                    v[i] = a.value(cases[part[i]].posterior());
                }
                computed[0] += part.length;
                return v;
            });
            int brute = 0;
            for (int k = 1; k < n; k++) {
                if (a.value(cases[k].posterior()) > a.value(cases[brute].posterior())) {
                    brute = k;
                }
            }
            assertThat(pruned.index()).as("space %d (%d configs, %s)", space, n, a).isEqualTo(brute);
            assertThat(pruned.value()).isEqualTo(a.value(cases[brute].posterior()));
            assertThat(computed[0]).isLessThanOrEqualTo(n);
        }
    }

    @Test
    void prunedArgmaxComputesOnlyWhatCanStillWin() {
        double[] bound = {0.9, 0.1, 0.05, 0.5, 0.2};
        List<Integer> asked = new ArrayList<>();
        PrunedArgmax.Best best = PrunedArgmax.argmax(bound, 1, part -> {
            for (int k : part) {
                asked.add(k);
            }
            return new double[]{part[0] == 0 ? 0.6 : 0.4};
        });
        assertThat(best).isEqualTo(new PrunedArgmax.Best(0, 0.6));
        assertThat(asked).as("no bound after the first beats its value 0.6").containsExactly(0);
        assertThat(PrunedArgmax.argmax(new double[0], 4, part -> new double[0]).index()).isEqualTo(-1);
    }
}
