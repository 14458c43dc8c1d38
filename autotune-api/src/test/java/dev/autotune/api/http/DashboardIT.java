package dev.autotune.api.http;

import dev.autotune.api.app.Autotune;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard in real headless Chromium against a real server and database. */
class DashboardIT {
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

    /** Waits, ignoring elements a re-render replaced while they were being read. */
    static WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** A full page load: only changing the hash of the page already open would not reload it. */
    static void open(TestServer server, String hash) {
        browser.get("about:blank");
        browser.get(server.base() + "/" + hash);
    }

    static List<WebElement> rows(String tableId) {
        return browser.findElements(By.cssSelector("#" + tableId + " tbody tr"));
    }

    @Test
    void theHistoryTableShowsTheDemoExperimentsWithStatusColours() {
        open(api, "#/history");
        waiting().until(d -> rows("history-table").size() == 3);
        List<String> texts = waiting().until(d -> rows("history-table").stream().map(WebElement::getText).toList());
        assertThat(texts.get(0)).contains("3").contains("completed").contains("chat").contains("260");
        assertThat(texts.get(2)).contains("90").contains("120");
        String badge = waiting().until(d -> rows("history-table").get(0).findElement(By.cssSelector(".status.completed"))
                .getCssValue("background-color"));
        assertThat(badge).isNotIn("rgba(0, 0, 0, 0)", "transparent");
        assertThat(browser.findElement(By.id("count")).getText()).isEqualTo("1–3 of 3");

        // sorting by a metric header re-orders from the server
        browser.findElement(By.cssSelector("th[data-sort='latency_ms']")).click();
        waiting().until(d -> rows("history-table").get(0).getText().startsWith("1"));
        assertThat(browser.getCurrentUrl()).contains("sort=latency_ms");
    }

    @Test
    void theRunDetailShowsTheReportFactsAndWhenTheBenchmarkRan() {
        // demo experiment 1 is batch-1-vllm-bench.json: date 20261120-101500, model_id, backend vllm
        open(api, "#/run/1");
        String facts = waiting().until(d -> d.findElement(By.id("report-facts")).getText());
        assertThat(facts).contains("Report facts").contains("model").contains("meta-llama/Llama-3.1-8B-Instruct")
                .contains("serving_backend");
        assertThat(browser.findElement(By.id("measured-at")).getText()).contains("measured").contains("2026-11-20");
    }

    @Test
    void theChartsRenderOnCanvas() {
        open(api, "#/charts");
        waiting().until(d -> !d.findElements(By.id("chart-knob-throughput_tokens_per_sec")).isEmpty());
        for (String id : List.of("chart-knob-throughput_tokens_per_sec", "chart-knob-latency_ms", "chart-pareto", "chart-time")) {
            waiting().until(d -> paintedPixels(id) > 500);
        }
        assertThat(browser.findElement(By.id("chart-knob")).getAttribute("value")).isEqualTo("serving.batch_size");
    }

    @Test
    void theCompareViewShowsTheDiffWithRegressionsHighlighted() {
        open(api, "#/compare?a=1&b=3");
        waiting().until(d -> rows("diff-metrics").size() > 3);
        WebElement latency = row("diff-metrics", "latency_ms");
        assertThat(latency.getAttribute("class")).contains("regression");
        assertThat(latency.getText()).contains("90").contains("260");
        assertThat(row("diff-metrics", "throughput_tokens_per_sec").getAttribute("class")).contains("improvement");
        assertThat(row("diff-config", "serving.batch_size").getText()).contains("1").contains("8");
    }

    @Test
    void theRecommendationFollowsTheBudgetsEditedInThePage() {
        open(api, "#/recommend");
        waiting().until(d -> !d.findElements(By.cssSelector(".recommendation")).isEmpty());
        WebElement budget = browser.findElement(By.id("budget-latency_budget_ms"));
        budget.clear();
        budget.sendKeys("200");
        browser.findElement(By.id("apply")).click();
        waiting().until(d -> d.findElement(By.cssSelector(".recommendation .suggest")).getText().equals("try 6"));
        assertThat(browser.findElement(By.cssSelector(".recommendation")).getText()).contains("midpoint 6");
        waiting().until(d -> rows("check-table").size() == 3);
    }

    @Test
    void aNewExperimentAppearsLiveWithoutReloading(@TempDir Path own) throws Exception {
        try (TestServer fresh = TestServer.start(own).withDemo()) {
            open(fresh, "#/history");
            waiting().until(d -> rows("history-table").size() == 3);
            waiting().until(d -> d.findElement(By.id("live")).getAttribute("class").contains("on"));
            browser.executeScript("window.__sameDocument = 'yes';");

            // another process records an experiment while the page is open
            TestServer.ingestInAnotherProcess(fresh.db, "batch-4-aiperf.json", 6);
            waiting().until(d -> rows("history-table").size() == 4);
            String first = waiting().until(d -> rows("history-table").get(0).getText());
            String classes = waiting().until(d -> rows("history-table").get(0).getAttribute("class"));
            assertThat(first).startsWith("4");
            assertThat(classes).contains("new");
            assertThat(browser.executeScript("return window.__sameDocument;")).isEqualTo("yes");
        }
    }

    @Test
    void theRunDetailFollowsTheLogOfARunningExperiment(@TempDir Path own) throws Exception {
        try (TestServer fresh = TestServer.start(own)) {
            followTheLog(fresh, own);
        }
    }

    private void followTheLog(TestServer server, Path own) throws Exception {
        Path runDir = Files.createDirectories(own.resolve("runs/0001_chat"));
        Path log = Files.writeString(runDir.resolve("stdout.log"), "[autotune 00:01] starting cloudai\n");
        String id = UUID.randomUUID().toString();
        server.autotune.send(new StartExperiment(id, "chat", "vllm", Map.of("serving.batch_size", 16L), null, null,
                null, Map.of(Autotune.RUN_DIR, runDir.toString()), ExperimentApi.Source.RUN, id,
                Autotune.currentProcess()));
        server.autotune.catchUp();
        int number = server.autotune.show(id).number();

        open(server, "#/run/" + number);
        waiting().until(d -> d.findElement(By.id("log")).getText().contains("starting cloudai"));
        assertThat(browser.findElement(By.cssSelector("h1 .status.running")).isDisplayed()).isTrue();
        Files.writeString(log, "[autotune 00:42] running test step 2/3\n", StandardOpenOption.APPEND);
        waiting().until(d -> d.findElement(By.id("log")).getText().contains("step 2/3"));
        assertThat(browser.findElement(By.id("log")).getText()).startsWith("[autotune 00:01] starting cloudai");
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("ExperimentStarted");
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
