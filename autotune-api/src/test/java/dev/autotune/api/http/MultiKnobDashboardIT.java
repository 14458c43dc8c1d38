package dev.autotune.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.autotune.api.http.TestServer.CONCURRENCY;
import static dev.autotune.api.http.TestServer.SWEEP;
import static dev.autotune.api.http.TestServer.TP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard over a two-knob sweep (tensor_parallel_size by concurrency) and one stray run recorded last, in
 * real headless Chromium against a real server: the scenario it opens on, the multi-knob charts, comparing any
 * number of runs, and the Recommendation page's link and config download.
 */
class MultiKnobDashboardIT extends DashboardBrowser {
    static final String BUDGET = "latency_budget_ms=400";

    @TempDir
    static Path dir;
    static TestServer api;

    @BeforeAll
    static void start() throws Exception {
        api = TestServer.start(dir).withTwoKnobSweep();
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @BeforeEach
    void fresh() {
        forgetSettings(api);
    }

    @Test
    void opensOnTheScenarioWithTheMostExperimentsNotTheLastRecordedAndRemembersTheOneChosen() {
        open(api, "#/charts");
        waiting().until(d -> selected("chart-scenario").equals(SWEEP));
        open(api, "#/recommend");
        waiting().until(d -> selected("rec-scenario").equals(SWEEP));

        new Select(browser.findElement(By.id("rec-scenario"))).selectByValue("stray");
        waiting().until(d -> d.findElement(By.cssSelector(".recommendation")).getText().contains("serving.batch_size"));
        open(api, "#/charts");
        waiting().until(d -> selected("chart-scenario").equals("stray"));
        open(api, "#/recommend");
        waiting().until(d -> selected("rec-scenario").equals("stray"));
    }

    @Test
    void theChartsDrawASeriesPerSecondKnobValueOnALog2AxisWithBudgetsTheParetoFrontAndTheNextValue() {
        saveBudgets("{\"latency_budget_ms\": \"400\", \"knob\": [\"" + TP + "\"]}");
        open(api, "#/charts");
        waiting().until(d -> paintedPixels("chart-knob-throughput_tokens_per_sec") > 500);
        assertThat(selected("chart-knob")).isEqualTo(TP);
        assertThat(selected("chart-series")).isEqualTo(CONCURRENCY);

        // one series per concurrency, each over tensor_parallel_size 1..8 on a log2 axis
        Map<String, Object> throughput = chart("chart-knob-throughput_tokens_per_sec");
        assertThat(throughput.get("xType")).isEqualTo("logarithmic");
        assertThat(throughput.get("xTicks")).asList().containsExactly(1L, 2L, 4L, 8L);
        assertThat(points("chart-knob-throughput_tokens_per_sec")).containsEntry("concurrency=8", 4L).containsEntry("concurrency=32", 4L)
                .containsEntry("concurrency=128", 3L);

        // the budget as a line on the latency chart, and the recommended next value marked on every knob chart
        JsonNode rec = api.json("/api/recommendation?knob=" + TP + "&" + BUDGET + "&scenario=" + SWEEP)
                .get("recommendations").get(0);
        assertThat(rec.get("suggested").isNull()).as(rec.toString()).isFalse();
        Map<String, Object> latency = points("chart-knob-latency_ms");
        assertThat(latency).containsKey("budget latency_ms <= 400")
                .containsKey("recommended next tensor_parallel_size=" + rec.get("suggested").asText());
        assertThat(browser.findElement(By.id("chart-next")).getText()).contains(rec.get("reason").asText());

        // the Pareto front, the runs within the budget apart from those outside, as /api/check judges them
        JsonNode check = api.json("/api/check?" + BUDGET + "&scenario=" + SWEEP).get("summary");
        waiting().until(d -> paintedPixels("chart-pareto") > 500);
        Map<String, Object> pareto = points("chart-pareto");
        assertThat(pareto.get("within budgets")).isEqualTo(check.get("pass").asLong());
        assertThat(pareto.get("outside budgets")).isEqualTo(check.get("fail").asLong());
        assertThat(check.get("pass").asLong()).isPositive();
        assertThat(check.get("fail").asLong()).isPositive();
        assertThat((Long) pareto.get("Pareto front")).isBetween(2L, 12L);

        // parallel coordinates: both knobs against the objective, a line per run, the failing ones apart
        waiting().until(d -> d.findElements(By.cssSelector("#charts-parallel polyline.pc-line")).size() == 11);
        assertThat(browser.findElements(By.cssSelector("#charts-parallel polyline.infeasible")))
                .hasSize(check.get("fail").asInt());
        assertThat(browser.findElement(By.id("charts-parallel")).getText()).contains("tensor_parallel_size")
                .contains("concurrency").contains("throughput_tokens_per_sec");

        // the sensitivity view: latency per knob value, the other knob held as in the best run; concurrency moves
        // latency most, so it comes first, as the API says
        waiting().until(d -> !d.findElements(By.cssSelector("#sensitivity-knobs .sens-knob")).isEmpty());
        new Select(browser.findElement(By.id("sensitivity-target"))).selectByValue("latency_ms");
        JsonNode sensitivity = api.json("/api/sensitivity?target=latency_ms&" + BUDGET + "&scenario=" + SWEEP);
        assertThat(sensitivity.get("knobs").get(0).get("knob").asText()).isEqualTo(CONCURRENCY);
        waiting().until(d -> d.findElement(By.cssSelector("#charts-sensitivity h2")).getText().contains("latency_ms"));
        waiting().until(d -> !d.findElements(By.cssSelector("#sensitivity-knobs .sens-knob")).isEmpty());
        WebElement first = browser.findElements(By.cssSelector("#sensitivity-knobs .sens-knob")).get(0);
        assertThat(first.getAttribute("data-knob")).isEqualTo(CONCURRENCY);
        assertThat(first.getText()).contains(sensitivity.get("knobs").get(0).get("summary").asText())
                .contains("as in the best run (experiment " + sensitivity.get("best_run").asInt() + ")");
        assertThat(first.findElements(By.cssSelector("tr"))).hasSize(sensitivity.get("knobs").get(0).get("levels").size());
        assertThat(browser.getCurrentUrl()).contains("target=latency_ms");

        // the other knob on the axis: concurrency 8, 32, 128, powers of two too, so log2 with ticks at each
        new Select(browser.findElement(By.id("chart-knob"))).selectByValue(CONCURRENCY);
        waiting().until(d -> TP.equals(selected("chart-series")));
        waiting().until(d -> points("chart-knob-throughput_tokens_per_sec").size() >= 4);
        assertThat(chart("chart-knob-throughput_tokens_per_sec").get("xTicks")).asList().containsExactly(8L, 32L, 128L);
        assertThat(points("chart-knob-throughput_tokens_per_sec"))
                .containsEntry("tensor_parallel_size=1", 3L).containsEntry("tensor_parallel_size=8", 3L);
        assertThat(browser.getCurrentUrl()).contains("knob=" + CONCURRENCY).contains(BUDGET);

        // the link draws the same budgets in a browser that has none saved
        String link = browser.getCurrentUrl();
        forgetSettings(api);
        browser.get("about:blank");
        browser.get(link);
        waiting().until(d -> paintedPixels("chart-knob-latency_ms") > 500);
        assertThat(selected("chart-knob")).isEqualTo(CONCURRENCY);
        assertThat(points("chart-knob-latency_ms")).containsKey("budget latency_ms <= 400");
    }

    @Test
    void compareShowsAnyNumberOfRunsSideBySideAndCountsOneMeasurementOnce() {
        open(api, "#/compare?ids=1,5,11");
        waiting().until(d -> browser.findElements(By.cssSelector("#diff-metrics thead th")).size() == 4);
        List<String> metrics = new ArrayList<>();
        rows("diff-metrics").forEach(r -> metrics.add(r.findElement(By.tagName("td")).getText()));
        // itl is tpot and the p50 is the mean in these reports: one row each; p95 is a measurement of its own
        assertThat(metrics).contains("tpot_ms = itl_ms", "latency_ms = latency_p50_ms", "latency_p95_ms")
                .doesNotContain("itl_ms", "tpot_ms", "latency_p50_ms", "latency_ms");
        // run 11 (tp 8, concurrency 128) has more throughput than run 1 (tp 1, concurrency 8) and more latency
        WebElement latency = row("diff-metrics", "latency_ms = latency_p50_ms");
        assertThat(cell(latency, 3).getAttribute("class")).contains("regression");
        assertThat(cell(row("diff-metrics", "throughput_tokens_per_sec"), 3).getAttribute("class")).contains("improvement");
        String summary = browser.findElement(By.id("compare-summary")).getText();
        // five measurements, each counted once: more throughput; more latency (mean = p50), p95, TTFT and TPOT (= ITL)
        assertThat(summary).contains("#11 against #1: 1 better, 4 worse");
        assertThat(row("diff-config", CONCURRENCY).getText()).contains("8").contains("32").contains("128");

        // a fourth run, added from the picker
        new Select(browser.findElement(By.id("pick-add"))).selectByValue("8");
        waiting().until(d -> browser.findElements(By.cssSelector("#diff-metrics thead th")).size() == 5);
        assertThat(browser.getCurrentUrl()).endsWith("#/compare?ids=1,5,11,8");
        browser.findElement(By.cssSelector("#picked .chip[data-id='5'] button.remove")).click();
        waiting().until(d -> browser.findElements(By.cssSelector("#diff-metrics thead th")).size() == 4);
        assertThat(browser.getCurrentUrl()).endsWith("#/compare?ids=1,11,8");
    }

    @Test
    void aRecommendationLinkCarriesItsBudgetsAndTheDerivedConfigDownloads() throws Exception {
        open(api, "#/recommend?" + BUDGET + "&knob=" + TP + "&scenario=" + SWEEP);
        waiting().until(d -> !d.findElements(By.cssSelector(".recommendation")).isEmpty());
        assertThat(browser.findElement(By.id("budget-latency_budget_ms")).getAttribute("value")).isEqualTo("400");
        JsonNode rec = api.json("/api/recommendation?knob=" + TP + "&" + BUDGET + "&scenario=" + SWEEP)
                .get("recommendations").get(0);
        String suggested = rec.get("suggested").asText();
        waiting().until(d -> d.findElement(By.cssSelector(".recommendation .suggest")).getText().equals("try " + suggested));

        // editing the budgets puts them in the address bar, so the link shows this view
        WebElement budget = browser.findElement(By.id("budget-latency_budget_ms"));
        budget.clear();
        budget.sendKeys("300");
        browser.findElement(By.id("apply")).click();
        waiting().until(d -> d.getCurrentUrl().contains("latency_budget_ms=300"));
        assertThat(browser.getCurrentUrl()).contains("knob=" + TP).contains("scenario=" + SWEEP);

        open(api, "#/recommend?" + BUDGET + "&knob=" + TP + "&scenario=" + SWEEP);
        waiting().until(d -> d.findElement(By.cssSelector(".recommendation .suggest")).getText().equals("try " + suggested));
        browser.findElement(By.id("download-config")).click();
        String name = "tp-sweep-tensor_parallel_size-" + suggested + ".toml";
        Path file = downloads.resolve(name);
        waiting().until(d -> Files.exists(file) && d.findElement(By.id("derived-note")).getText().contains(name));
        String toml = Files.readString(file);
        int best = rec.get("best_experiment").asInt();
        assertThat(toml).startsWith("# No config file is recorded for experiment " + best)
                .contains(TP + " = " + suggested + "\n").contains(CONCURRENCY + " = ");
        assertThat(browser.findElement(By.id("derived-note")).getText())
                .contains("no config file is known for experiment " + best);
    }

    @Test
    void aSavedBudgetProfileInTheLinkIsPassedToTheApiAndItsAnswerShown() {
        open(api, "#/recommend?budget=no-such-profile&knob=" + TP + "&scenario=" + SWEEP);
        // this server knows no profile of that name: the refusal is shown, naming the parameter
        String error = waiting().until(d -> d.findElement(By.cssSelector("#recommendations .error")).getText());
        assertThat(error).contains("budget");
        assertThat(browser.findElement(By.id("budget-profile")).getAttribute("value")).isEqualTo("no-such-profile");
    }

    static String selected(String selectId) {
        return browser.findElement(By.id(selectId)).getAttribute("value");
    }

    static WebElement cell(WebElement row, int index) {
        return row.findElements(By.tagName("td")).get(index);
    }

    static void saveBudgets(String json) {
        browser.executeScript("localStorage.setItem('autotune.budgets', arguments[0]);", json);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> points(String canvasId) {
        return (Map<String, Object>) chart(canvasId).get("points");
    }

    /** What Chart.js drew on a canvas: the x axis type and ticks, and the number of points per dataset label. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> chart(String canvasId) {
        return (Map<String, Object>) browser.executeScript("const c = Chart.getChart(document.getElementById(arguments[0]));"
                + "const points = {}; c.data.datasets.forEach(d => { points[d.label] = d.data.length; });"
                + "return { xType: c.scales.x.type, xTicks: c.scales.x.ticks.map(t => t.value), points };", canvasId);
    }
}
