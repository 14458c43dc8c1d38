package dev.autotune.api.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's filter box and corrections (issue 14) in real headless Chromium against a real server, set up as
 * {@link DashboardIT} is: the demo history, one browser for the class.
 */
class CorrectionsDashboardIT {
    @TempDir
    static Path dir;
    static TestServer api;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Browser.Install install = Browser.required();
        api = TestServer.start(dir).withDemo();
        browser = Browser.start(install);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (api != null) {
            api.close();
        }
    }

    @AfterEach
    void noScriptErrors() {
        if (browser != null) {
            assertThat(Browser.consoleErrors(browser)).as("browser console errors").isEmpty();
        }
    }

    static WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    static void open(String hash) {
        browser.get("about:blank");
        browser.get(api.base() + "/" + hash);
    }

    static List<String> ids() {
        return browser.findElements(By.cssSelector("#history-table tbody tr")).stream()
                .map(r -> r.getAttribute("data-id")).toList();
    }

    @Test
    void theFilterBoxFiltersTheHistoryAndShowsWhyAFilterCannotBeRead() {
        open("#/history");
        waiting().until(d -> ids().size() == 3);
        WebElement where = browser.findElement(By.id("filter-where"));
        where.sendKeys("knob.batch_size >= 4 and metric.latency_ms < 200", Keys.ENTER);
        waiting().until(d -> ids().equals(List.of("2")));
        assertThat(browser.getCurrentUrl()).contains("where=");

        WebElement again = waiting().until(d -> d.findElement(By.id("filter-where")));
        again.clear();
        again.sendKeys("metric.latency_ms < (200");
        browser.findElement(By.id("apply-where")).click();
        String error = waiting().until(d -> d.findElement(By.cssSelector("#history .error")).getText());
        assertThat(error).contains("position 25: missing ')'").contains("where");
    }

    @Test
    void aNoteAddedLaterShowsInTheRunPagesNotes() {
        open("#/run/2");
        waiting().until(d -> !d.findElement(By.id("notes")).getText().isEmpty());
        assertThat(browser.findElements(By.cssSelector("#notes .note-added"))).isEmpty();
        var added = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base()
                        + "/api/experiments/2/notes")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"note\": \"node dgx-3 was throttling\"}")));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        open("#/run/2");
        String shown = waiting().until(d -> d.findElement(By.cssSelector("#notes .note-added")).getText());
        assertThat(shown).startsWith("node dgx-3 was throttling");
        assertThat(browser.findElement(By.id("notes")).getText()).doesNotContain("no notes");
    }

    @Test
    void theExperimentPageTagsExcludesAndIncludesAndTheTimelineListsIt() {
        open("#/run/1");
        WebElement tag = waiting().until(d -> d.findElement(By.id("tag-input")));
        tag.sendKeys("gpu=H100");
        browser.findElement(By.id("tag-button")).click();
        waiting().until(d -> d.findElement(By.cssSelector("#tags .chip")).getText().startsWith("gpu=H100"));
        waiting().until(d -> d.findElement(By.id("timeline")).getText().contains("ExperimentTagged"));

        waiting().until(d -> d.findElement(By.id("exclude-reason"))).sendKeys("wrong model loaded");
        browser.findElement(By.id("exclude-button")).click();
        String banner = waiting().until(d -> d.findElement(By.id("excluded")).getText());
        assertThat(banner).contains("wrong model loaded");
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("ExperimentExcluded");

        open("#/history");
        waiting().until(d -> ids().equals(List.of("3", "2")));
        browser.findElement(By.id("include-excluded")).click();
        waiting().until(d -> ids().equals(List.of("3", "2", "1")));
        assertThat(browser.findElement(By.cssSelector("tr[data-id='1'] .status.excluded")).getText()).isEqualTo("excluded");

        open("#/run/1");
        waiting().until(d -> d.findElement(By.id("include-button"))).click();
        waiting().until(d -> d.findElements(By.id("excluded")).isEmpty()
                && d.findElement(By.id("timeline")).getText().contains("ExperimentIncluded"));
        // an empty exclusion reason is refused by the server, and the page shows why
        waiting().until(d -> d.findElement(By.id("exclude-button"))).click();
        String refused = waiting().until(d -> d.findElement(By.cssSelector("#correction-error .error")).getText());
        assertThat(refused).contains("say why");
    }
}
