package dev.autotune.runner.report;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * The lines of a report text as {@link String#lines()} splits them ({@code \n}, {@code \r\n} or {@code \r}; no
 * empty last line), kept as two offsets per line instead of a copy of every line: a 200 MB log or JSONL file would
 * otherwise be held twice, plus an object per line. A line is cut out of the text when asked for and can be
 * dropped right after.
 */
final class TextLines extends AbstractList<String> implements RandomAccess {
    private final String text;
    private final int[] starts;
    private final int[] ends;
    private final int size;

    TextLines(String text) {
        this.text = text;
        int capacity = 16;
        int[] s = new int[capacity];
        int[] e = new int[capacity];
        int n = 0;
        int start = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                if (n == s.length) {
                    s = Arrays.copyOf(s, n * 2);
                    e = Arrays.copyOf(e, n * 2);
                }
                s[n] = start;
                e[n] = i;
                n++;
                if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < length) {
            if (n == s.length) {
                s = Arrays.copyOf(s, n + 1);
                e = Arrays.copyOf(e, n + 1);
            }
            s[n] = start;
            e[n] = length;
            n++;
        }
        this.starts = s;
        this.ends = e;
        this.size = n;
    }

    @Override
    public String get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return text.substring(starts[index], ends[index]);
    }

    /** True when line {@code index} is empty or whitespace, without cutting it out. */
    boolean isBlank(int index) {
        for (int i = starts[index]; i < ends[index]; i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int size() {
        return size;
    }
}
