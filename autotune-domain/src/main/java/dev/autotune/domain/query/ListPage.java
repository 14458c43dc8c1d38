package dev.autotune.domain.query;

import java.util.List;
import java.util.Map;

/**
 * One page of the list and how many rows match the filter in all.
 *
 * @param facets the scenarios, backends and statuses recorded so far, for filter pickers; null unless asked for
 * @param next   the cursor ({@link ListCursor#encode}) of the page after this one; null on the last page
 * @param sort   the order the page is in
 */
public record ListPage(List<StoredSummary> rows, int total, Map<String, List<String>> facets, String next,
                       ListSort sort) {
    public ListPage(List<StoredSummary> rows, int total) {
        this(rows, total, null, null, null);
    }

    public ListPage withFacets(Map<String, List<String>> facets) {
        return new ListPage(rows, total, facets, next, sort);
    }
}
