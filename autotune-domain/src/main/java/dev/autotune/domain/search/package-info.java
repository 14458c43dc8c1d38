/**
 * Searching a declared space of knob values: the space itself ({@link dev.autotune.domain.search.SearchSpace}),
 * what was measured in it ({@link dev.autotune.domain.search.Observation}) and the strategies that choose the next
 * config ({@link dev.autotune.domain.search.Strategy}). Pure code: no I/O, deterministic for a given seed.
 */
package dev.autotune.domain.search;
