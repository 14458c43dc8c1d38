package dev.autotune.runner.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** CSV text split into rows of cells (quotes, CRLF and LF handled by jackson-dataformat-csv). */
final class CsvRows {
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    /** A non-blank CSV row; {@code line} is the 1-based line it starts on. */
    record Row(int line, List<String> cells) {
        String cell(int index) {
            return index < cells.size() ? cells.get(index).strip() : "";
        }

        String first() {
            return cell(0);
        }

        /**
         * A row with fewer cells than its header was cut off: the tools always write every column (N/A when
         * empty), so this is how a truncated CSV shows.
         */
        void requireCells(int headerSize) {
            if (cells.size() < headerSize) {
                throw new ReportProblem("line " + line + ": row '" + first() + "' has " + cells.size()
                        + " cells but its header has " + headerSize + " (truncated?)");
            }
        }
    }

    private CsvRows() {
    }

    static List<Row> parse(String text) {
        List<Row> rows = new ArrayList<>();
        try (MappingIterator<List<String>> it = CSV.readerForListOf(String.class).readValues(text)) {
            while (true) {
                int line = it.getParser().currentLocation().getLineNr();
                if (!it.hasNextValue()) {
                    break;
                }
                List<String> cells = it.nextValue();
                if (cells.stream().anyMatch(c -> c != null && !c.isBlank())) {
                    rows.add(new Row(line, cells.stream().map(c -> c == null ? "" : c).toList()));
                }
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new ReportProblem("malformed CSV" + (line > 0 ? " at line " + line : "") + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse("unreadable"));
        } catch (IOException e) {
            throw new ReportProblem("cannot be read as CSV: " + e.getMessage());
        }
        return rows;
    }

    /** The first non-blank row, without parsing the whole file (detection looks at it for every file). */
    static Row header(String text) {
        String firstLine = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
        try {
            List<Row> rows = parse(firstLine);
            return rows.isEmpty() ? new Row(1, List.of()) : rows.get(0);
        } catch (ReportProblem e) {
            return new Row(1, List.of());
        }
    }
}
