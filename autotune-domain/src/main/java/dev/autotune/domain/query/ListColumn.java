package dev.autotune.domain.query;

import dev.autotune.domain.Metric;
import dev.autotune.domain.search.Expression;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A column of the experiment list, by the name people type in {@code --columns} and {@code --sort}: a list field
 * ({@link #FIELDS}), a metric key ({@code tpot_ms}, {@code latency_p95_ms}; {@code tok/s} is throughput), a tag
 * ({@code tag.gpu}) or a knob (its full dotted path or an unambiguous suffix, with or without {@code knob.}). The
 * list filter ({@link Where}) reads the same fields.
 *
 * @param key   what the column is: the field name, the metric key, {@code tag.NAME} or the knob's full path
 * @param kind  which of the four it is
 */
public record ListColumn(String key, Kind kind, Function<ExperimentSummary, Object> value) {
    public enum Kind { FIELD, METRIC, TAG, KNOB }

    /**
     * The list's own fields and what each reads from a row: {@code recorded} is when the experiment started,
     * {@code measured} when its benchmark ran as its report states, {@code happened} the measured time when there is
     * one, else the recorded one (what the table's "when" shows and the history is ordered by).
     */
    public static final Map<String, Function<ExperimentSummary, Object>> FIELDS = fields();

    private static Map<String, Function<ExperimentSummary, Object>> fields() {
        Map<String, Function<ExperimentSummary, Object>> f = new LinkedHashMap<>();
        f.put("id", ExperimentSummary::number);
        f.put("status", r -> r.status().code());
        f.put("scenario", ExperimentSummary::scenario);
        f.put("backend", ExperimentSummary::backend);
        f.put("source", ExperimentSummary::source);
        f.put("recorded", ExperimentSummary::startedAt);
        f.put("ended", ExperimentSummary::endedAt);
        f.put("measured", ExperimentSummary::measuredAt);
        f.put("happened", ExperimentSummary::happenedAt);
        return java.util.Collections.unmodifiableMap(f);
    }

    /** Names that mean a field or metric under another name, as the table heads them. */
    private static final Map<String, String> ALIASES = Map.of("when", "happened", "tok/s", "throughput_tokens_per_sec",
            "started_at", "recorded", "ended_at", "ended", "measured_at", "measured", "happened_at", "happened");

    public static ListColumn field(String name) {
        return new ListColumn(name, Kind.FIELD, FIELDS.get(name));
    }

    public static ListColumn metric(String key) {
        return new ListColumn(key, Kind.METRIC, r -> r.metric(key));
    }

    public static ListColumn knob(String path) {
        return new ListColumn(path, Kind.KNOB, r -> r.knobs().get(path));
    }

    public static ListColumn tag(String name) {
        return new ListColumn("tag." + name, Kind.TAG, r -> r.tags().get(name));
    }

    /**
     * The column a name means, among the knobs of the rows shown.
     *
     * @throws IllegalArgumentException naming what the name could have been
     */
    public static ListColumn resolve(String name, Collection<String> knobPaths) {
        String n = name.trim();
        String lower = ALIASES.getOrDefault(n.toLowerCase(Locale.ROOT), n.toLowerCase(Locale.ROOT));
        if (FIELDS.containsKey(lower)) {
            return field(lower);
        }
        if (Metric.byKey(lower).isPresent()) {
            return metric(lower);
        }
        if (n.startsWith("tag.") && n.length() > 4) {
            return tag(n.substring(4));
        }
        String knob = n.startsWith("knob.") ? n.substring(5) : n;
        List<String> paths = List.copyOf(new TreeSet<>(knobPaths));
        dev.autotune.domain.KnobNames.Resolved resolved = Expression.resolve(knob, paths);
        if (resolved.knob() != null) {
            return knob(resolved.knob());
        }
        if (resolved.problem().contains("ambiguous")) {
            throw new IllegalArgumentException(resolved.problem());
        }
        throw new IllegalArgumentException("no column '" + n + "': use " + String.join(", ", FIELDS.keySet())
                + ", a metric (latency_ms, ttft_ms, tpot_ms, latency_p95_ms, ...), tag.NAME or a knob"
                + (paths.isEmpty() ? "" : " (" + String.join(", ", paths) + ")"));
    }

    /**
     * Orders rows by this column; rows without a value come last in either direction, ties by number in the same
     * direction. Numbers compare as numbers, dates as dates, anything else as text. This is the order the database
     * pages in too ({@code ORDER BY value DESC, number DESC} walks one index backwards), so a sort answered in memory
     * and one answered in SQL agree row for row.
     */
    public Comparator<ExperimentSummary> order(boolean descending) {
        Comparator<Object> values = (a, b) -> {
            if (a instanceof Number x && b instanceof Number y) {
                return Double.compare(x.doubleValue(), y.doubleValue());
            }
            if (a instanceof Instant x && b instanceof Instant y) {
                return x.compareTo(y);
            }
            return String.valueOf(a).compareTo(String.valueOf(b));
        };
        Comparator<Object> directed = descending ? values.reversed() : values;
        Comparator<ExperimentSummary> byNumber = Comparator.comparingInt(ExperimentSummary::number);
        return Comparator.comparing((ExperimentSummary r) -> value.apply(r), Comparator.nullsLast(directed))
                .thenComparing(descending ? byNumber.reversed() : byNumber);
    }

    /** Whether the database can order by it: the list's own fields and the metrics have columns and indexes. */
    public boolean sortableInSql() {
        return kind == Kind.FIELD || kind == Kind.METRIC;
    }

    /**
     * The shortest suffix of each dotted path, on a dot boundary, that no other of these paths ends with:
     * {@code serving.batch_size} heads its column {@code batch_size} unless another knob ends in it too.
     */
    public static Map<String, String> shortLabels(Collection<String> paths) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String path : paths) {
            String[] segments = path.split("\\.");
            String label = path;
            for (int k = 1; k < segments.length; k++) {
                String suffix = String.join(".", java.util.Arrays.copyOfRange(segments, segments.length - k, segments.length));
                boolean unique = paths.stream().noneMatch(p -> !p.equals(path) && (p.equals(suffix) || p.endsWith("." + suffix)));
                if (unique) {
                    label = suffix;
                    break;
                }
            }
            out.put(path, label);
        }
        return out;
    }

    /** Column names from a comma-separated list, blanks dropped. */
    public static List<String> names(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }
}
