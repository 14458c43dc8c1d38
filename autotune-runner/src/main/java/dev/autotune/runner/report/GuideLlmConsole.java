package dev.autotune.runner.report;

import dev.autotune.domain.Metric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The summary GuideLLM prints to the console (up to v0.3; the upstream fixture
 * {@code benchmarks_stripped_output.txt} is this rendering of {@code benchmarks_stripped.json}): a "Benchmarks
 * Metadata" block with the run id and worker, then two tables, "Benchmarks Info" (times, request counts, tokens)
 * and "Benchmarks Stats" (throughputs and latency statistics), one row per benchmark.
 *
 * <p>Columns are found by name: a table's first header line names groups, each followed by as many {@code |} as
 * it has columns (the last group one fewer), and the second names the columns. As {@link GuideLlm} does with
 * the JSON, the last benchmark is used and the same metrics are read: Req Latency (sec) mean/median/p99 as
 * latency_ms, TTFT (ms) as ttft_ms, ITL (ms) (which excludes the first token) as tpot_ms, Out Tok/sec as
 * throughput, the requests per second, the duration, and failure_rate = Err / (Comp + Inc + Err). The console
 * prints clock times without a date, so it gives no measured time.
 */
final class GuideLlmConsole implements FormatReader {
    private static final Pattern RUN_ID = Pattern.compile("^\\s*Run id:\\s*(\\S+)");
    private static final Pattern MODEL = Pattern.compile("backend_model='([^']*)'");
    private static final Pattern GROUP = Pattern.compile("([^|]+?)\\s*(\\|+)");

    @Override
    public ReportFormat format() {
        return ReportFormat.GUIDELLM_CONSOLE;
    }

    @Override
    public String title() {
        return "GuideLLM console summary";
    }

    @Override
    public String expectation() {
        return "GuideLLM's printed 'Benchmarks Info:' and 'Benchmarks Stats:' tables";
    }

    @Override
    public boolean matches(ReportContent content) {
        return !content.looksLikeJson() && tableStart(content.lines(), "Benchmarks Stats:") >= 0;
    }

    @Override
    public void read(ReportContent content, Readings out) {
        List<String> lines = content.lines();
        List<Map<String, String>> stats = table(lines, "Benchmarks Stats:");
        List<Map<String, String>> info = table(lines, "Benchmarks Info:");
        if (stats.isEmpty()) {
            throw new ReportProblem("the 'Benchmarks Stats:' table has no benchmark rows");
        }
        int index = stats.size() - 1;
        Map<String, String> s = stats.get(index);
        if (stats.size() > 1) {
            out.warn(stats.size() + " benchmarks in the summary; used the last one (" + s.get("Metadata/Benchmark") + ")");
        }
        putDistribution(s, "Req Latency (sec)", LatencyUnit.SECONDS, Metric.LATENCY_MS, out);
        putDistribution(s, "TTFT (ms)", LatencyUnit.MILLISECONDS, Metric.TTFT_MS, out);
        putDistribution(s, "ITL (ms)", LatencyUnit.MILLISECONDS, Metric.TPOT_MS, out);
        out.put(Metric.THROUGHPUT_TOKENS_PER_SEC, number(s, "Out Tok/sec/mean"));
        out.put(Metric.REQUEST_THROUGHPUT, number(s, "Request Stats/Per Second"));

        Map<String, String> i = info.size() == stats.size() ? info.get(index) : Map.of();
        out.put(Metric.RUNTIME_SEC, number(i, "Metadata/Duration (s)"));
        Double completed = number(i, "Requests Made/Comp");
        Double incomplete = number(i, "Requests Made/Inc");
        Double errored = number(i, "Requests Made/Err");
        if (completed != null && incomplete != null && errored != null) {
            double total = completed + incomplete + errored;
            out.putFailureRate(errored, total, "Requests Made Err/(Comp+Inc+Err)");
            out.countFact(ReportFacts.REQUESTS, total);
        }
        out.fact(ReportFacts.ISL, number(i, "Prompt Tok/Req/Comp"));
        out.fact(ReportFacts.OSL, number(i, "Output Tok/Req/Comp"));
        String benchmark = s.get("Metadata/Benchmark");
        if ("synchronous".equals(benchmark)) {
            out.fact(ReportFacts.CONCURRENCY, 1L);
        }
        String runId = null;
        for (String line : lines) {
            Matcher run = RUN_ID.matcher(line);
            if (runId == null && run.find()) {
                runId = run.group(1);
            }
            Matcher model = MODEL.matcher(line);
            if (model.find()) {
                out.fact(ReportFacts.MODEL, model.group(1));
            }
        }
        out.runFingerprint(GuideLlm.fingerprint(runId, index, completed, incomplete, errored));
    }

    private static void putDistribution(Map<String, String> row, String group, LatencyUnit unit, Metric mean,
                                        Readings out) {
        out.putDistribution(mean, stat -> {
            String column = switch (stat) {
                case "mean" -> "mean";
                case "p50" -> "median";
                case "p99" -> "p99";
                default -> null;
            };
            Double value = column == null ? null : number(row, group + "/" + column);
            return value == null ? null : unit.toMillis(value);
        });
    }

    private static Double number(Map<String, String> row, String column) {
        String cell = row.get(column);
        return cell == null ? null : NumberText.parse(cell, "column '" + column + "'");
    }

    private static int tableStart(List<String> lines, String title) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(title)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The rows of the table under {@code title}, each keyed by "group/column": a ruler of {@code =}, the group
     * line, the column line, a ruler of {@code -}, the rows, a closing ruler of {@code =}.
     */
    private static List<Map<String, String>> table(List<String> lines, String title) {
        int start = tableStart(lines, title);
        if (start < 0) {
            return List.of();
        }
        int at = start + 1;
        while (at < lines.size() && !lines.get(at).strip().startsWith("=")) {
            at++;
        }
        if (at + 3 >= lines.size() || !lines.get(at + 3).strip().startsWith("-")) {
            throw new ReportProblem("line " + (start + 1) + ": the '" + title + "' table has no header");
        }
        List<String> names = columns(lines.get(at + 1), lines.get(at + 2), start + 1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int r = at + 4; r < lines.size() && !lines.get(r).strip().startsWith("="); r++) {
            if (lines.get(r).isBlank()) {
                break;
            }
            String[] cells = lines.get(r).split("\\|", -1);
            if (cells.length != names.size()) {
                throw new ReportProblem("line " + (r + 1) + ": " + cells.length + " cells in the '" + title
                        + "' table, expected " + names.size());
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < cells.length; c++) {
                row.put(names.get(c), cells[c].strip());
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<String> columns(String groupLine, String columnLine, int line) {
        List<String> groups = new ArrayList<>();
        Matcher m = GROUP.matcher(groupLine + "|");
        while (m.find()) {
            for (int k = 0; k < m.group(2).length(); k++) {
                groups.add(m.group(1).strip());
            }
        }
        String[] columns = columnLine.split("\\|", -1);
        if (groups.size() != columns.length) {
            throw new ReportProblem("line " + line + ": the table's group and column headers do not line up ("
                    + groups.size() + " and " + columns.length + " columns)");
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < columns.length; c++) {
            names.add(groups.get(c) + "/" + columns[c].strip());
        }
        return names;
    }
}
