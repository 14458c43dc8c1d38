/**
 * The decisions: budget checks, next-config recommendations and experiment diffs, over input records of their
 * own ({@link dev.autotune.domain.analysis.TuningPoint}, {@link dev.autotune.domain.analysis.Measured}). Nothing
 * here touches a store, a file or the clock, so the same history always gives the same answer, byte for byte,
 * and every rule is unit-tested without a database. {@link dev.autotune.domain.analysis.Numbers} is here rather
 * than with the renderers because the reasons the recommender writes quote numbers under the same rule.
 */
package dev.autotune.domain.analysis;
