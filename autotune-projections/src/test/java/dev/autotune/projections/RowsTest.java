package dev.autotune.projections;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RowsTest {
    @Test
    void timestampsReadBackExactlyAsInstantWroteThem() {
        for (String text : new String[]{"2026-11-25T00:17:05.469701908Z", "2026-11-25T00:17:05Z",
                "2026-01-02T03:04:05.100Z", "1999-12-31T23:59:59.999999Z", "2024-02-29T12:00:00.000001Z"}) {
            Instant expected = Instant.parse(text);
            assertThat(Rows.instant(text)).as(text).isEqualTo(expected);
            assertThat(Rows.instant(expected.toString())).isEqualTo(expected);
        }
        Instant now = Instant.now();
        assertThat(Rows.instant(now.toString())).isEqualTo(now);
        assertThat(Rows.instant("2026-11-25T01:02:03+01:00")).isEqualTo(Instant.parse("2026-11-25T00:02:03Z"));
        assertThat(Rows.instant(null)).isNull();
    }
}
