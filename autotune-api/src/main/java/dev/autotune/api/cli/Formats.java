package dev.autotune.api.cli;

import java.time.Instant;
import java.time.LocalDateTime;
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

    /** yyyy-MM-dd HH:mm in UTC, written directly: a formatter per row of a long list is measurable. */
    static String when(Instant instant) {
        if (instant == null) {
            return "-";
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        if (t.getYear() < 1000 || t.getYear() > 9999) {
            return WHEN.format(instant);
        }
        char[] out = {
                digit(t.getYear() / 1000), digit(t.getYear() / 100), digit(t.getYear() / 10), digit(t.getYear()), '-',
                digit(t.getMonthValue() / 10), digit(t.getMonthValue()), '-',
                digit(t.getDayOfMonth() / 10), digit(t.getDayOfMonth()), ' ',
                digit(t.getHour() / 10), digit(t.getHour()), ':', digit(t.getMinute() / 10), digit(t.getMinute())};
        return new String(out);
    }

    private static char digit(int v) {
        return (char) ('0' + v % 10);
    }
}
