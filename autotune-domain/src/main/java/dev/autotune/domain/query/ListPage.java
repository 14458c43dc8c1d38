package dev.autotune.domain.query;

import java.util.List;

/** One page of the list and how many rows match the filter in all. */
public record ListPage(List<StoredSummary> rows, int total) {
}
