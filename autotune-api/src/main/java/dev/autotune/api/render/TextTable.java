package dev.autotune.api.render;

import dev.autotune.domain.analysis.Numbers;

import java.util.ArrayList;
import java.util.List;

/** A plain aligned text table; numeric-looking cells are right-aligned. */
public final class TextTable {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    public TextTable(List<String> header) {
        this.header = header.toArray(String[]::new);
    }

    public void add(List<String> row) {
        add(row.toArray(String[]::new));
    }

    /** Adds a row of exactly as many cells as the header has; the table keeps the array. */
    public void add(String[] row) {
        if (row.length != header.length) {
            throw new IllegalArgumentException("row has " + row.length + " cells, header " + header.length);
        }
        rows.add(row);
    }

    public String render() {
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
        }
        int lineWidth = 0;
        for (String[] row : rows) {
            widen(widths, row);
        }
        for (int w : widths) {
            lineWidth += w + 2;
        }
        StringBuilder out = new StringBuilder(lineWidth * (rows.size() + 1));
        line(out, header, widths, false);
        for (String[] row : rows) {
            line(out, row, widths, true);
        }
        return out.toString();
    }

    /**
     * One row's share of the column widths. A method of its own, like {@link #line}: the JIT compiles it after
     * a few hundred rows, where a nested loop in {@link #render} (called once) would run interpreted to the end.
     */
    private static void widen(int[] widths, String[] row) {
        for (int i = 0; i < row.length; i++) {
            widths[i] = Math.max(widths[i], row[i].length());
        }
    }

    private static void line(StringBuilder out, String[] cells, int[] widths, boolean alignNumbers) {
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            int pad = widths[i] - cell.length();
            if (alignNumbers && numeric(cell)) {
                spaces(out, pad);
                out.append(cell);
            } else {
                out.append(cell);
                spaces(out, pad);
            }
            spaces(out, 2);
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        out.append('\n');
    }

    private static void spaces(StringBuilder out, int n) {
        // one copy instead of a call per space; a wider pad (a very long cell above) takes several
        for (int left = n; left > 0; left -= SPACES.length) {
            out.append(SPACES, 0, Math.min(left, SPACES.length));
        }
    }

    private static final char[] SPACES = "                                        ".toCharArray();

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
