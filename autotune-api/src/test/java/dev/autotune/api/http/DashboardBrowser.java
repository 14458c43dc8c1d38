package dev.autotune.api.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The set-up every dashboard test shares: one real headless Chromium per test class (skipped without one, failed
 * in CI), no console errors after any test, downloads saved where a test can read them, and the ways the tests
 * wait for and read the pages. Each class starts one server over its own database, shared by its tests.
 */
abstract class DashboardBrowser {
    static ChromeDriver browser;
    static Path downloads;

    @BeforeAll
    static void startBrowser(TestInfo test) throws Exception {
        Browser.Install install = Browser.required(test.getTestClass().map(Class::getSimpleName).orElse("dashboard"));
        browser = Browser.start(install);
        downloads = Files.createTempDirectory("autotune-downloads");
        // headless Chromium saves downloads only where it is told to
        browser.executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    }

    @AfterAll
    static void quitBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    @AfterEach
    void noScriptErrors() {
        if (browser != null) {
            assertThat(Browser.consoleErrors(browser)).as("browser console errors").isEmpty();
        }
    }

    /** Waits, ignoring elements a re-render replaced while they were being read. */
    static WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** A full page load: only changing the hash of the page already open would not reload it. */
    static void open(TestServer server, String hash) {
        browser.get("about:blank");
        browser.get(server.base() + "/" + hash);
    }

    /** Forgets what earlier pages saved (budgets, the chosen scenario), for a test that starts fresh. */
    static void forgetSettings(TestServer server) {
        browser.get(server.base() + "/");
        browser.executeScript("localStorage.clear();");
    }

    static List<WebElement> rows(String tableId) {
        return browser.findElements(By.cssSelector("#" + tableId + " tbody tr"));
    }

    static WebElement row(String tableId, String firstCell) {
        return rows(tableId).stream().filter(r -> r.findElement(By.tagName("td")).getText().equals(firstCell))
                .findFirst().orElseThrow(() -> new AssertionError(firstCell + " not in #" + tableId));
    }

    /** Pixels the chart drew: an empty canvas is fully transparent. */
    static long paintedPixels(String canvasId) {
        Object n = browser.executeScript("const c = document.getElementById(arguments[0]);"
                + "if (!c || !c.width) return 0;"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;", canvasId);
        return ((Number) n).longValue();
    }
}
