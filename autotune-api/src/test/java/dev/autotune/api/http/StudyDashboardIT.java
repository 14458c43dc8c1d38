package dev.autotune.api.http;

import dev.autotune.api.app.StoreFixture;
import dev.autotune.api.app.recording.Recording;
import dev.autotune.api.app.studies.Studies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Studies pages in real headless Chromium against a real server and database. */
class StudyDashboardIT extends DashboardBrowser {
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

    /** Records a run of the trial's config (as POST /api/experiments or ingest would) and tells the study. */
    static int measure(Studies studies, Studies.Proposal trial, String report) {
        long batch = ((Number) trial.config().get("serving.batch_size")).longValue();
        int experiment = api.autotune.recording().ingest(new dev.autotune.api.app.recording.Recording.IngestRequest(TestServer.example(report),
                null, "chat", "vllm", Map.of("serving.batch_size", batch), null, null, null, Map.of(), true)).number();
        studies.tell("1", Integer.toString(experiment));
        return experiment;
    }

    @Test
    void theStudyPageShowsTrialsChartsAndTheNextProposalAndFollowsATell() throws Exception {
        Path space = Files.writeString(dir.resolve("batch-space.toml"),
                StudyApiTest.SPACE.replace("[1, 2, 4, 6, 8]", "[1, 2, 4, 6, 8, 12, 16]"));
        Studies studies = api.autotune.studies();
        studies.create(space, null, null);
        List<Studies.Proposal> asked = studies.ask("1", 2, null, null).proposals();
        measure(studies, asked.get(0), "batch-4-aiperf.json");

        open(api, "#/studies");
        waiting().until(d -> rows("studies-table").size() == 1);
        assertThat(rows("studies-table").get(0).getText()).contains("batch-space").contains("chat")
                .contains("open");
        rows("studies-table").get(0).findElement(By.tagName("a")).click();

        waiting().until(d -> rows("trials-table").size() == 2);
        assertThat(browser.getCurrentUrl()).endsWith("#/studies/1");
        assertThat(browser.findElement(By.cssSelector("header nav a.active")).getText()).isEqualTo("Studies");
        WebElement first = trialRow(1);
        assertThat(first.getText()).contains("completed").contains("330").contains(asked.get(0).reason());
        assertThat(trialRow(2).getText()).contains("proposed");
        assertThat(browser.findElement(By.id("study-best")).getText()).contains("330");

        // the charts: best so far and the Pareto front on canvas, knobs against the objective in SVG
        for (String id : List.of("chart-study-best", "chart-study-pareto")) {
            waiting().until(d -> paintedPixels(id) > 500);
        }
        waiting().until(d -> d.findElements(By.cssSelector("#parallel-svg polyline.pc-line")).size() == 1);
        assertThat(browser.findElements(By.cssSelector("#parallel-svg polyline.feasible"))).hasSize(1);

        // the next proposal: the grid's next batch size, with its reason
        var next = studies.show("1").next();
        WebElement proposal = browser.findElement(By.id("next-proposal"));
        assertThat(proposal.getText()).contains("try batch_size=" + next.config().get("serving.batch_size"))
                .contains(next.reason());

        // trial 2 measured and told while the page is open: it updates live, without a reload
        waiting().until(d -> d.findElement(By.id("live")).getAttribute("class").contains("on"));
        browser.executeScript("window.__sameDocument = 'yes';");
        int experiment = measure(studies, asked.get(1), "batch-8-genai-perf.csv");
        waiting().until(d -> trialRow(2).getText().contains("completed"));
        assertThat(trialRow(2).getText()).contains(Integer.toString(experiment)).contains("no");
        waiting().until(d -> d.findElements(By.cssSelector("#parallel-svg polyline.pc-line")).size() == 2);
        assertThat(browser.findElements(By.cssSelector("#parallel-svg polyline.infeasible"))).hasSize(1);
        assertThat(browser.executeScript("return window.__sameDocument;")).isEqualTo("yes");
    }

