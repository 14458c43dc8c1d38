package dev.autotune.api.http;

import dev.autotune.api.app.StoreFixture;
import dev.autotune.api.app.runs.Runs;
import dev.autotune.api.app.Autotune;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in real headless Chromium against a real server and database, one of each for the class (but for
 * the log test, below). The tests that record experiments run last (tests without an {@code @Order} run first, in JUnit's default order).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT extends DashboardBrowser {
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
        assertThat(latency.findElements(By.tagName("td")).get(2).getAttribute("class")).contains("regression");
        assertThat(latency.getText()).contains("90").contains("260");
        assertThat(row("diff-metrics", "throughput_tokens_per_sec").findElements(By.tagName("td")).get(2)
                .getAttribute("class")).contains("improvement");
        assertThat(row("diff-config", "serving.batch_size").getText()).contains("1").contains("8");
    }

    @Test
    void compareJudgesTheBestRunByTheBudgetsTheRecommendationPageSaved() {
        forgetSettings(api);
        // the Recommendation page saves the knobs it was asked about beside the budgets
        open(api, "#/recommend");
        WebElement budget = waiting().until(d -> d.findElement(By.id("budget-latency_budget_ms")));
        budget.clear();
        budget.sendKeys("200");
        browser.findElement(By.id("apply")).click();
        waiting().until(d -> rows("check-table").size() == 3);
        // the budget table shows the config each verdict judged: the knobs that vary, as columns
        assertThat(browser.findElements(By.cssSelector("#check-table thead th")).stream().map(WebElement::getText))
                .containsExactly("#", "scenario", "batch_size", "verdict", "detail");
        assertThat(browser.findElement(By.cssSelector("#check-table tbody tr")).getText()).startsWith("3 ")
                .contains(" 8 ");

        open(api, "#/compare");
        // within latency_ms<=200 the best throughput is #2 (330 tok/s at 160 ms); #3 is faster but breaks it
        String note = waiting().until(d -> d.findElement(By.id("compare-note")).getText());
        assertThat(note).isEqualTo("Best run within the budgets saved on the Recommendation page (latency_ms<=200) #2"
                + " against the latest #3.");
        assertThat(browser.findElements(By.cssSelector("#diff-metrics thead th")).get(1).getText()).isEqualTo("A #2");
    }

    @Test
    void aRunsCompareLinkComparesItWithTheBestRun() {
        forgetSettings(api);
        open(api, "#/run/1");
        waiting().until(d -> d.findElement(By.linkText("compare…"))).click();
        String note = waiting().until(d -> d.findElement(By.id("compare-note")).getText());
        assertThat(note).isEqualTo("Best run #3 against #1. No budgets apply.");
        assertThat(browser.findElements(By.cssSelector("#diff-metrics thead th")).stream().map(WebElement::getText))
                .containsExactly("metric", "A #3", "#1");
    }

    @Test
    void compareSaysWhichBudgetsJudgeTheBestRunAndOffersTheSavedProfiles(@TempDir Path own) {
        try (TestServer server = TestServer.start(own).withDemo()) {
            server.autotune.budgets().saveBudgetProfile("chat-slo", new dev.autotune.api.app.common.BudgetInput("200", null, null,
                    null, List.of(), List.of(), List.of(), null), false);
            forgetSettings(server);
            open(server, "#/run/1");
            waiting().until(d -> d.findElement(By.linkText("compare…"))).click();
            // no budgets set on this page: #3 is best by throughput alone, and the note says no budget applies
            String none = waiting().until(d -> d.findElement(By.id("compare-note")).getText());
            assertThat(none).isEqualTo("Best run #3 against #1. No budgets apply.");
            WebElement picker = browser.findElement(By.id("compare-budgets"));
            assertThat(picker.findElements(By.tagName("option")).stream().map(WebElement::getText))
                    .containsExactly("no budgets", "profile chat-slo (latency_ms<=200)");
            new org.openqa.selenium.support.ui.Select(picker).selectByValue("profile:chat-slo");
            String profiled = waiting().until(d -> {
                String text = d.findElement(By.id("compare-note")).getText();
                return text.contains("chat-slo") ? text : null;
            });
            assertThat(profiled).isEqualTo("Best run within budget profile chat-slo (latency_ms<=200) #2 against the"
                    + " latest #3.");
        }
    }

    @Test
    void theRecommendedNextMarkerSitsOnTheKnobAxisEvenBeyondTheTestedValues() {
        forgetSettings(api);
        // without budgets the best batch size is the largest tested (8): the next one to try lies beyond it
        double next = api.json("/api/recommendation?knob=serving.batch_size").get("recommendations").get(0)
                .get("suggested").asDouble();
        assertThat(next).as("precondition: the suggestion is beyond the tested 1..8").isGreaterThan(8);
        browser.executeScript("localStorage.setItem('autotune.budgets', arguments[0]);",
                "{\"knob\": [\"serving.batch_size\"]}");
        open(api, "#/charts");
        waiting().until(d -> paintedPixels("chart-knob-throughput_tokens_per_sec") > 500);
        @SuppressWarnings("unchecked")
        Map<String, Object> x = (Map<String, Object>) browser.executeScript("const c = Chart.getChart("
                + "document.getElementById('chart-knob-throughput_tokens_per_sec')); const m = c.data.datasets.find("
                + "d => d.label.startsWith('recommended next')); return { min: c.scales.x.min, max: c.scales.x.max,"
                + " marker: m ? m.data[0].x : null };");
        assertThat(((Number) x.get("marker")).doubleValue()).isEqualTo(next);
        assertThat(((Number) x.get("max")).doubleValue()).isGreaterThan(next);
        assertThat(((Number) x.get("min")).doubleValue()).isLessThan(1);
        forgetSettings(api);
    }

    @Test
    void compareShowsARefusedBudgetInsteadOfComparingTheWrongRuns() {
        forgetSettings(api);
        browser.executeScript("localStorage.setItem('autotune.budgets', arguments[0]);",
                "{\"metric\": [\"latency_p95_ms<=fast\"]}");
        open(api, "#/compare");
        String error = waiting().until(d -> d.findElement(By.cssSelector("#diff .error")).getText());
        assertThat(error).contains("latency_p95_ms").contains("'fast'").contains("(metric)");
        assertThat(browser.findElement(By.id("diff")).getText()).contains("budgets saved on the Recommendation page");
        assertThat(browser.findElements(By.id("diff-metrics"))).isEmpty();
        forgetSettings(api);
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

    /** Last but one: it records experiment 4, which the tests above do not expect. */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void aNewExperimentAppearsLiveWithoutReloading() throws Exception {
        open(api, "#/history");
        waiting().until(d -> rows("history-table").size() == 3);
        waiting().until(d -> d.findElement(By.id("live")).getAttribute("class").contains("on"));
        browser.executeScript("window.__sameDocument = 'yes';");

        // another process records an experiment while the page is open
        TestServer.ingestInAnotherProcess(api.db, "batch-4-aiperf.json", 6);
        waiting().until(d -> rows("history-table").size() == 4);
        String first = waiting().until(d -> rows("history-table").get(0).getText());
        String classes = waiting().until(d -> rows("history-table").get(0).getAttribute("class"));
        assertThat(first).startsWith("4");
        assertThat(classes).contains("new");
        assertThat(browser.executeScript("return window.__sameDocument;")).isEqualTo("yes");
    }

    /**
     * On a server of its own, the one exception to one server per class: on the class's shared server the PostgreSQL
     * pass once found this hand-started experiment no longer running when the page opened (its runner holds no run
     * lease, which PostgreSQL's liveness checks); the cause is not pinned down, and a fresh server is what passed.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void theRunDetailFollowsTheLogOfARunningExperiment(@TempDir Path own) throws Exception {
        try (TestServer fresh = TestServer.start(own)) {
            followTheLog(fresh, own);
        }
    }

    private void followTheLog(TestServer server, Path own) throws Exception {
        Path runDir = Files.createDirectories(own.resolve("runs/0001_chat"));
        Path log = Files.writeString(runDir.resolve("stdout.log"), "[autotune 00:01] starting cloudai\n");
        String id = UUID.randomUUID().toString();
        StoreFixture.send(server.autotune, new StartExperiment(id, "chat", "vllm", Map.of("serving.batch_size", 16L), null, null,
                null, Map.of(Runs.RUN_DIR, runDir.toString()), ExperimentApi.Source.RUN, id,
                Runs.currentProcess()));
        server.autotune.catchUp();
        int number = server.autotune.history().show(id).number();

        open(server, "#/run/" + number);
        waiting().until(d -> d.findElement(By.id("log")).getText().contains("starting cloudai"));
        assertThat(browser.findElement(By.cssSelector("h1 .status.running")).isDisplayed()).isTrue();
        Files.writeString(log, "[autotune 00:42] running test step 2/3\n", StandardOpenOption.APPEND);
        waiting().until(d -> d.findElement(By.id("log")).getText().contains("step 2/3"));
        assertThat(browser.findElement(By.id("log")).getText()).startsWith("[autotune 00:01] starting cloudai");
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("ExperimentStarted");
    }
}
