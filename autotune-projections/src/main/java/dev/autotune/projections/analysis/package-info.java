/**
 * Pure computations over the read models: budget checks, next-config recommendations, experiment diffs and
 * export rendering. Nothing here touches the store or the clock, so the same read models always give the
 * same output, byte for byte.
 */
package dev.autotune.projections.analysis;
