package dev.autotune.api.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** How numbers, times and config values read in the terminal. */
final class Formats {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** Integral values without decimals, small values with enough digits to tell them apart. */
    static String number(Double value) {
        if (value == null) {
            return "-";
        }
        double v = value;
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        // BigDecimal rather than String.format: a 10,000-row list formats tens of thousands of cells
        return BigDecimal.valueOf(v).setScale(Math.abs(v) < 1 ? 4 : 2, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }

    static String value(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Double d) {
            return number(d);
        }
        if (value instanceof Float f) {
            return number(f.doubleValue());
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Formats::value).toList().toString();
        }
        return value.toString();
    }

    static String when(Instant instant) {
        return instant == null ? "-" : WHEN.format(instant);
    }
}