    @Test
    void theStudyPageSaysWhichKnobsMatterWithTheRightKnobFirst(@TempDir Path own) throws Exception {
        try (TestServer server = TestServer.start(own).withTwoKnobSweep()) {
            Path space = Files.writeString(own.resolve("sweep-space.toml"), """
                    scenario = "tp-sweep"
                    objective = "maximize throughput_tokens_per_sec"
                    budgets = ["latency_ms <= 300"]

                    [knobs]
                    "serving.tensor_parallel_size" = [1, 2, 4, 8]
                    "serving.concurrency" = [8, 32, 128]
                    """);
            Studies studies = server.autotune.studies();
            studies.create(space, null, null);
            var importance = studies.show("1").importance();
            open(server, "#/studies/1");
            waiting().until(d -> !d.findElements(By.cssSelector("#importance-latency_ms tbody tr")).isEmpty());
            // the budget's metric: concurrency moves latency 16-fold, tensor_parallel_size 3.5-fold
            List<WebElement> latency = browser.findElements(By.cssSelector("#importance-latency_ms tbody tr"));
            assertThat(latency.get(0).getAttribute("data-knob")).isEqualTo(TestServer.CONCURRENCY);
            assertThat(latency).hasSize(3);
            assertThat(latency.get(2).getText()).startsWith("interactions");
            // the objective's table in the model's order, and each split's words
            List<WebElement> objective = browser.findElements(By.cssSelector("#importance-objective tbody tr"));
            assertThat(objective.get(0).getAttribute("data-knob")).isEqualTo(importance.get(0).knobs().get(0).knob());
            String panel = browser.findElement(By.id("study-importance")).getText();
            assertThat(panel).contains("Which knobs matter").contains(importance.get(0).summary())
                    .contains(importance.get(1).summary());
        }
    }

    @Test
    void theBestSoFarChartShowsAFailedTrial(@TempDir Path own) throws Exception {
        try (TestServer server = TestServer.start(own).withDemo()) {
            Path space = Files.writeString(own.resolve("batch-space.toml"), StudyApiTest.SPACE);
            Studies studies = server.autotune.studies();
            studies.create(space, null, null);
            List<Studies.Proposal> asked = studies.ask("1", 2, null, null).proposals();
            int measured = server.autotune.recording().ingest(new dev.autotune.api.app.recording.Recording.IngestRequest(
                    TestServer.example("batch-4-aiperf.json"), null, "chat", "vllm",
                    Map.of("serving.batch_size", asked.get(0).config().get("serving.batch_size")), null, null, null,
                    Map.of(), true)).number();
            studies.tell("1", Integer.toString(measured));
            // the second trial's run failed: no measurement, but a trial the search spent
            String id = java.util.UUID.randomUUID().toString();
            StoreFixture.send(server.autotune, new dev.autotune.domain.ExperimentApi.StartExperiment(id, "chat", "vllm",
                    Map.of("serving.batch_size", asked.get(1).config().get("serving.batch_size")), null, null, null,
                    Map.of(), dev.autotune.domain.ExperimentApi.Source.INGEST, null, null));
            StoreFixture.send(server.autotune, new dev.autotune.domain.ExperimentApi.FailExperiment(id,
                    dev.autotune.domain.FailureCategory.OUT_OF_MEMORY, "CUDA out of memory", 1, null));
            server.autotune.catchUp();
            studies.tell("1", Integer.toString(server.autotune.history().show(id).number()));

            open(server, "#/studies/1");
            waiting().until(d -> rows("trials-table").size() == 2);
            waiting().until(d -> paintedPixels("chart-study-best") > 500);
            Object failed = browser.executeScript("const c = Chart.getChart(document.getElementById("
                    + "'chart-study-best')); const d = c.data.datasets.find(s => s.label.startsWith('failed'));"
                    + " return d ? d.data.map(p => p.x) : null;");
            assertThat(failed).asList().containsExactly(2L);
            // the parallel coordinates: every label is drawn after (over) every line
            waiting().until(d -> d.findElements(By.cssSelector("#parallel-svg polyline.pc-line")).size() == 1);
            assertThat(browser.executeScript("const all = [...document.querySelectorAll('#parallel-svg *')];"
                    + " const lastLine = Math.max(...all.map((n, i) => n.tagName === 'polyline' ? i : -1));"
                    + " const texts = all.map((n, i) => n.tagName === 'text' ? i : -1).filter(i => i >= 0);"
                    + " return texts.length > 0 && texts.every(i => i > lastLine);")).isEqualTo(true);
        }
    }

    static WebElement trialRow(int trial) {
        return browser.findElement(By.cssSelector("#trials-table tbody tr[data-trial='" + trial + "']"));
    }
}
