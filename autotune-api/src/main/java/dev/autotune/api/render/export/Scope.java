package dev.autotune.api.render.export;

import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.query.ExperimentSummary;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a set of experiments covers: scenarios, backends, counts by status and the time they span. The span
 * comes from the experiments' own timestamps, never the clock, so a report rendered again after a rebuild is
 * the same byte for byte.
 */
record Scope(Map<String, Integer> scenarios, List<String> backends, Map<ExperimentStatus, Integer> byStatus,
             int total, Instant from, Instant to) {

    static Scope of(List<ExperimentSummary> rows) {
        Map<String, Integer> scenarios = new TreeMap<>();
        TreeMap<String, Integer> backends = new TreeMap<>();
        Map<ExperimentStatus, Integer> byStatus = new EnumMap<>(ExperimentStatus.class);
        Instant from = null;
        Instant to = null;
        for (ExperimentSummary r : rows) {
            scenarios.merge(Objects.toString(r.scenario(), "-"), 1, Integer::sum);
            if (r.backend() != null) {
                backends.merge(r.backend(), 1, Integer::sum);
            }
            byStatus.merge(r.status(), 1, Integer::sum);
            // one meaning of time, as "when" everywhere: when the benchmark ran (as its report states, else when it
            // was recorded); mixing in when an experiment ended would span a measured date to a recorded one
            Instant t = r.happenedAt();
            if (t != null) {
                from = from == null || t.isBefore(from) ? t : from;
                to = to == null || t.isAfter(to) ? t : to;
            }
        }
        return new Scope(scenarios, new ArrayList<>(backends.keySet()), byStatus, rows.size(), from, to);
    }

    /** {@code llama3-8b-chat}, or several joined, for a title line. */
    String title() {
        return scenarios.isEmpty() ? "no experiments" : String.join(", ", scenarios.keySet());
    }

    /** {@code 4 experiments (3 completed, 1 failed)}. */
    String counts() {
        return total + (total == 1 ? " experiment" : " experiments") + statusCounts();
    }

    /** {@code  (3 completed, 1 failed)}, with its leading space; empty when there are no experiments. */
    String statusCounts() {
        List<String> parts = new ArrayList<>();
        byStatus.forEach((s, n) -> parts.add(n + " " + s.code()));
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    /** {@code from 2024-06-01T10:00:00Z to 2024-06-01T12:00:00Z}, or empty when nothing has a timestamp. */
    String span() {
        if (from == null) {
            return "";
        }
        return from.equals(to) ? "at " + from : "from " + from + " to " + to;
    }

    /** One sentence: counts and span. */
    String sentence() {
        String span = span();
        return counts() + (span.isEmpty() ? "" : ", " + span) + ".";
    }
}
