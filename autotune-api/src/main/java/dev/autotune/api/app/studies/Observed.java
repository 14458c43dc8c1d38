package dev.autotune.api.app.studies;

import dev.autotune.domain.search.Observation;

/** An observation of a study's space, the experiment number it came from, and the trial it answered (or null). */
record Observed(Observation observation, int experiment, Integer trial) {
}
