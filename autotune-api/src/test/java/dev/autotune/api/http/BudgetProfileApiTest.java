package dev.autotune.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.api.app.common.BudgetInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** budget= and the quoting-free max=/min= on the analysis routes, and GET /api/budgets, over the demo history. */
class BudgetProfileApiTest {
    @TempDir
    static Path dir;

    static TestServer api;

    @BeforeAll
    static void start() {
        api = TestServer.start(dir).withDemo();
        api.autotune.budgets().saveBudgetProfile("chat-slo",
                new BudgetInput("200", null, null, null, List.of(), List.of("tpot_ms=10"), List.of(), null), false);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void theSavedProfilesAreListed() {
        JsonNode profiles = api.json("/api/budgets");
        assertThat(profiles.size()).isEqualTo(1);
        assertThat(profiles.get(0).get("name").asText()).isEqualTo("chat-slo");
        assertThat(profiles.get(0).get("budgets").toString()).isEqualTo("[\"latency_ms<=200\",\"tpot_ms<=10\"]");
        assertThat(profiles.get(0).get("saved_at").asText()).isNotBlank();
    }

    @Test
    void checkWithAProfileHoldsItsBudgetsAndNamesTheBestPassingRunWithItsKnobs() {
        JsonNode check = api.json("/api/check?budget=chat-slo");
        assertThat(check.get("budgets").toString()).isEqualTo("[\"latency_ms<=200\",\"tpot_ms<=10\"]");
        assertThat(check.get("summary").get("pass").asInt()).isEqualTo(2);
        assertThat(check.get("objective").asText()).isEqualTo("throughput_tokens_per_sec");
        assertThat(check.get("knobs").toString()).isEqualTo("[\"serving.batch_size\"]");
        assertThat(check.get("experiments").get(1).get("knobs").get("serving.batch_size").asInt()).isEqualTo(4);
        assertThat(check.get("best").asInt()).isEqualTo(2);
    }

    @Test
    void aBudgetGivenBesideTheProfileReplacesItsBudgetOnThatMetricOnly() {
        JsonNode check = api.json("/api/check?budget=chat-slo&latency_budget_ms=300&max=tpot_ms%3D20");
        assertThat(check.get("budgets").toString()).isEqualTo("[\"latency_ms<=300\",\"tpot_ms<=20\"]");
        assertThat(check.get("summary").get("pass").asInt()).isEqualTo(3);
        assertThat(check.get("best").asInt()).isEqualTo(3);
        JsonNode floor = api.json("/api/check?budget=chat-slo&min=throughput_tokens_per_sec%3D300");
        assertThat(floor.get("budgets").toString())
                .isEqualTo("[\"latency_ms<=200\",\"tpot_ms<=10\",\"throughput_tokens_per_sec>=300\"]");
        assertThat(floor.get("summary").get("pass").asInt()).isEqualTo(1);
    }

    @Test
    void recommendationExportAndDiffTakeTheProfileToo() {
        JsonNode rec = api.json("/api/recommendation?knob=serving.batch_size&budget=chat-slo");
        assertThat(rec.get("budgets").toString()).isEqualTo("[\"latency_ms<=200\",\"tpot_ms<=10\"]");
        assertThat(rec.get("recommendations").get(0).get("suggested").asInt()).isEqualTo(6);
        String report = api.get("/api/export?template=pr&budget=chat-slo").body();
        assertThat(report).contains("latency_ms<=200").contains("tpot_ms<=10");
        JsonNode diff = api.json("/api/diff?a=2&b=3&budget=chat-slo");
        assertThat(diff.get("budgets").get("experiments").get(0).get("verdict").asText()).isEqualTo("PASS");
        assertThat(diff.get("budgets").get("experiments").get(1).get("verdict").asText()).isEqualTo("FAIL");
        assertThat(api.json("/api/diff?a=2&b=3").has("budgets")).isFalse();
    }

    @Test
    void anUnknownProfileOrAMalformedQuotingFreeBudgetIsA400NamingTheParameter() {
        JsonNode unknown = api.assertError("/api/check?budget=nope", 400, "budget");
        assertThat(unknown.get("error").asText()).contains("no budget profile 'nope'").contains("saved: chat-slo");
        api.assertError("/api/recommendation?knob=serving.batch_size&budget=nope", 400, "budget");
        api.assertError("/api/check?max=tpot_ms", 400, "max");
        api.assertError("/api/check?min=throughput_tokens_per_sec%3Dlots", 400, "min");
        api.assertError("/api/budgets?name=x", 400, "name");
    }

    @Test
    void thePrTemplatesBaselineIsChosenByParameterAndOneScenarioCarriesNoWarning() {
        var pr = api.get("/api/export?template=pr&baseline=3&budget=chat-slo");
        assertThat(pr.statusCode()).isEqualTo(200);
        assertThat(pr.body()).contains("Experiment 2 against the baseline, experiment 3");
        assertThat(pr.headers().firstValue("X-Autotune-Warning")).isEmpty();
        api.assertError("/api/export?template=pr&baseline=42", 400, "baseline");
        api.assertError("/api/export?template=issue&baseline=1", 400, "baseline");
    }
}
