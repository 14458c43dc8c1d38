package dev.autotune.runner.report;

import dev.autotune.runner.config.Hashing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * The identity of one benchmark run, built from figures every format of the tool states exactly, so the JSON,
 * CSV and per-request JSONL AIPerf writes for one run give the same fingerprint and another run gives another.
 * Counts and token totals are integers in every format; a duration is compared at the precision of the
 * coarsest format (AIPerf's CSV prints two decimals). The figures are hashed so the stored value says nothing
 * by itself and has one length.
 */
final class RunFingerprint {
    private final StringJoiner parts;
    private boolean complete = true;

    private RunFingerprint(String tool) {
        parts = new StringJoiner("|", tool + "|", "");
    }

    static RunFingerprint of(String tool) {
        return new RunFingerprint(tool);
    }

    /** A count or token total; a fractional or missing one leaves the run without a fingerprint. */
    RunFingerprint count(String name, Double value) {
        if (value == null || value.isNaN() || value.isInfinite() || value != Math.rint(value)) {
            complete = false;
        } else {
            parts.add(name + "=" + (long) (double) value);
        }
        return this;
    }

    /** A value rounded half-even to {@code decimals}, as Python's {@code f"{v:.2f}"} prints it. */
    RunFingerprint rounded(String name, Double value, int decimals) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            complete = false;
        } else {
            parts.add(name + "=" + new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString());
        }
        return this;
    }

    /** A text the tool wrote, such as a run id. */
    RunFingerprint text(String name, String value) {
        if (value == null || value.isBlank()) {
            complete = false;
        } else {
            parts.add(name + "=" + value);
        }
        return this;
    }

    /** The fingerprint, or null when a part was missing. */
    String value() {
        return complete ? Hashing.sha256(parts.toString().getBytes(StandardCharsets.UTF_8)) : null;
    }
}
