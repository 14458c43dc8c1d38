package dev.autotune.api.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's filter box and corrections (issue 14) in real headless Chromium against a real server, set up as
 * {@link DashboardIT} is: the demo history, one browser and one server for the class.
 */
class CorrectionsDashboardIT extends DashboardBrowser {
    @TempDir
    static Path dir;
    static TestServer api;

    @BeforeAll
    static void start() {
        api = TestServer.start(dir).withDemo();
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    static void open(String hash) {
        open(api, hash);
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
        // a correction from elsewhere (here the API) re-renders the page through the event feed: what the user is
        // typing stays, so the reason is not lost halfway
        var tagged = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base()
                        + "/api/experiments/1/tags")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"tags\": {\"rack\": \"7\"}}")));
        assertThat(tagged.statusCode()).as(tagged.body()).isEqualTo(200);
        waiting().until(d -> d.findElement(By.id("tags")).getText().contains("rack=7"));
        String kept = waiting().until(d -> d.findElement(By.id("exclude-reason")).getAttribute("value"));
        assertThat(kept).isEqualTo("wrong model loaded");
        // found and clicked in one step: a refresh between the two would leave a stale button (waiting() retries)
        waiting().until(d -> {
            d.findElement(By.id("exclude-button")).click();
            return true;
        });
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
