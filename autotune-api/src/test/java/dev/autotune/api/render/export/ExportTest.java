package dev.autotune.api.render.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.domain.Budget;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.BudgetCheck;
import dev.autotune.domain.analysis.BudgetReport;
import dev.autotune.domain.analysis.Recommendation;
import dev.autotune.domain.analysis.Recommender;
import dev.autotune.domain.analysis.TuningPoint;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.store.Json;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class ExportTest {
    private static final Budget LAT_200 = Budget.parse("latency_ms<=200");

    private static BudgetReport budgets(Runs runs, Budget... budgets) {
        return BudgetCheck.check(runs.measured(), List.of(budgets));
    }

    private static List<Recommendation> recommend(Budget... budgets) {
        return Recommender.recommend(CLASSIC_SWEEP, List.of(BATCH), List.of(budgets), null);
    }

    private static final String BATCH = "serving.batch_size";

    /** The classic batch-size sweep as the recommender reads it: throughput and latency rise with batch size. */
    private static final List<TuningPoint> CLASSIC_SWEEP = List.of(
            point(1, 1, 120, 90), point(2, 4, 330, 160), point(3, 8, 430, 260));

    private static TuningPoint point(int n, int batch, double throughput, double latency) {
        return new TuningPoint(n, "exp-" + n, "llama3-8b-chat", new TreeMap<>(Map.of(BATCH, batch)),
                Runs.metrics("throughput_tokens_per_sec", throughput, "latency_ms", latency));
    }

    /** Reads RFC 4180 text back: the check that quoting round-trips, not just that quotes appear. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        assertThat(quoted).as("unterminated quote").isFalse();
        assertThat(field.toString()).as("text after the last line break").isEmpty();
        return records;
    }

    @Nested
    class Csv {
        @Test
        void the_header_has_fixed_columns_then_knobs_then_every_metric_then_notes() {
            List<List<String>> csv = parseCsv(Export.csv(Runs.classic().rows()));

            List<String> expected = new ArrayList<>(List.of("id", "experiment_id", "status", "scenario", "backend",
                    "started_at", "ended_at", "failure_category", "measured_at", "knob:serving.batch_size",
                    "knob:serving.model"));
            expected.addAll(Metric.reported().stream().map(Metric::key).toList());
            expected.add("notes");
            assertThat(csv.get(0)).containsExactlyElementsOf(expected);
            assertThat(csv).hasSize(5).allSatisfy(r -> assertThat(r).hasSize(expected.size()));
        }

        @Test
        void the_facts_a_report_states_and_when_it_ran_are_columns() {
            List<List<String>> csv = parseCsv(Export.csv(List.of(withFacts())));

            assertThat(csv.get(0)).containsSubsequence("measured_at", "knob:concurrency", "fact:concurrency",
                    "fact:isl", "fact:model", "fact:requests");
            List<String> row = csv.get(1);
            assertThat(row.get(csv.get(0).indexOf("measured_at"))).isEqualTo("2025-10-03T20:13:39.154Z");
            assertThat(row.get(csv.get(0).indexOf("fact:model"))).isEqualTo("openai/gpt-oss-20b");
            assertThat(row.get(csv.get(0).indexOf("fact:isl"))).isEqualTo("550");
        }

        @Test
        void a_row_has_its_values_and_empty_cells_for_what_is_absent() {
            String csv = Export.csv(Runs.classic().rows());

            String[] lines = csv.split("\n");
            assertThat(lines[1]).startsWith("1,exp-1,completed,llama3-8b-chat,vllm,2024-06-01T10:00:00Z,"
                    + "2024-06-01T10:30:00Z,,,1,llama3-8b,90,30,120,0,,");
            assertThat(lines[4]).startsWith("4,exp-4,failed,llama3-8b-chat,vllm,2024-06-01T13:00:00Z,"
                    + "2024-06-01T13:30:00Z,timeout,,16,llama3-8b,,,,,");
            assertThat(csv).endsWith("\n").doesNotContain("\r");
        }

        @Test
        void commas_quotes_and_newlines_are_quoted_and_read_back_intact() {
            String notes = "tried \"eager\" mode, then\nreverted";
            String scenario = "chat, long context";
            List<ExperimentSummary> rows = Runs.of().add(scenario, ExperimentStatus.COMPLETED, null, notes,
                    Map.of("serving.batch_size", 4), "latency_ms", 100).rows();

            String csv = Export.csv(rows);

            assertThat(csv).contains("\"chat, long context\"").contains("\"tried \"\"eager\"\" mode, then\nreverted\"");
            List<List<String>> parsed = parseCsv(csv);
            assertThat(parsed).hasSize(2);
            List<String> header = parsed.get(0);
            List<String> row = parsed.get(1);
            assertThat(row.get(header.indexOf("scenario"))).isEqualTo(scenario);
            assertThat(row.get(header.indexOf("notes"))).isEqualTo(notes);
            assertThat(row.get(header.indexOf("latency_ms"))).isEqualTo("100");
        }

        @Test
        void quotes_a_field_only_when_it_needs_it() {
            assertThat(Export.csvField("plain")).isEqualTo("plain");
            assertThat(Export.csvField("")).isEqualTo("");
            assertThat(Export.csvField("a,b")).isEqualTo("\"a,b\"");
            assertThat(Export.csvField("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
            assertThat(Export.csvField("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
            assertThat(Export.csvField(" padded")).isEqualTo("\" padded\"");
        }

        @Test
        void numbers_are_exact_and_list_knobs_are_written_as_json() {
            List<ExperimentSummary> rows = Runs.of().completed(Map.of("serving.cuda_graph_sizes", List.of(1, 2, 4),
                    "serving.gpu_memory_utilization", 0.875), "failure_rate", 0.000123, "latency_ms", 123.456789).rows();

            List<List<String>> csv = parseCsv(Export.csv(rows));

            List<String> header = csv.get(0);
            List<String> row = csv.get(1);
            assertThat(row.get(header.indexOf("knob:serving.cuda_graph_sizes"))).isEqualTo("[1,2,4]");
            assertThat(row.get(header.indexOf("knob:serving.gpu_memory_utilization"))).isEqualTo("0.875");
            assertThat(row.get(header.indexOf("failure_rate"))).isEqualTo("0.000123");
            assertThat(row.get(header.indexOf("latency_ms"))).isEqualTo("123.456789");
        }

        @Test
        void a_knob_only_some_rows_set_gets_a_column_with_empty_cells_elsewhere() {
            List<ExperimentSummary> rows = Runs.of().completed(Map.of("a", 1)).completed(Map.of("b", true)).rows();

            List<List<String>> csv = parseCsv(Export.csv(rows));

            int a = csv.get(0).indexOf("knob:a");
            int b = csv.get(0).indexOf("knob:b");
            assertThat(List.of(csv.get(1).get(a), csv.get(1).get(b))).containsExactly("1", "");
            assertThat(List.of(csv.get(2).get(a), csv.get(2).get(b))).containsExactly("", "true");
        }

        @Test
        void no_rows_is_just_the_header() {
            assertThat(Export.csv(List.of()).split("\n")).hasSize(1);
        }
    }

    @Nested
    class JsonExport {
        @Test
        void metrics_are_top_level_keys_under_their_normalized_names_and_absent_ones_are_omitted() throws Exception {
            JsonNode json = Json.mapper().readTree(Export.json(Runs.classic().rows()));

            assertThat(json.isArray()).isTrue();
            assertThat(json).hasSize(4);
            JsonNode first = json.get(0);
            assertThat(first.get("latency_ms").asDouble()).isEqualTo(90.0);
            assertThat(first.get("throughput_tokens_per_sec").asDouble()).isEqualTo(120.0);
            assertThat(first.get("ttft_ms").asDouble()).isEqualTo(30.0);
            assertThat(first.has("metrics")).isFalse();
            assertThat(first.has("latency_p95_ms")).isFalse();
            JsonNode failed = json.get(3);
            assertThat(failed.get("status").asText()).isEqualTo("failed");
            assertThat(failed.get("failure_category").asText()).isEqualTo("timeout");
            assertThat(failed.has("latency_ms")).isFalse();
        }

        @Test
        void fields_come_in_a_fixed_order_with_knobs_as_an_object() throws Exception {
            JsonNode first = Json.mapper().readTree(Export.json(Runs.classic().rows())).get(0);

            List<String> names = new ArrayList<>();
            Iterator<String> it = first.fieldNames();
            it.forEachRemaining(names::add);
            assertThat(names).containsExactly("id", "experiment_id", "status", "scenario", "backend", "started_at",
                    "ended_at", "failure_category", "measured_at", "notes", "knobs", "facts", "latency_ms", "ttft_ms",
                    "throughput_tokens_per_sec", "failure_rate");
            assertThat(first.get("id").asInt()).isEqualTo(1);
            assertThat(first.get("measured_at").isNull()).isTrue();
            assertThat(first.get("facts").isEmpty()).isTrue();
            JsonNode facts = Json.mapper().readTree(Export.json(List.of(withFacts()))).get(0);
            assertThat(facts.get("measured_at").asText()).isEqualTo("2025-10-03T20:13:39.154Z");
            assertThat(facts.get("facts").get("model").asText()).isEqualTo("openai/gpt-oss-20b");
            assertThat(facts.get("facts").get("requests").asInt()).isEqualTo(100);
            assertThat(first.get("started_at").asText()).isEqualTo("2024-06-01T10:00:00Z");
            assertThat(first.get("failure_category").isNull()).isTrue();
            assertThat(first.get("knobs").get("serving.batch_size").isInt()).isTrue();
            assertThat(first.get("knobs").get("serving.model").asText()).isEqualTo("llama3-8b");
        }

        @Test
        void is_pretty_printed_with_unix_line_endings() {
            String json = Export.json(Runs.classic().rows());

            assertThat(json).startsWith("[\n  {\n    \"id\": 1,\n").endsWith("]\n").doesNotContain("\r");
        }

        @Test
        void no_rows_is_an_empty_array() throws Exception {
            assertThat(Json.mapper().readTree(Export.json(List.of())).isEmpty()).isTrue();
        }
    }

    @Nested
    class Markdown {
        @Test
        void is_a_github_table_with_the_varying_knobs_and_headline_metrics() {
            String md = Export.markdown(Runs.classic().rows());

            assertThat(md).isEqualTo("""
                    | id | status | scenario | serving.batch_size | latency_ms | ttft_ms | throughput_tokens_per_sec | failure_rate |
                    | --- | --- | --- | --- | --- | --- | --- | --- |
                    | 1 | completed | llama3-8b-chat | 1 | 90 | 30 | 120 | 0 |
                    | 2 | completed | llama3-8b-chat | 4 | 160 | 45 | 330 | 0 |
                    | 3 | completed | llama3-8b-chat | 8 | 260 | 70 | 430 | 0.002 |
                    | 4 | failed (timeout) | llama3-8b-chat | 16 | - | - | - | - |
                    """);
        }

        @Test
        void the_facts_and_when_the_benchmark_ran_are_columns_when_a_report_stated_them() {
            String md = Export.markdown(List.of(withFacts()));

            assertThat(md).isEqualTo("""
                    | id | status | scenario | concurrency | isl | model | osl | requests | latency_ms | ttft_ms | throughput_tokens_per_sec | failure_rate | measured |
                    | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
                    | 7 | completed | chat | 100 | 550 | openai/gpt-oss-20b | 242.97 | 100 | 9059.65 | - | - | - | 2025-10-03T20:13:39.154Z |
                    """);
        }

        @Test
        void pipes_and_newlines_in_cells_do_not_break_the_table() {
            List<ExperimentSummary> rows = Runs.of()
                    .add("a|b\nc", ExperimentStatus.COMPLETED, null, null, Map.of("k", "x|y"))
                    .add("plain", ExperimentStatus.COMPLETED, null, null, Map.of("k", "z")).rows();

            String md = Export.markdown(rows);

            assertThat(md).contains("| a\\|b c |").contains("| x\\|y |");
            assertThat(md.lines()).hasSize(4).allSatisfy(l -> assertThat(l).startsWith("|").endsWith("|"));
        }
    }

    @Nested
    class IssueTemplate {
        @Test
        void reads_as_a_tuning_status_issue_with_best_run_breaches_and_next_step() {
            Runs runs = Runs.classic();

            String issue = Export.issue(runs.rows(), budgets(runs, LAT_200), recommend(LAT_200));

            assertThat(issue).startsWith("## Tuning status: llama3-8b-chat\n\n"
                    + "4 experiments (3 completed, 1 failed), from 2024-06-01T10:00:00Z to 2024-06-01T13:00:00Z.\n");
            assertThat(issue).contains("### Best run\n\nExperiment **2** (`exp-2`): serving.batch_size=4 — "
                    + "latency_ms 160 ms, ttft_ms 45 ms, throughput_tokens_per_sec 330 tok/s, failure_rate 0; "
                    + "within budgets latency_ms<=200.\n");
            assertThat(issue).contains("`latency_ms<=200`: 2 pass, 1 fail, 0 unknown.")
                    .contains("| 3 | fail | latency_ms 260 > 200 by 60 (30%) |")
                    .contains("| 4 | failed (timeout) | llama3-8b-chat | 16 |");
            assertThat(issue).contains("### Next step\n\n- **serving.batch_size**: run 6 (midpoint) — "
                    + "serving.batch_size=4 is the best value within budgets");
            assertThat(issue.indexOf("### Best run")).isLessThan(issue.indexOf("### Experiments"));
            assertThat(issue.indexOf("### Budgets")).isLessThan(issue.indexOf("### Next step"));
        }

        @Test
        void without_budgets_the_best_run_is_the_highest_throughput_and_there_is_no_budget_section() {
            String issue = Export.issue(Runs.classic().rows(), null, null);

            assertThat(issue).contains("Experiment **3** (`exp-3`): serving.batch_size=8")
                    .doesNotContain("### Budgets").doesNotContain("within budgets")
                    .contains("### Next step\n\nNo recommendation attached");
        }

        @Test
        void when_nothing_meets_the_budgets_it_says_so() {
            Runs runs = Runs.classic();

            String issue = Export.issue(runs.rows(), budgets(runs, Budget.parse("latency_ms<=50")), null);

            assertThat(issue).contains("No completed experiment meets the budgets (latency_ms<=50).")
                    .contains("| 1 | fail | latency_ms 90 > 50 by 40 (80%) |");
        }

        @Test
        void an_unknown_verdict_names_the_missing_metric() {
            Runs runs = Runs.classic();

            String issue = Export.issue(runs.rows(), budgets(runs, Budget.parse("latency_p95_ms<=250")), null);

            assertThat(issue).contains("| 1 | unknown | missing latency_p95_ms |");
        }

        @Test
        void a_recommendation_without_a_value_says_there_is_nothing_to_run() {
            Runs runs = Runs.classic();
            Budget tight = Budget.parse("latency_ms<=50");

            String issue = Export.issue(runs.rows(), budgets(runs, tight), recommend(tight));

            assertThat(issue).contains("- **serving.batch_size**: nothing to run (nothing meets budget) — no tested "
                    + "value of serving.batch_size meets the budgets");
        }

        @Test
        void an_empty_list_still_renders() {
            String issue = Export.issue(List.of(), null, List.of());

            assertThat(issue).startsWith("## Tuning status: no experiments\n")
                    .contains("No completed experiment yet.").contains("None recorded yet.");
        }
    }

    @Nested
    class PullRequestTemplate {
        @Test
        void compares_the_best_run_with_the_baseline() {
            Runs runs = Runs.classic();

            String pr = Export.pullRequest(runs.rows(), budgets(runs, LAT_200), recommend(LAT_200));

            assertThat(pr).startsWith("## Benchmark results: llama3-8b-chat\n");
            assertThat(pr).contains("### Compared with baseline\n\nExperiment 2 against the baseline, experiment 1: "
                    + "serving.batch_size 1 → 4.\n");
            assertThat(pr).contains("| throughput_tokens_per_sec | 120 | 330 | +210 (+175%), better |")
                    .contains("| latency_ms | 90 | 160 | +70 (+77.78%), worse |")
                    .contains("| failure_rate | 0 | 0 | 0, same |");
            assertThat(pr).contains("### Budgets").contains("latency_ms 260 > 200 by 60 (30%)")
                    .contains("### Recommendation\n\n- **serving.batch_size**: run 6 (midpoint)");
        }

        @Test
        void when_the_baseline_is_the_best_it_says_there_is_no_improvement_yet() {
            Runs runs = Runs.classic();

            String pr = Export.pullRequest(runs.rows(), budgets(runs, Budget.parse("latency_ms<=100")), null);

            assertThat(pr).contains("The best run is the baseline itself (experiment 1)")
                    .doesNotContain("### Recommendation");
        }

        @Test
        void the_baseline_is_the_first_completed_experiment_not_a_failed_one() {
            Runs runs = Runs.of().failed("launch_failed", Map.of("serving.batch_size", 2))
                    .completed(Map.of("serving.batch_size", 4), "throughput_tokens_per_sec", 300)
                    .completed(Map.of("serving.batch_size", 8), "throughput_tokens_per_sec", 400);

            String pr = Export.pullRequest(runs.rows(), null, null);

            assertThat(pr).contains("Experiment 3 against the baseline, experiment 2: serving.batch_size 4 → 8.")
                    .contains("+100 (+33.33%), better");
        }
    }

    @Nested
    class BenchmarkReportRendering {
        @Test
        void has_every_section_in_order() {
            Runs runs = Runs.classic();

            String report = Export.benchmarkReport(runs.rows(), budgets(runs, LAT_200), recommend(LAT_200), null);

            List<String> headings = report.lines().filter(l -> l.startsWith("#")).toList();
            assertThat(headings).containsExactly("# Benchmark report: llama3-8b-chat", "## Scope", "## Budgets",
                    "## Pass/fail", "## Best run", "### Config", "### Metrics", "## Trends",
                    "### serving.batch_size", "## Recommendation", "## All experiments");
        }

        @Test
        void states_the_scope_from_the_data() {
            Runs runs = Runs.classic();

            String report = Export.benchmarkReport(runs.rows(), null, null, null);

            assertThat(report).contains("- Scenarios: llama3-8b-chat (4)\n- Backends: vllm\n"
                    + "- Experiments: 4 (3 completed, 1 failed)\n"
                    + "- Time span: from 2024-06-01T10:00:00Z to 2024-06-01T13:00:00Z\n");
            assertThat(report).contains("No budgets given").doesNotContain("## Pass/fail");
        }

        @Test
        void shows_the_best_run_with_its_whole_config_and_every_metric() {
            Runs runs = Runs.classic();

            String report = Export.benchmarkReport(runs.rows(), budgets(runs, LAT_200), null, null);

            assertThat(report).contains("Experiment **2** (`exp-2`), scenario llama3-8b-chat, backend vllm, "
                    + "started 2024-06-01T11:00:00Z, ended 2024-06-01T11:30:00Z.");
            assertThat(report).contains("| serving.batch_size | 4 |\n| serving.model | llama3-8b |\n");
            assertThat(report).contains("| throughput_tokens_per_sec | 330 | tok/s |").contains("| latency_ms | 160 | ms |");
        }

        @Test
        void lists_pass_and_fail_with_the_budgeted_metric_and_breaches() {
            Runs runs = Runs.classic();

            String report = Export.benchmarkReport(runs.rows(), budgets(runs, LAT_200), null, null);

            assertThat(report).contains("Totals: 2 pass, 1 fail, 0 unknown.")
                    .contains("| id | serving.batch_size | latency_ms | verdict | breaches |")
                    .contains("| 3 | 8 | 260 | fail | latency_ms 260 > 200 by 60 (30%) |");
        }

        @Test
        void trends_average_repeated_values_and_show_p95_when_measured() {
            Runs runs = Runs.of()
                    .completed(Map.of("serving.batch_size", 4), "throughput_tokens_per_sec", 300, "latency_ms", 150,
                            "latency_p95_ms", 190)
                    .completed(Map.of("serving.batch_size", 4.0), "throughput_tokens_per_sec", 360, "latency_ms", 170,
                            "latency_p95_ms", 230)
                    .completed(Map.of("serving.batch_size", 8), "throughput_tokens_per_sec", 430, "latency_ms", 260)
                    .failed("timeout", Map.of("serving.batch_size", 16));

            String report = Export.benchmarkReport(runs.rows(), budgets(runs, LAT_200, Budget.parse("latency_p95_ms<=200")),
                    null, List.of("serving.batch_size"));

            String trends = report.substring(report.indexOf("## Trends"), report.indexOf("## Recommendation"));
            assertThat(trends).isEqualTo("""
                    ## Trends

                    ### serving.batch_size

                    | serving.batch_size | experiments | throughput_tokens_per_sec (mean) | latency_ms (mean) | latency_p95_ms (mean) | budgets |
                    | --- | --- | --- | --- | --- | --- |
                    | 4 | 1, 2 | 330 | 160 | 210 | fail (1 of 2 pass) |
                    | 8 | 3 | 430 | 260 | - | fail |

                    """); // 4 and 4.0 are one value; the failed run at 16 has no metrics to trend
        }

        @Test
        void trends_only_the_requested_knobs() {
            Runs runs = Runs.of()
                    .completed(Map.of("a", 1, "b", 10), "throughput_tokens_per_sec", 1)
                    .completed(Map.of("a", 2, "b", 20), "throughput_tokens_per_sec", 2);

            String report = Export.benchmarkReport(runs.rows(), null, null, List.of("b"));

            assertThat(report).contains("### b\n").doesNotContain("### a\n");
        }

        @Test
        void includes_the_recommendations_with_their_reasons() {
            Runs runs = Runs.classic();

            String report = Export.benchmarkReport(runs.rows(), budgets(runs, LAT_200), recommend(LAT_200), null);

            assertThat(report).contains("## Recommendation\n\n- **serving.batch_size**: run 6 (midpoint) — "
                    + "serving.batch_size=4 is the best value within budgets (throughput_tokens_per_sec 330, "
                    + "experiment 2); 8 breaks latency_ms<=200 (260 ms, experiment 3); try the untested midpoint 6.\n");
        }

        @Test
        void an_empty_list_still_renders() {
            String report = Export.benchmarkReport(List.of(), null, null, null);

            assertThat(report).startsWith("# Benchmark report: no experiments\n").contains("None recorded.");
        }
    }

    @Nested
    class Determinism {
        @Test
        void rendering_twice_gives_the_same_bytes() {
            Runs runs = Runs.classic();
            BudgetReport b = budgets(runs, LAT_200);
            List<Recommendation> r = recommend(LAT_200);

            assertThat(Export.csv(runs.rows())).isEqualTo(Export.csv(Runs.classic().rows()));
            assertThat(Export.json(runs.rows())).isEqualTo(Export.json(Runs.classic().rows()));
            assertThat(Export.markdown(runs.rows())).isEqualTo(Export.markdown(Runs.classic().rows()));
            assertThat(Export.issue(runs.rows(), b, r)).isEqualTo(Export.issue(runs.rows(), b, r));
            assertThat(Export.pullRequest(runs.rows(), b, r)).isEqualTo(Export.pullRequest(runs.rows(), b, r));
            assertThat(Export.benchmarkReport(runs.rows(), b, r, null))
                    .isEqualTo(Export.benchmarkReport(Runs.classic().rows(), budgets(Runs.classic(), LAT_200),
                            recommend(LAT_200), null));
        }

        @Test
        void the_order_maps_were_filled_in_does_not_matter() {
            Map<String, Object> forward = new LinkedHashMap<>();
            Map<String, Object> backward = new LinkedHashMap<>();
            for (int i = 0; i < 20; i++) {
                forward.put("knob" + i, i);
                backward.put("knob" + (19 - i), 19 - i);
            }
            List<ExperimentSummary> a = Runs.of().completed(forward, "latency_ms", 1, "ttft_ms", 2).rows();
            List<ExperimentSummary> b = Runs.of().completed(new HashMap<>(backward), "ttft_ms", 2, "latency_ms", 1).rows();

            assertThat(Export.csv(a)).isEqualTo(Export.csv(b));
            assertThat(Export.json(a)).isEqualTo(Export.json(b));
            assertThat(Export.benchmarkReport(a, null, null, null)).isEqualTo(Export.benchmarkReport(b, null, null, null));
        }
    }

    /** An experiment whose AIPerf report stated its model, load, lengths, requests and start (run1's values). */
    static ExperimentSummary withFacts() {
        return new ExperimentSummary(7, "exp-7", "chat", null, ExperimentStatus.COMPLETED, "ingest", null,
                new java.util.TreeMap<>(Map.of("concurrency", 100)), new java.util.TreeMap<>(Map.of("latency_ms", 9059.65)),
                null, java.time.Instant.parse("2026-11-30T10:00:00Z"), java.time.Instant.parse("2026-11-30T10:00:00Z"),
                null, null, null, java.time.Instant.parse("2025-10-03T20:13:39.154Z"), new java.util.TreeMap<>(Map.of(
                "model", "openai/gpt-oss-20b", "concurrency", 100, "isl", 550, "osl", 242.97, "requests", 100)));
    }
}
