package dev.autotune.api.logging;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LogSetupTest {
    @Test
    void warnings_reach_stderr_in_the_pattern_and_info_stays_quiet() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            var log = LoggerFactory.getLogger("dev.autotune.test.Library");
            log.info("routine detail");
            log.warn("disk almost full");
            log.error("write failed");
        } finally {
            System.setErr(original);
        }
        String err = captured.toString(StandardCharsets.UTF_8);
        assertThat(err.lines()).hasSize(2);
        assertThat(err.lines().toList().get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  dev\\.autotune\\.test\\.Library - disk almost full");
        assertThat(err).contains("ERROR dev.autotune.test.Library - write failed").doesNotContain("routine detail");
    }
}
