package dev.autotune.domain.search;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * One knob of a search space: a dotted path inside the CloudAI test definition and its finite domain.
 * Numeric knobs hold their values ascending (Long for integers, Double otherwise); categorical knobs hold
 * strings or booleans in the order they were declared. {@code log} says the knob's effect is judged on a log
 * scale (powers of two, token budgets), which the model-based strategy uses for its distances.
 */
public record Knob(String path, Kind kind, List<Object> values, boolean log) {
    public enum Kind { NUMBER, CATEGORY }

    /** Ranges larger than this are a typo (a step of 1 over a token budget), not a search space. */
    static final int MAX_VALUES = 100_000;

    public Knob {
        values = List.copyOf(values);
    }

    /** The error field for this knob, as the space file spells it. */
    public String field() {
        return field(path);
    }

    static String field(String path) {
        return "knobs.\"" + path + "\"";
    }

    /**
     * Values as the space file writes them: a string in quotes, so a {@code "4"} among numbers shows as the string it
     * is ({@code [1, "4", 8]}).
     */
    public static String literal(List<?> values) {
        StringBuilder sb = new StringBuilder("[");
        for (Object v : values) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(v instanceof String s ? "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : v);
        }
        return sb.append(']').toString();
    }

    /**
     * A knob from listed values: all numbers give a NUMBER knob (sorted ascending; Long when every value is whole),
     * strings and booleans a CATEGORY knob in the order given. Empty lists, duplicates, mixed kinds and
     * {@code log} over values that are not positive numbers are errors naming the knob.
     */
    public static Knob of(String path, List<?> values, boolean log) {
        String field = field(path);
        if (values == null || values.isEmpty()) {
            throw new SpaceError(field, "no values");
        }
        boolean numbers = values.stream().allMatch(v -> v instanceof Number);
        boolean categories = values.stream().allMatch(v -> v instanceof String || v instanceof Boolean);
        if (!numbers && !categories) {
            throw new SpaceError(field, "values must be all numbers, or all strings/booleans: " + literal(values));
        }
        if (new HashSet<>(numbers ? values.stream().map(v -> ((Number) v).doubleValue()).toList() : values).size()
                != values.size()) {
            throw new SpaceError(field, "a value is listed twice: " + literal(values));
        }
        if (categories) {
            if (log) {
                throw new SpaceError(field, "log applies to numbers, not to " + literal(values));
            }
            return new Knob(path, Kind.CATEGORY, new ArrayList<>(values), false);
        }
        boolean whole = values.stream().allMatch(v -> {
            double d = ((Number) v).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15;
        });
        List<Object> sorted = values.stream().map(v -> ((Number) v).doubleValue()).sorted()
                .map(d -> whole ? (Object) (long) (double) d : (Object) d).toList();
        if (sorted.stream().anyMatch(v -> !Double.isFinite(((Number) v).doubleValue()))) {
            throw new SpaceError(field, "values must be finite numbers: " + values);
        }
        if (log && ((Number) sorted.get(0)).doubleValue() <= 0) {
            throw new SpaceError(field, "log needs values above 0: " + values);
        }
        return new Knob(path, Kind.NUMBER, sorted, log);
    }

    /**
     * A knob from {@code {start, end, step}}: both ends included when the step lands on them. Integer when start,
     * end and step are all whole; otherwise decimal steps counted exactly (0.1 + 0.2 is 0.3 here).
     */
    public static Knob range(String path, Number start, Number end, Number step, boolean log) {
        String field = field(path);
        if (start == null || end == null || step == null) {
            throw new SpaceError(field, "a range needs start, end and step");
        }
        String[] names = {"start", "end", "step"};
        Number[] given = {start, end, step};
        for (int i = 0; i < 3; i++) {
            if (!Double.isFinite(given[i].doubleValue())) {
                throw new SpaceError(field + "." + names[i], "must be a finite number, got " + given[i]);
            }
        }
        BigDecimal s = new BigDecimal(start.toString());
        BigDecimal e = new BigDecimal(end.toString());
        BigDecimal st = new BigDecimal(step.toString());
        if (st.signum() <= 0) {
            throw new SpaceError(field, "step must be above 0, got " + step);
        }
        if (e.compareTo(s) < 0) {
            throw new SpaceError(field, "empty range: end " + end + " is below start " + start);
        }
        BigDecimal count = e.subtract(s).divideToIntegralValue(st).add(BigDecimal.ONE);
        if (count.compareTo(BigDecimal.valueOf(MAX_VALUES)) > 0) {
            throw new SpaceError(field, "the range has " + count.toBigInteger() + " values (more than "
                    + MAX_VALUES + "); use a larger step or list values");
        }
        // whole numbers are Longs while they fit one; 1e19 and beyond are Doubles like any other large number
        boolean whole = isWhole(s) && isWhole(e) && isWhole(st) && fitsLong(s) && fitsLong(e);
        List<Object> values = new ArrayList<>();
        for (BigDecimal v = s; v.compareTo(e) <= 0; v = v.add(st)) {
            values.add(whole ? (Object) v.longValueExact() : (Object) v.doubleValue());
        }
        return of(path, values, log);
    }

    private static boolean fitsLong(BigDecimal d) {
        return d.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0 && d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
    }

    private static boolean isWhole(BigDecimal d) {
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }
}
