package dev.autotune.runner.report;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.regex.Pattern;

/**
 * When a report says its benchmark ran, in the forms the tools write it: epoch nanoseconds (AIPerf's
 * min_request_timestamp), epoch seconds (GuideLLM's start_time), ISO date-times (AIPerf's start_time) and vLLM's
 * {@code YYYYmmdd-HHMMSS} date. Several tools write the local time of the machine that ran without its zone;
 * that time is read as UTC, because nothing in the file says more (no warning: it would be on every such
 * report of a bulk ingest, and the README says so once). Times are kept to the
 * millisecond: the formats of one run state the same instant at different precisions (a double of epoch ns
 * in AIPerf's JSON, the exact integer in its JSONL).
 */
final class StatedTime {
    private static final DateTimeFormatter VLLM_DATE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Pattern VLLM_SHAPE = Pattern.compile("\\d{8}-\\d{6}");
    /** Before 2000 or after 2200 an epoch value is in another unit or not a time at all. */
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

    private StatedTime() {
    }

    static Instant fromEpochNanos(Double ns) {
        return ns == null ? null : plausible(Instant.ofEpochMilli((long) Math.floor(ns / 1e6)));
    }

    static Instant fromEpochNanos(long ns) {
        return plausible(Instant.ofEpochMilli(Math.floorDiv(ns, 1_000_000L)));
    }

    static Instant fromEpochSeconds(Double seconds) {
        return seconds == null ? null : plausible(Instant.ofEpochMilli((long) Math.floor(seconds * 1000)));
    }

    /**
     * An ISO date-time with or without offset, or vLLM's {@code 20250101-120000}; null when the text is none of
     * them (a report's time is a fact worth having, not a reason to refuse its metrics).
     */
    static Instant fromText(String text, String field, Readings out) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        // one parse, by a formatter picked from the text's shape: trying ISO with offset, then without, then
        // vLLM's form threw two exceptions per vLLM report, which cost more than the rest of reading its facts
        DateTimeFormatter format = VLLM_SHAPE.matcher(t).matches() ? VLLM_DATE : DateTimeFormatter.ISO_DATE_TIME;
        try {
            TemporalAccessor parsed = format.parse(t);
            ZoneOffset offset = parsed.query(TemporalQueries.offset());
            return plausible(LocalDateTime.from(parsed).toInstant(offset != null ? offset : ZoneOffset.UTC)
                    .truncatedTo(ChronoUnit.MILLIS));
        } catch (DateTimeException notATime) {
            out.warn(field + " '" + cut(t) + "' is not a date and time; the measured time is left absent");
            return null;
        }
    }

    private static Instant plausible(Instant at) {
        return at.isBefore(EARLIEST) || at.isAfter(LATEST) ? null : at;
    }

    /** At most 40 characters of a value, on one line, for a warning. */
    private static String cut(String s) {
        String line = s.replaceAll("\\s+", " ");
        return line.length() <= 40 ? line : line.substring(0, 40) + "...";
    }
}
