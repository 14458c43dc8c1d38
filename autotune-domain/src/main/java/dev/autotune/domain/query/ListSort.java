package dev.autotune.domain.query;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What the list is ordered by: any {@link ListColumn} (a field, a metric, {@code tag.NAME} or a knob), the same
 * names for {@code list --sort} and {@code GET /api/experiments?sort=}.
 */
public record ListSort(ListColumn column, boolean descending) {
    public static final ListSort NEWEST_FIRST = new ListSort(ListColumn.field("id"), true);

    /** The column's key: the field name, the metric key, {@code tag.NAME} or the knob's full path. */
    public String key() {
        return column.key();
    }

    public Comparator<ExperimentSummary> order() {
        return column.order(descending);
    }

    /**
     * {@code COLUMN[:asc|desc]}; ascending unless it says otherwise.
     *
     * @param knobPaths the knob paths a knob name resolves against; only asked for when the name is no field, metric
     *                  or tag
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ListSort parse(String spec, Supplier<? extends Collection<String>> knobPaths) {
        String name = spec.trim();
        Boolean descending = null;
        int colon = name.lastIndexOf(':');
        if (colon > 0) {
            String dir = name.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (!dir.equals("asc") && !dir.equals("desc")) {
                throw new IllegalArgumentException("'" + spec + "': the order after ':' must be asc or desc");
            }
            descending = dir.equals("desc");
            name = name.substring(0, colon);
        }
        return new ListSort(column(name, knobPaths), descending != null && descending);
    }

    /** The column a sort name means; knob paths are read only when the name is no field, metric or tag. */
    public static ListColumn column(String name, Supplier<? extends Collection<String>> knobPaths) {
        try {
            return ListColumn.resolve(name, java.util.List.of());
        } catch (IllegalArgumentException e) {
            return ListColumn.resolve(name, knobPaths.get());
        }
    }
}
