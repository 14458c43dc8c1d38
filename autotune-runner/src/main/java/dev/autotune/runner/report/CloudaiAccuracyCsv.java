package dev.autotune.runner.report;

import dev.autotune.domain.Metric;

import java.util.List;
import java.util.Locale;

/**
 * CloudAI's {@code accuracy_results.csv} ({@code Task,Correct,Total,Accuracy}), read with CloudAI's rules:
 * the OVERALL row is preferred; "35.00%" is 0.35 and any value above 1 is a percentage; when the Accuracy cell
 * is empty the row's Correct/Total is used. Without an OVERALL row, a single task row is used as is and several
 * are pooled as ΣCorrect/ΣTotal (with a warning).
 */
final class CloudaiAccuracyCsv implements FormatReader {
    @Override
    public ReportFormat format() {
        return ReportFormat.CLOUDAI_ACCURACY_CSV;
    }

    @Override
    public String title() {
        return "CloudAI accuracy CSV";
    }

    @Override
    public String expectation() {
        return "a 'Task,Correct,Total,Accuracy' header followed by task rows";
    }

    @Override
    public boolean matches(ReportContent content) {
        if (content.looksLikeJson()) {
            return false;
        }
        List<String> header = lower(CsvRows.header(content.text()).cells());
        return header.contains("task") && (header.contains("accuracy")
                || header.contains("correct") && header.contains("total"));
    }

    @Override
    public void read(ReportContent content, Readings out) {
        List<CsvRows.Row> rows = CsvRows.parse(content.text());
        List<String> header = lower(rows.get(0).cells());
        int task = header.indexOf("task");
        List<CsvRows.Row> tasks = rows.subList(1, rows.size());
        tasks.forEach(row -> row.requireCells(header.size()));
        CsvRows.Row overall = tasks.stream().filter(r -> r.cell(task).equalsIgnoreCase("OVERALL")).findFirst()
                .orElse(null);
        if (overall != null || tasks.size() == 1) {
            out.put(Metric.ACCURACY, accuracy(overall != null ? overall : tasks.get(0), header));
            return;
        }
        double correct = 0;
        double total = 0;
        for (CsvRows.Row row : tasks) {
            Double c = count(row, header, "correct");
            Double t = count(row, header, "total");
            if (c == null || t == null) {
                throw new ReportProblem("line " + row.line() + ": no OVERALL row, and task '" + row.cell(task)
                        + "' lacks Correct/Total to pool the tasks");
            }
            correct += c;
            total += t;
        }
        if (total > 0) {
            out.put(Metric.ACCURACY, correct / total);
            out.warn("no OVERALL row; accuracy pooled over " + tasks.size() + " tasks as sum(Correct)/sum(Total)");
        }
    }

    private static Double accuracy(CsvRows.Row row, List<String> header) {
        int column = header.indexOf("accuracy");
        Double accuracy = column < 0 ? null
                : NumberText.parseFraction(row.cell(column), "line " + row.line() + " column Accuracy");
        if (accuracy != null) {
            return accuracy;
        }
        Double correct = count(row, header, "correct");
        Double total = count(row, header, "total");
        return correct != null && total != null && total > 0 ? correct / total : null;
    }

    private static Double count(CsvRows.Row row, List<String> header, String column) {
        int i = header.indexOf(column);
        return i < 0 ? null : NumberText.parse(row.cell(i), "line " + row.line() + " column " + column);
    }

    private static List<String> lower(List<String> cells) {
        return cells.stream().map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
    }
}
