package dev.autotune.api.render;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The terminal's "when": minutes in UTC, whatever order the times come in (it keeps the last minute written). */
class FormatsTest {
    @Test
    void whenIsTheMinuteInUtcForEveryTimeInAnyOrder() {
        assertThat(Formats.when(Instant.parse("2026-12-08T00:04:01Z"))).isEqualTo("2026-12-08 00:04");
        assertThat(Formats.when(Instant.parse("2026-12-08T00:04:59.999Z"))).isEqualTo("2026-12-08 00:04");
        assertThat(Formats.when(Instant.parse("2026-12-08T00:05:00Z"))).isEqualTo("2026-12-08 00:05");
        // back to an earlier minute, and the same minute of another day
        assertThat(Formats.when(Instant.parse("2026-12-08T00:04:30Z"))).isEqualTo("2026-12-08 00:04");
        assertThat(Formats.when(Instant.parse("2026-12-07T00:04:30Z"))).isEqualTo("2026-12-07 00:04");
        // before 1970 the epoch minute is negative: a second before midnight is still the minute before
        assertThat(Formats.when(Instant.parse("1969-12-31T23:59:59Z"))).isEqualTo("1969-12-31 23:59");
        assertThat(Formats.when(Instant.parse("1970-01-01T00:00:00Z"))).isEqualTo("1970-01-01 00:00");
        assertThat(Formats.when(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo("+10000-01-01 00:00");
        assertThat(Formats.when(null)).isEqualTo("-");
    }
}
