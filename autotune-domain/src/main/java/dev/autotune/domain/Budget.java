package dev.autotune.domain;

import java.util.ArrayList;
import java.util.List;
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
    private static final Pattern PAIR = Pattern.compile("\\s*([A-Za-z0-9_]+)\\s*(<=|>=|=)\\s*(\\S+)\\s*");

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

    /**
     * Parses {@code name<=value} or {@code name>=value}. Every budget form goes through {@link #of}: this one, the
     * quoting-free {@code name=value} of {@code --max}/{@code --min} ({@link #bounded}) and the named options.
     */
    public static Budget parse(String expression) {
        Matcher m = EXPRESSION.matcher(expression);
        if (!m.matches()) {
            throw new IllegalArgumentException("budget '" + expression + "' must look like metric<=value or metric>=value");
        }
        return of(m.group(1), m.group(2).equals("<=") ? Bound.AT_MOST : Bound.AT_LEAST, m.group(3));
    }

    /**
     * Parses {@code name=value} with the bound given apart: {@code tpot_ms=10} as an upper bound is
     * {@code tpot_ms<=10}. The form needs no shell quoting. {@code name<=value} with the matching bound is accepted
     * too; with the other bound it is refused rather than silently turned around.
     */
    public static Budget bounded(String pair, Bound bound) {
        Matcher m = PAIR.matcher(pair);
        if (!m.matches()) {
            throw new IllegalArgumentException("budget '" + pair + "' must look like metric=value, e.g. tpot_ms=10");
        }
        String op = m.group(2);
        if (!op.equals("=") && !op.equals(bound.symbol)) {
            throw new IllegalArgumentException("budget '" + pair + "' says " + op + " where " + bound.symbol
                    + " is meant; write it as " + m.group(1) + "=" + m.group(3));
        }
        return of(m.group(1), bound, m.group(3));
    }

    /** A budget from its parts as typed: the metric's name, the bound and the limit's text. */
    public static Budget of(String metricName, Bound bound, String limitText) {
        Metric metric = Metric.parse(metricName.trim());
        return new Budget(metric, bound, parseNumber(limitText, "budget for " + metric.key()));
    }

    public static double parseNumber(String text, String what) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number, got '" + text.trim() + "'");
        }
    }

    /**
     * The budgets of a saved profile with the ones given beside it: a given budget replaces the profile's budget on
     * the same metric in the same direction ({@code --latency-budget-ms 150} beside a profile's
     * {@code latency_ms<=200}); every other budget of either list is kept, the profile's first.
     */
    public static List<Budget> overriding(List<Budget> saved, List<Budget> given) {
        List<Budget> out = new ArrayList<>();
        for (Budget b : saved) {
            if (given.stream().noneMatch(g -> g.metric == b.metric && g.bound == b.bound)) {
                out.add(b);
            }
        }
        out.addAll(given);
        return out;
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
