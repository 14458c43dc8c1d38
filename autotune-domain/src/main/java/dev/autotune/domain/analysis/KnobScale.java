package dev.autotune.domain.analysis;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The arithmetic of one knob's values on the knob's lattice: midpoints, doubling and halving, in exact decimals so
 * 0.8 and 0.9 meet at 0.85 rather than 0.8500000000000001, on integers when the knob is an integer knob, on powers
 * of two for a parallel size or a doubling sweep (the geometric midpoint, snapped to a power of two: see
 * {@link #of}), and on the values a search space declares for the knob when there are some.
 *
 * @param integral    every tested value was written as an integer, so suggestions must be integers too
 * @param powersOfTwo every tested value is an integer power of two: suggestions are powers of two
 * @param domain      the values a space declares for this knob, ascending; empty when none is declared
 */
record KnobScale(boolean integral, boolean powersOfTwo, List<BigDecimal> domain) {
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    KnobScale {
        domain = domain == null ? List.of() : List.copyOf(new TreeSet<>(domain));
    }

    /** A plain scale: integers or decimals, no lattice. */
    KnobScale(boolean integral) {
        this(integral, false, List.of());
    }

    /**
     * The scale of a knob from every value the history holds for it, and the values a space declares (may be empty):
     * the lattice is the declared domain when there is one; else powers of two when the measured values are (two
     * distinct ones at least) and either the knob is a parallel size ({@code tp}, {@code pp}, {@code dp},
     * {@code ep}: a GPU count, powers of two by nature) or the values are a doubling progression of three values at
     * least (16, 32, 64): a
     * sweep written that way says the knob lives on powers of two; else the integers or decimals the values are
     * written in (a batch size tried at 1, 4 and 8 may well be 6).
     */
    static KnobScale of(Collection<?> measured, Collection<?> declared, boolean parallelSize) {
        List<Object> values = measured.stream().filter(Objects::nonNull).map(v -> (Object) v).toList();
        boolean integral = values.stream().allMatch(KnobValues::isIntegerTyped);
        List<BigDecimal> domain = declared == null ? List.of() : declared.stream().filter(KnobValues::isNumber)
                .map(v -> KnobValues.decimal((Number) v).stripTrailingZeros()).toList();
        TreeSet<BigDecimal> distinct = new TreeSet<>();
        values.stream().filter(KnobValues::isNumber).forEach(v -> distinct.add(KnobValues.decimal((Number) v)));
        boolean pow2 = integral && distinct.size() >= 2 && distinct.stream().allMatch(KnobScale::isPowerOfTwo)
                && (parallelSize || distinct.size() >= 3 && doubling(distinct));
        return new KnobScale(integral, pow2, domain);
    }

    /** Each value twice the one before it. */
    private static boolean doubling(TreeSet<BigDecimal> ascending) {
        BigDecimal previous = null;
        for (BigDecimal v : ascending) {
            if (previous != null && v.compareTo(previous.multiply(TWO)) != 0) {
                return false;
            }
            previous = v;
        }
        return true;
    }

    static boolean isPowerOfTwo(BigDecimal v) {
        if (v.signum() <= 0 || v.stripTrailingZeros().scale() > 0) {
            return false;
        }
        BigInteger i = v.toBigIntegerExact();
        return i.bitCount() == 1;
    }

    /** What the lattice is, for a reason: "no power of two", "no value the space declares", "no integer". */
    String noneBetween() {
        return !domain.isEmpty() ? "no value the space declares" : powersOfTwo ? "no power of two"
                : integral ? "no integer" : "no value";
    }

    /** A number from the history, on this scale's exact grid (doubles via their shortest text). */
    BigDecimal of(Number n) {
        return KnobValues.decimal(n).stripTrailingZeros();
    }

    /**
     * The midpoint of {@code from} and {@code to}, strictly between them. On an integer knob a half is rounded
     * toward {@code from}, which is the known-good side (the best value), so the suggestion errs on the safe
     * side. Empty when no such value exists (adjacent integers).
     */
    Optional<BigDecimal> between(BigDecimal from, BigDecimal to) {
        BigDecimal lo = from.min(to);
        BigDecimal hi = from.max(to);
        if (!domain.isEmpty()) {
            // the declared value nearest the midpoint (geometric on powers of two), ties toward from
            double target = powersOfTwo ? Math.sqrt(from.doubleValue() * to.doubleValue())
                    : from.add(to).doubleValue() / 2;
            return domain.stream().filter(v -> v.compareTo(lo) > 0 && v.compareTo(hi) < 0)
                    .min(java.util.Comparator.comparingDouble((BigDecimal v) -> Math.abs(v.doubleValue() - target))
                            .thenComparingDouble(v -> Math.abs(v.doubleValue() - from.doubleValue())));
        }
        if (powersOfTwo) {
            // the geometric midpoint, snapped to the power of two nearest it (in log2), ties toward from
            double log = (Math.log(from.doubleValue()) + Math.log(to.doubleValue())) / 2 / Math.log(2);
            long exponent = from.compareTo(to) < 0 ? (long) Math.floor(log + 0.5 - 1e-9) : (long) Math.ceil(log - 0.5 + 1e-9);
            BigDecimal snapped = new BigDecimal(BigInteger.ONE.shiftLeft((int) Math.max(0, exponent)));
            return snapped.compareTo(lo) > 0 && snapped.compareTo(hi) < 0 ? Optional.of(snapped) : Optional.empty();
        }
        BigDecimal sum = from.add(to);
        BigDecimal mid;
        if (integral) {
            RoundingMode towardFrom = from.compareTo(to) < 0 ? RoundingMode.FLOOR : RoundingMode.CEILING;
            mid = sum.divide(TWO, 0, towardFrom);
        } else {
            // the exact decimal midpoint, then onto the double grid the knob will be written with
            mid = of(sum.divide(TWO).doubleValue());
        }
        return mid.compareTo(lo) > 0 && mid.compareTo(hi) < 0 ? Optional.of(mid.stripTrailingZeros()) : Optional.empty();
    }

    /** One step beyond {@code v}: double it, or +1 from 0 where doubling would go nowhere. */
    BigDecimal extend(BigDecimal v) {
        if (!domain.isEmpty() && domain.stream().anyMatch(d -> d.compareTo(v) > 0)) {
            return domain.stream().filter(d -> d.compareTo(v) > 0).findFirst().orElseThrow();
        }
        return (v.signum() == 0 ? v.add(BigDecimal.ONE) : v.add(v.abs())).stripTrailingZeros();
    }

    /**
     * Half of {@code v}, below it: integer knobs floor with a minimum of 1, so empty once {@code v} is 1 or
     * less; float knobs halve down to but not through 0.
     */
    Optional<BigDecimal> halve(BigDecimal v) {
        if (!domain.isEmpty()) {
            return domain.stream().filter(d -> d.compareTo(v) < 0).reduce((a, b) -> b);
        }
        if (integral) {
            if (v.compareTo(BigDecimal.ONE) <= 0) {
                return Optional.empty();
            }
            return Optional.of(v.divide(TWO, 0, RoundingMode.FLOOR).max(BigDecimal.ONE));
        }
        return v.signum() <= 0 ? Optional.empty() : Optional.of(of(v.divide(TWO).doubleValue()));
    }

    /** The value as a recommendation carries it: Long on an integer knob, Double otherwise. */
    Object value(BigDecimal v) {
        return v == null ? null : integral ? (Object) v.longValueExact() : (Object) v.doubleValue();
    }

    String format(BigDecimal v) {
        return Numbers.format(value(v));
    }
}
