package dev.autotune.domain.query;

import java.util.List;
import java.util.Map;

/**
 * One page of the list and how many rows match the filter in all.
 *
 * @param facets the scenarios, backends and statuses recorded so far, for filter pickers; null unless asked for
 */
public record ListPage(List<StoredSummary> rows, int total, Map<String, List<String>> facets) {
    public ListPage(List<StoredSummary> rows, int total) {
        this(rows, total, null);
    }
}
