package dev.autotune.api.app;

import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.common.BudgetInput;
import dev.autotune.api.app.common.StoreLocation;
import dev.autotune.api.app.studies.Studies;
import dev.autotune.api.app.recording.Recording;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.store.testing.TestStores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * `events import` is all or nothing for real: each event is checked to be an autotune event and the read models take
 * the whole import in its own transaction, so a broken line is one error naming it and the store stays empty and
 * usable (the same valid file then imports). The broken files are built here from a real export. Runs on SQLite and,
 * with {@code -Dautotune.test.store=postgresql}, on PostgreSQL.
 */
class EventImportTest {
    static final Path REPO = Path.of(System.getProperty("autotune.repo", "..")).toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    List<String> export;

    @BeforeEach
    void aHistoryWithExperimentsACorrectionAStudyAndABudget() throws Exception {
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "source.db")))) {
            export = List.of(history(autotune, dir).split("\n"));
        }
    }

    /**
     * Records a small history of every kind of event (two experiments, a tag, a budget profile, a study with a
     * trial) and returns its export, as {@code events export} writes it. The fuzz target's seed too.
     */
    static String history(Autotune autotune, Path dir) throws Exception {
        for (String report : List.of("batch-1-vllm-bench.json", "batch-4-aiperf.json")) {
            autotune.recording().ingest(new Recording.IngestRequest(REPO.resolve("reports/examples").resolve(report), null,
                    "chat", "vllm", Map.of("decode.tensor_parallel_size", 1), null, null, null, Map.of(), true));
        }
        autotune.corrections().tag("1", List.of("gpu=H100"));
        autotune.budgets().saveBudgetProfile("slo", new BudgetInput("200", null, null, null, List.of()), false);
        Path space = Files.writeString(dir.resolve("space.toml"), """
                scenario = "chat"
                objective = "maximize throughput_tokens_per_sec"
                [knobs]
                "cmd_args.decode.tensor_parallel_size" = [1, 2]
                """);
        Studies studies = autotune.studies();
        studies.create(space, null, null);
        studies.ask("1", 1, null, null);
        StringWriter out = new StringWriter();
        autotune.eventLog().exportEvents(out);
        return out.toString();
    }

    /** The first line whose payload type ends with {@code type}, as a line number (1-based). */
    int lineOf(String type) {
        for (int i = 0; i < export.size(); i++) {
            if (export.get(i).contains("\"payloadType\":\"dev.autotune.domain") && export.get(i).contains(type + "\"")) {
                return i + 1;
            }
        }
        throw new AssertionError("no " + type + " in the export");
    }

    Path fileWith(String name, int line, UnaryOperator<ObjectNode> change) throws Exception {
        List<String> lines = new ArrayList<>(export);
        ObjectNode event = (ObjectNode) JSON.readTree(lines.get(line - 1));
        lines.set(line - 1, JSON.writeValueAsString(change.apply(event)));
        return Files.write(dir.resolve(name + ".jsonl"), lines);
    }

    @Test
    void everyBrokenEventIsOneErrorNamingItsLineAndTheStoreStaysEmptyAndUsable() throws Exception {
        int started = lineOf("$ExperimentStarted");
        int budget = lineOf("$BudgetProfileSaved");
        int metrics = lineOf("$MetricsRecorded");
        int study = lineOf("$StudyStarted");
        record Case(String name, int line, UnaryOperator<ObjectNode> change, String says) {
        }
        List<Case> cases = List.of(
                new Case("empty-payload", budget, e -> e.put("payload", "{}"), "has no 'name'"),
                new Case("empty-started", started, e -> e.put("payload", "{}"), "has no"),
                new Case("bad-timestamp", metrics, e -> e.put("timeStamp", "yesterday"), "timeStamp"),
                new Case("huge-index", export.size(), e -> e.put("globalIndex", Long.MAX_VALUE), "globalIndex"),
                new Case("jdk-class", metrics, e -> e.put("payloadType", "java.util.concurrent.ThreadPoolExecutor"),
                        "is not an autotune event"),
                new Case("garbage", study, e -> e.put("payload", "{\"studyId\": [1, 2], \"x\": {"), "payload"),
                new Case("wrong-shape", metrics, e -> e.put("payload", e.get("payload").asText()
                        .replace("\"metrics\":{", "\"metrics\":{\"x\":\"not a number\",")), "MetricsRecorded"),
                new Case("number-2^31", started, e -> e.put("metaData", "{\"autotune.experimentNumber\":2147483648}"),
                        "experiment number"),
                new Case("other-aggregate", metrics, e -> e.put("aggregateIdentifier", "someone-else"),
                        "sequenceNumber"),
                new Case("sequence-gap", metrics, e -> e.put("sequenceNumber", 7), "sequenceNumber"),
                new Case("null-name", budget, e -> e.put("payload", e.get("payload").asText()
                        .replace("\"name\":\"slo\"", "\"name\":null")), "has no name"),
                // well-formed, but no read model can list an experiment without a scenario: the projection refuses it
                new Case("null-scenario", started, e -> e.put("payload", e.get("payload").asText()
                        .replace("\"scenario\":\"chat\"", "\"scenario\":null")),
                        "a read model cannot take this event"));
        String target = TestStores.location(dir, "target.db");
        try (Autotune autotune = new Autotune(StoreLocation.of("db", target))) {
            for (Case c : cases) {
                Path file = fileWith(c.name(), c.line(), c.change());
                UserError e = catchThrowableOfType(() -> autotune.eventLog().importEvents(file, p -> {
                }), UserError.class);
                assertThat(e).as(c.name()).isNotNull();
                assertThat(e.getMessage()).as(c.name()).startsWith(file + ": line " + c.line() + ": ")
                        .contains(c.says()).doesNotContain("\n");
                assertThat(autotune.eventLog().eventCount()).as(c.name() + ": nothing stored").isZero();
                assertThat(autotune.history().list(ListFilter.ALL, null)).as(c.name()).isEmpty();
            }
            // the store is as new: the valid export imports, and every read model answers
            Path good = Files.write(dir.resolve("good.jsonl"), export);
            assertThat(autotune.eventLog().importEvents(good, p -> {
            })).isEqualTo(export.size());
            assertThat(autotune.history().list(ListFilter.ALL, null)).hasSize(2);
            assertThat(autotune.studies().show("1").trials()).hasSize(1);
            assertThat(autotune.eventLog().rebuild(p -> {
            })).isEqualTo(autotune.eventLog().eventCount());
        }
    }

    @Test
    void whatExportWritesImportsHoweverLongALineIs() throws Exception {
        // a payload whose text is past Jackson's default 20 MB cap on one string (the line holds it as one), made
        // of many small values as a large space's StudyStarted is
        int tagged = lineOf("$ExperimentTagged");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 220_000; i++) {
            many.append(",\"k").append(i).append("\":\"").append("v".repeat(90)).append('"');
        }
        Path file = fileWith("long", tagged, e -> e.put("payload", e.get("payload").asText()
                .replace("\"gpu\":\"H100\"", "\"gpu\":\"H100\"" + many)));
        assertThat(Files.size(file)).isGreaterThan(21_000_000);
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "long.db")))) {
            assertThat(autotune.eventLog().importEvents(file, p -> {
            })).isEqualTo(export.size());
            assertThat(autotune.history().show("1").tags()).hasSize(220_001);
        }
    }
}
