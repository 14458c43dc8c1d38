package dev.autotune.api.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain aligned text table; numeric-looking cells are right-aligned. */
final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    void add(List<String> row) {
        rows.add(List.copyOf(row));
    }

    String render() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            widths[i] = header.get(i).length();
        }
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths, false);
        for (List<String> row : rows) {
            line(out, row, widths, true);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths, boolean alignNumbers) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.length());
            boolean right = alignNumbers && numeric(cell);
            line.append(right ? pad + cell : cell + pad);
            if (i < cells.size() - 1) {
                line.append("  ");
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    /** Numbers, percentages and signed changes: what reads best right-aligned. */
    private static boolean numeric(String cell) {
        int start = cell.startsWith("-") || cell.startsWith("+") ? 1 : 0;
        if (cell.length() <= start || !Character.isDigit(cell.charAt(start))) {
            return false;
        }
        for (int i = start + 1; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (!Character.isDigit(c) && ".,%e+-".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
