package dev.autotune.domain.query;

import java.time.Instant;

/** One entry of the event log, with the short number of its experiment (null when it has none yet). */
public record LoggedEvent(long index, String type, String experimentId, Integer number, Instant at) {
}
