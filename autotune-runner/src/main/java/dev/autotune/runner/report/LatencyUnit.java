package dev.autotune.runner.report;

import java.util.Locale;
import java.util.Optional;

/** Time units as tools spell them, converted to the milliseconds every normalized latency uses. */
enum LatencyUnit {
    NANOSECONDS(1e-6),
    MICROSECONDS(1e-3),
    MILLISECONDS(1),
    SECONDS(1000);

    private final double millis;

    LatencyUnit(double millis) {
        this.millis = millis;
    }

    double toMillis(double value) {
        return value * millis;
    }

    double toSeconds(double value) {
        return value * millis / 1000;
    }

    static Optional<LatencyUnit> parse(String unit) {
        if (unit == null) {
            return Optional.empty();
        }
        return switch (unit.strip().toLowerCase(Locale.ROOT)) {
            case "ns", "nanoseconds" -> Optional.of(NANOSECONDS);
            case "us", "µs", "microseconds" -> Optional.of(MICROSECONDS);
            case "ms", "milliseconds" -> Optional.of(MILLISECONDS);
            case "s", "sec", "secs", "second", "seconds" -> Optional.of(SECONDS);
            default -> Optional.empty();
        };
    }
}
