package dev.autotune.runner.report;

import dev.autotune.domain.Metric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The multi-section "Metric,..." CSV that AIPerf and GenAI-Perf write (and CloudAI copies): a statistics table
 * ({@code Metric,avg,min,max,p..}), a {@code Metric,Value} table, maybe a GPU telemetry table. Like CloudAI,
 * every row whose first cell is {@code Metric} starts a new header, and cells are looked up by column name
 * because the column set differs between versions (and CloudAI trims it).
 */
final class MetricTable {
    private static final Pattern LABEL = Pattern.compile("^(.*?)\\s*\\(([^()]*)\\)\\s*$");

    private final List<Row> rows;

    private MetricTable(List<Row> rows) {
        this.rows = rows;
    }

    /**
     * One metric row. The label {@code "Request Latency (ms)"} splits into name {@code Request Latency} and
     * unit {@code ms}; a label with no parentheses has no unit.
     */
    record Row(int line, String label, String name, String unit, Map<String, String> cells) {
        /** The number in the first of {@code columns} that this row has, or null when none has a value. */
        Double number(String... columns) {
            for (String column : columns) {
                String cell = cells.get(column.toLowerCase(Locale.ROOT));
                if (cell != null) {
                    return NumberText.parse(cell, "line " + line + " '" + label + "' column " + column);
                }
            }
            return null;
        }

        /** A single-value row: the {@code Value} column, or {@code avg} when it sits in a statistics table. */
        Double value() {
            return number("Value", "avg", "mean");
        }

        /**
         * The time unit in the label, or {@code assumed} (the tool's documented unit) when the label has none;
         * null, with a warning, for a unit that is not a time unit.
         */
        LatencyUnit timeUnit(LatencyUnit assumed, Readings out) {
            if (unit == null) {
                return assumed;
            }
            return LatencyUnit.parse(unit).orElseGet(() -> {
                out.warn("line " + line + " '" + label + "' has unknown time unit '" + unit + "'; ignored");
                return null;
            });
        }

        /** Puts a latency row's mean and p50/p90/p95/p99 in ms, converting from the unit in its label. */
        void readLatency(Metric mean, Readings out) {
            LatencyUnit timeUnit = timeUnit(LatencyUnit.MILLISECONDS, out);
            if (timeUnit == null) {
                return;
            }
            out.putDistribution(mean, stat -> millis(timeUnit, switch (stat) {
                case "mean" -> number("avg", "mean", "Value");
                case "p50" -> number("p50", "median");
                default -> number(stat);
            }));
        }

        private static Double millis(LatencyUnit unit, Double value) {
            return value == null ? null : unit.toMillis(value);
        }
    }

    /** True when the first non-blank row is a {@code Metric,...} header. */
    static boolean startsWithMetricHeader(String text) {
        CsvRows.Row header = CsvRows.header(text);
        return header.first().equals("Metric") && header.cells().size() >= 2;
    }

    static MetricTable parse(String text) {
        List<Row> rows = new ArrayList<>();
        List<String> header = null;
        // a metric given twice in one table has no meaning the tools agree on: refused, as a JSON key twice is
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (CsvRows.Row row : CsvRows.parse(text)) {
            if (row.first().equals("Metric")) {
                header = row.cells().stream().map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
                seen.clear();
                continue;
            }
            if (header == null) {
                continue; // text before the first table (none in real files) has no column names
            }
            Integer earlier = seen.putIfAbsent(row.first(), row.line());
            if (earlier != null) {
                throw new ReportProblem("line " + row.line() + ": '" + NumberText.abbreviate(row.first())
                        + "' is given twice in one table (also line " + earlier + ")");
            }
            row.requireCells(header.size());
            Map<String, String> cells = new LinkedHashMap<>();
            for (int i = 1; i < header.size(); i++) {
                cells.putIfAbsent(header.get(i), row.cell(i));
            }
            String label = row.first();
            Matcher m = LABEL.matcher(label);
            rows.add(m.matches()
                    ? new Row(row.line(), label, m.group(1), m.group(2).strip(), cells)
                    : new Row(row.line(), label, label, null, cells));
        }
        return new MetricTable(rows);
    }

    /** The first row whose name (label without the unit) is one of {@code names}, ignoring case. */
    Optional<Row> find(String... names) {
        for (String name : names) {
            for (Row row : rows) {
                if (row.name().equalsIgnoreCase(name)) {
                    return Optional.of(row);
                }
            }
        }
        return Optional.empty();
    }

    /** True when some row's label (with its unit) is exactly {@code label}, case included. */
    boolean hasLabel(String label) {
        return rows.stream().anyMatch(r -> r.label().equals(label));
    }

    /** True when some row's unit is exactly {@code unit}. */
    boolean hasUnit(String unit) {
        return rows.stream().anyMatch(r -> unit.equals(r.unit()));
    }
}
