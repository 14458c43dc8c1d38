package dev.autotune.api.render.export;

import java.util.ArrayList;
import java.util.List;

/** A GitHub-flavoured Markdown table. Cells are escaped so a pipe or newline in a note cannot break the table. */
final class MarkdownTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    MarkdownTable add(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, header " + header.size());
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        line(out, header);
        out.append('|');
        header.forEach(h -> out.append(" --- |"));
        out.append('\n');
        rows.forEach(r -> line(out, r));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append('|');
        for (String c : cells) {
            String text = escape(c);
            out.append(' ').append(text).append(text.isEmpty() ? "" : " ").append('|');
        }
        out.append('\n');
    }

    static String escape(String cell) {
        if (cell == null) {
            return "";
        }
        return cell.replace("\\", "\\\\").replace("|", "\\|").replaceAll("\\R", " ").strip();
    }
}
