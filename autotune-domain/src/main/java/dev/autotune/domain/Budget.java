package dev.autotune.domain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A limit on one metric: {@code latency_ms <= 200} or {@code throughput_tokens_per_sec >= 300}. */
public record Budget(Metric metric, Bound bound, double limit) {
    public enum Bound {
        AT_MOST("<="), AT_LEAST(">=");

        private final String symbol;

        Bound(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    public enum Verdict { PASS, FAIL, UNKNOWN }

    private static final Pattern EXPRESSION = Pattern.compile("\\s*([A-Za-z0-9_]+)\\s*(<=|>=)\\s*(\\S+)\\s*");

    public Budget {
        if (Double.isNaN(limit) || Double.isInfinite(limit)) {
            throw new IllegalArgumentException("budget for " + metric.key() + " must be a finite number");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("budget for " + metric.key() + " must not be negative, got " + limit);
        }
        if (metric == Metric.FAILURE_RATE && limit > 1) {
            throw new IllegalArgumentException("failure_rate budget is a fraction between 0 and 1, got " + limit);
        }
    }

    public static Budget atMost(Metric metric, double limit) {
        return new Budget(metric, Bound.AT_MOST, limit);
    }

    public static Budget atLeast(Metric metric, double limit) {
        return new Budget(metric, Bound.AT_LEAST, limit);
    }

    /** Parses {@code name<=value} or {@code name>=value}. */
    public static Budget parse(String expression) {
        Matcher m = EXPRESSION.matcher(expression);
        if (!m.matches()) {
            throw new IllegalArgumentException("budget '" + expression + "' must look like metric<=value or metric>=value");
        }
        Metric metric = Metric.parse(m.group(1));
        double limit = parseNumber(m.group(3), "budget for " + metric.key());
        return new Budget(metric, m.group(2).equals("<=") ? Bound.AT_MOST : Bound.AT_LEAST, limit);
    }

    public static double parseNumber(String text, String what) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number, got '" + text + "'");
        }
    }

    public Verdict check(Double value) {
        if (value == null) {
            return Verdict.UNKNOWN;
        }
        boolean ok = bound == Bound.AT_MOST ? value <= limit : value >= limit;
        return ok ? Verdict.PASS : Verdict.FAIL;
    }

    /** How far past the limit a value is; positive when broken. */
    public double excess(double value) {
        return bound == Bound.AT_MOST ? value - limit : limit - value;
    }

    @Override
    public String toString() {
        return metric.key() + bound.symbol + format(limit);
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
