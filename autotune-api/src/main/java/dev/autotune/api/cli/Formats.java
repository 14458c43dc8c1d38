package dev.autotune.api.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

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
        String text = Math.abs(v) < 1 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.2f", v);
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
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
