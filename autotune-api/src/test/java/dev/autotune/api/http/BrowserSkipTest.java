package dev.autotune.api.http;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Without Chromium and chromedriver the dashboard tests are skipped, and the build's console says which class and
 * why (Maven alone shows such a class as "Tests run: 0"); in CI they fail instead.
 */
class BrowserSkipTest {
    @Test
    void withoutABrowserTheClassIsSkippedAndTheConsoleSaysWhy() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Browser.required(Optional.empty(), false, "DashboardIT", console))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("no Chromium and chromedriver found");
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .startsWith("[WARNING] DashboardIT: browser tests skipped: no Chromium and chromedriver found")
                .contains("apt-get install chromium chromium-driver");
    }

    @Test
    void inCiAMissingBrowserIsAFailure() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThatThrownBy(() -> Browser.required(Optional.empty(), true, "DashboardIT",
                new PrintStream(bytes, true, StandardCharsets.UTF_8)))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("CI must run the browser tests");
    }

    @Test
    void withABrowserNothingIsPrinted() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Browser.Install install = new Browser.Install(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromedriver"));
        assertThat(Browser.required(Optional.of(install), true, "DashboardIT",
                new PrintStream(bytes, true, StandardCharsets.UTF_8))).isEqualTo(install);
        assertThat(bytes.size()).isZero();
    }
}
