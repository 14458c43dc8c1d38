package dev.autotune.api.render;

import dev.autotune.domain.analysis.Numbers;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How numbers, times and config values read in the terminal. */
public final class Formats {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** The same number rule as every rendered report, so the terminal and the Markdown agree. */
    public static String number(Double value) {
        return Numbers.format(value);
    }

    public static String value(Object value) {
        return Numbers.format(value);
    }

    /**
     * The last minute {@link #when} wrote: the rows of a long list come in time order, many in the same minute (a
     * sweep's points, a repeat's runs). One immutable pair, so threads sharing it see a whole one or another.
     */
    private static volatile Minute lastMinute = new Minute(Long.MIN_VALUE, "");

    private record Minute(long epochMinute, String text) {
    }

    /** yyyy-MM-dd HH:mm in UTC, written directly: a formatter per row of a long list is measurable. */
    public static String when(Instant instant) {
        if (instant == null) {
            return "-";
        }
        long epochMinute = Math.floorDiv(instant.getEpochSecond(), 60);
        Minute last = lastMinute;
        if (last.epochMinute() == epochMinute) {
            return last.text();
        }
        String text = minute(instant);
        lastMinute = new Minute(epochMinute, text);
        return text;
    }

    private static String minute(Instant instant) {
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
