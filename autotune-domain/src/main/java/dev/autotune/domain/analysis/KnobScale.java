package dev.autotune.domain.analysis;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * The arithmetic of one knob's values: midpoints, doubling and halving, in exact decimals so 0.8 and 0.9 meet
 * at 0.85 rather than 0.8500000000000001, and on integers when the knob is an integer knob.
 *
 * @param integral every tested value was written as an integer, so suggestions must be integers too
 */
record KnobScale(boolean integral) {
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

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
        BigDecimal sum = from.add(to);
        BigDecimal mid;
        if (integral) {
            RoundingMode towardFrom = from.compareTo(to) < 0 ? RoundingMode.FLOOR : RoundingMode.CEILING;
            mid = sum.divide(TWO, 0, towardFrom);
        } else {
            // the exact decimal midpoint, then onto the double grid the knob will be written with
            mid = of(sum.divide(TWO).doubleValue());
        }
        BigDecimal lo = from.min(to);
        BigDecimal hi = from.max(to);
        return mid.compareTo(lo) > 0 && mid.compareTo(hi) < 0 ? Optional.of(mid.stripTrailingZeros()) : Optional.empty();
    }

    /** One step beyond {@code v}: double it, or +1 from 0 where doubling would go nowhere. */
    BigDecimal extend(BigDecimal v) {
        return (v.signum() == 0 ? v.add(BigDecimal.ONE) : v.add(v.abs())).stripTrailingZeros();
    }

    /**
     * Half of {@code v}, below it: integer knobs floor with a minimum of 1, so empty once {@code v} is 1 or
     * less; float knobs halve down to but not through 0.
     */
    Optional<BigDecimal> halve(BigDecimal v) {
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
