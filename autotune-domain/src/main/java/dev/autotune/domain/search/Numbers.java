package dev.autotune.domain.search;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** How search reasons write numbers: grouped thousands, three significant figures below 100. */
final class Numbers {
    private Numbers() {
    }

    private static final String[] PATTERNS = {"#,##0", "#,##0.#", "0.##", "0.###"};
    /**
     * The four formats, built once per thread (a DecimalFormat is not thread-safe, and formatting does not change
     * it): building one parses its pattern, and every observation's evaluation formats the values of the budgets
     * it breaks, which was a tenth of a proposal at 500 observations.
     */
    private static final ThreadLocal<DecimalFormat[]> FORMATS = ThreadLocal.withInitial(() -> {
        DecimalFormat[] out = new DecimalFormat[PATTERNS.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = new DecimalFormat(PATTERNS[i], DecimalFormatSymbols.getInstance(Locale.ROOT));
        }
        return out;
    });

    static String format(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        return FORMATS.get()[a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3].format(v);
    }

    /**
     * A chance as a reason writes it: whole percents in between, one decimal near the ends, so a proposal kept
     * alive by a 0.13% chance does not read "0% chance" beside a rule that speaks of 0.1%, and an almost sure
     * budget is not called certain.
     */
    static String percent(double chance) {
        double p = 100 * chance;
        if (p <= 0 || p >= 100) {
            return p <= 0 ? "0%" : "100%";
        }
        if (p < 0.05) {
            return "<0.1%";
        }
        if (p > 99.95) {
            return ">99.9%";
        }
        return p < 0.95 || p > 99.05 ? String.format(Locale.ROOT, "%.1f%%", p) : Math.round(p) + "%";
    }

    /** A config value as a person writes it: 4 not 4.0. */
    static String value(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(v);
    }
}
