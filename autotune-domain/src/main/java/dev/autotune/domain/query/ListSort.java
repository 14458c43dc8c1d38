package dev.autotune.domain.query;

import java.util.Set;

/** What a page of the list is sorted by: a column of the list ({@link #FIELDS}) or any metric key. */
public record ListSort(String key, boolean descending) {
    public static final ListSort NEWEST_FIRST = new ListSort("id", true);

    /** The sortable columns by their API name; anything else is taken as a metric key. */
    public static final Set<String> FIELDS = Set.of("id", "started_at", "ended_at", "scenario", "backend", "status",
            "happened_at");
}
