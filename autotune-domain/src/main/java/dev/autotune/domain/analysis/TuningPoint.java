package dev.autotune.domain.analysis;

import java.util.SortedMap;

/**
 * One completed experiment as the recommender sees it: where it sat in the knob space and what it measured.
 *
 * @param number the short experiment number people type and read in reasons
 */
public record TuningPoint(int number, String experimentId, String scenario, SortedMap<String, Object> knobs,
                          SortedMap<String, Double> metrics) {
}
