package dev.autotune.runner.report;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Numbers written as text by the tools (CSV cells, log lines). GenAI-Perf formats with {@code f"{v:,.2f}"},
 * so {@code "1,146.31"} is one number; every tool prints a missing statistic as one of the NOT_A_VALUE words.
 */
final class NumberText {
    private static final Set<String> NOT_A_VALUE =
            Set.of("", "n/a", "na", "nan", "-nan", "none", "null", "-", "inf", "-inf", "infinity", "-infinity");
    private static final Pattern PLAIN = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern THOUSANDS = Pattern.compile("[-+]?\\d{1,3}(,\\d{3})+(\\.\\d*)?");

    private NumberText() {
    }

    /**
     * The number in {@code text}, or null when the tool wrote "no value". {@code where} names the cell for
     * the error raised when the text is neither.
     */
    static Double parse(String text, String where) {
        String t = text == null ? "" : text.strip();
        if (NOT_A_VALUE.contains(t.toLowerCase(Locale.ROOT))) {
            return null;
        }
        if (THOUSANDS.matcher(t).matches()) {
            t = t.replace(",", "");
        }
        if (!PLAIN.matcher(t).matches()) {
            throw new ReportProblem(where + ": '" + abbreviate(t) + "' is not a number");
        }
        return Double.parseDouble(t);
    }

    /** An accuracy or rate written as "35.00%", 35 or 0.35, as a fraction (the CloudAI rule: above 1 means percent). */
    static Double parseFraction(String text, String where) {
        String t = text == null ? "" : text.strip();
        boolean percent = t.endsWith("%");
        Double value = parse(percent ? t.substring(0, t.length() - 1) : t, where);
        return value == null ? null : fraction(value, percent);
    }

    static double fraction(double value, boolean percent) {
        return percent || value > 1 ? value / 100 : value;
    }

    /** A value as the report would write it: 1.5, 150, 0.015 (no exponent, no trailing zeros). */
    static String plain(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
