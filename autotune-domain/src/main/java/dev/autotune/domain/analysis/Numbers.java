package dev.autotune.domain.analysis;

import dev.autotune.domain.Metric;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How numbers read in everything this package renders. One rule everywhere, so a value looks the same in a
 * reason, a Markdown table and a budget breach.
 */
public final class Numbers {
    /** What a missing number reads as in human-facing output. */
    public static final String MISSING = "-";

    private Numbers() {
    }

    /**
     * Integral values without decimals; otherwise up to 2 decimals, or 4 when {@code |v| < 1} so small
     * fractions such as failure rates stay distinguishable; trailing zeros stripped. Rounding is half-up on the
     * decimal value (0.125 reads 0.125, 2.345 reads 2.35), not on the binary approximation.
     */
    public static String format(Double value) {
        if (value == null) {
            return MISSING;
        }
        double v = value;
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v); // also turns -0.0 into 0
        }
        int scale = Math.abs(v) < 1 ? 4 : 2;
        String fast = roundedInBinary(v, scale);
        return fast != null ? fast : roundedInDecimal(v, scale);
    }

    /** The rule itself: half-up on the shortest decimal text of the value. */
    static String roundedInDecimal(double v, int scale) {
        BigDecimal rounded = BigDecimal.valueOf(v).setScale(scale, RoundingMode.HALF_UP).stripTrailingZeros();
        return rounded.signum() == 0 ? "0" : rounded.toPlainString();
    }

    /**
     * The same result in long arithmetic, without BigDecimal (a 10,000-row list formats 40,000 numbers), or
     * null where binary arithmetic could round differently from the decimal rule. Below 1e12 scaled units the
     * product |v| * 10^scale is within 3e-4 of the decimal value's, so it can only decide differently when its
     * fraction lies that close to one half; within 1e-3 of it the decimal rule decides.
     */
    static String roundedInBinary(double v, int scale) {
        double scaled = Math.abs(v) * (scale == 2 ? 100 : 10_000);
        if (!(scaled < 1e12)) {
            return null;
        }
        double whole = Math.floor(scaled);
        double fraction = scaled - whole;
        if (Math.abs(fraction - 0.5) < 1e-3) {
            return null;
        }
        long units = (long) whole + (fraction > 0.5 ? 1 : 0);
        if (units == 0) {
            return "0";
        }
        long unit = scale == 2 ? 100 : 10_000;
        long decimals = units % unit;
        long integer = units / unit;
        // written from the right into one buffer (a list formats 40,000 numbers): sign, at most 11 integer
        // digits below the 1e12 cap, the point and at most 4 decimals
        char[] out = new char[20];
        int pos = out.length;
        if (decimals != 0) {
            int digits = scale;
            while (decimals % 10 == 0) {
                decimals /= 10;
                digits--;
            }
            for (int i = 0; i < digits; i++) {
                out[--pos] = (char) ('0' + decimals % 10);
                decimals /= 10;
            }
            out[--pos] = '.';
        }
        do {
            out[--pos] = (char) ('0' + integer % 10);
            integer /= 10;
        } while (integer != 0);
        if (v < 0) {
            out[--pos] = '-';
        }
        return new String(out, pos, out.length - pos);
    }

    /**
     * A knob or config value for humans: numbers through {@link #format(Double)}, lists as {@code [a, b]},
     * everything else as its text.
     */
    public static String format(Object value) {
        if (value == null) {
            return MISSING;
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return format(((Number) value).doubleValue());
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Numbers::format).collect(Collectors.joining(", ", "[", "]"));
        }
        return value.toString();
    }

    /**
     * The shortest exact decimal text of a value, never in exponent form. For data exports (CSV), where a
     * reader computes with the numbers and rounding to 2 decimals would lose information.
     */
    public static String exact(Double value) {
        if (value == null) {
            return "";
        }
        double v = value;
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** A metric value with its unit, e.g. {@code 260 ms}; unitless metrics read as the bare number. */
    public static String withUnit(Metric m, double v) {
        return format(v) + (m.unit().isEmpty() ? "" : " " + m.unit());
    }

    /** A percentage with a sign, e.g. {@code +30%} or {@code -12.5%}. */
    public static String signedPercent(double percent) {
        String text = format(percent);
        return (percent > 0 ? "+" : "") + text + "%";
    }
}
