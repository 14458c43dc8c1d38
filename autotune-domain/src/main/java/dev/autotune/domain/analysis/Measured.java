package dev.autotune.domain.analysis;

import java.util.SortedMap;

/** One completed experiment as the budget check sees it: only what it measured. */
public record Measured(int number, String experimentId, String scenario, SortedMap<String, Double> metrics) {
}
