package dev.autotune.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** /openapi.json documents exactly the routes the server registers, and the dashboard is served from the jar. */
class OpenApiTest {
    @TempDir
    static Path dir;
    static TestServer api;

    @BeforeAll
    static void start() {
        api = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void everyRegisteredRouteIsDocumentedAndEveryDocumentedRouteExists() {
        JsonNode doc = api.json("/openapi.json");
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        Set<String> registered = new TreeSet<>();
        api.server.routes().forEach(r -> registered.add(r.method() + " " + r.path()));
        assertThat(registered).hasSize(27).contains("POST /api/studies/{id}/steps", "GET /api/events", "GET /api/recommendation/config", "GET /api/budgets", "POST /api/experiments", "GET /health",
                "POST /api/studies", "GET /api/studies/{id}", "POST /api/studies/{id}/ask", "POST /api/studies/{id}/tell");
        assertThat(documented).isEqualTo(registered);
    }

    @Test
    void everyDocumentedPathParameterAndResponseIsDeclared() {
        JsonNode doc = api.json("/openapi.json");
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            assertThat(op.getValue().get("responses")).as(op.getKey() + " " + path.getKey()).isNotNull();
            assertThat(op.getValue().get("operationId")).as(op.getKey() + " " + path.getKey()).isNotNull();
            if (path.getKey().contains("{id}")) {
                assertThat(op.getValue().get("parameters").toString()).contains("\"in\":\"path\"");
            }
        }));
        // every $ref points at a component that exists
        String text = doc.toString();
        java.util.regex.Matcher refs = java.util.regex.Pattern.compile("#/components/(\\w+)/(\\w+)").matcher(text);
        while (refs.find()) {
            assertThat(doc.get("components").get(refs.group(1)).has(refs.group(2))).as(refs.group()).isTrue();
        }
    }

    @Test
    void theDashboardAndItsChartLibraryComeFromTheJar() {
        var index = api.get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("<title>autotune</title>");
        String charts = api.get("/js/charts.js").body();
        var matcher = java.util.regex.Pattern.compile("'(/webjars/chart\\.js/[^']+)'").matcher(charts);
        assertThat(matcher.find()).as("charts.js loads Chart.js from the webjar").isTrue();
        var chartJs = api.get(matcher.group(1));
        assertThat(chartJs.statusCode()).as(matcher.group(1)).isEqualTo(200);
        assertThat(chartJs.body()).contains("Chart");
        for (String asset : new String[]{"/js/app.js", "/js/history.js", "/js/detail.js", "/js/compare.js",
                "/js/charts.js", "/js/recommend.js", "/js/study.js", "/js/api.js", "/js/dom.js", "/css/app.css"}) {
            assertThat(api.get(asset).statusCode()).as(asset).isEqualTo(200);
        }
        assertThat(index.body()).doesNotContain("https://").doesNotContain("http://");
    }
}
