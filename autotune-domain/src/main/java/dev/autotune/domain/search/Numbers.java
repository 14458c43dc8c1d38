package dev.autotune.domain.search;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** How search reasons write numbers: grouped thousands, three significant figures below 100. */
final class Numbers {
    private Numbers() {
    }

    static String format(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        String pattern = a >= 100 ? "#,##0" : a >= 10 ? "#,##0.#" : a >= 1 ? "0.##" : "0.###";
        return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT)).format(v);
    }

    /** A config value as a person writes it: 4 not 4.0. */
    static String value(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(v);
    }
}
