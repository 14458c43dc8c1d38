package dev.autotune.projections;

import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.domain.query.ListPage;
import dev.autotune.domain.query.RunningExperiment;
import dev.autotune.domain.query.StoredSummary;
import dev.autotune.store.Database;
import dev.autotune.store.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The queries over the experiment list that {@link ListProjection} writes: whole rows, the terminal table's
 * lines, pages sorted and cut in SQL, facets, lookups by number or id, the duplicate-report check and the running
 * experiments. Every answer is a record of {@code dev.autotune.domain.query}.
 */
public final class ExperimentList {
    private static final String COLUMNS = "experiment_id, number, scenario, backend, status, source, run_id, "
            + "knobs_json, metrics_json, notes, started_at, ended_at, failure_category, tags_json, excluded_reason, "
            + "measured_at, facts_json";

    private final Database db;
    private final ListEngine query;

    public ExperimentList(Database db) {
        this.db = db;
        this.query = new ListEngine(db, this);
    }

    /** The list query engine: filters, sorts, pages and cursors, the same for the CLI and the API. */
    public ListEngine query() {
        return query;
    }

    /**
     * The matching experiments in the order they happened (see {@link #order}); with {@code last > 0} only the
     * newest {@code last}, still oldest first.
     */
    public List<ExperimentSummary> list(ListFilter filter, int last) {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT " + COLUMNS + " FROM experiment_list l" + where(filter, params) + order(last, params);
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                Rows.bind(st, params.toArray());
                try (ResultSet rs = st.executeQuery()) {
                    List<ExperimentSummary> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(summary(rs));
                    }
                    return oldestFirst(out, last);
                }
            }
        });
    }

    /**
     * By when each happened (the benchmark's measured time when its report states one, else the start), then by
     * number; the newest {@code last} when it is positive, read newest first along the (happened_at, number) index.
     */
    private static String order(int last, List<Object> params) {
        if (last <= 0) {
            return " ORDER BY l.happened_at, l.number";
        }
        params.add(last);
        return " ORDER BY l.happened_at DESC, l.number DESC LIMIT ?";
    }

    private static <T> List<T> oldestFirst(List<T> rows, int last) {
        if (last > 0) {
            Collections.reverse(rows);
        }
        return rows;
    }

    /**
     * Every matching experiment, trimmed to what a terminal table shows, by number: number, status, failure
     * category, scenario, backend, knobs, start and measured time and only the requested metrics (the other fields
     * are null).
     * This is {@code list} for
     * a cold JVM printing 10,000 rows: the metrics come as numbers from the metric table instead of parsing
     * every row's metrics JSON, and rows with the same knobs (the repeats and sweeps a history is made of) share
     * one parsed map. Ordered as {@link #list}. With {@code last > 0} only the newest {@code last}, still oldest
     * first.
     */
    public List<ExperimentSummary> lines(ListFilter filter, List<String> metrics, int last) {
        return lines(filter, metrics, last, SPLIT_ROWS);
    }

    /** {@link #lines}, read as two halves from {@code splitRows} rows on. */
    List<ExperimentSummary> lines(ListFilter filter, List<String> metrics, int last, int splitRows) {
        if (last <= 0 && !db.inTransactionOnThisThread()) {
            Object[] middle = middle(filter, splitRows);
            if (middle != null) {
                return inTwoHalves(filter, metrics, middle);
            }
        }
        return lines(filter, metrics, last, null, false);
    }

    /** Below this many rows one query is quicker than two threads with a connection each. */
    private static final int SPLIT_ROWS = 4_000;

    /**
     * A long list read as two halves at once, the second on a thread of its own with its own connection: the
     * query (SQLite's four metric lookups per row) and the mapping of each row cost a fresh JVM most of a
     * `list`, and a second core is there to share them. The halves meet at {@code middle}, a row's
     * (happened_at, number), in the order the list has, so together they are the one query's rows in its order.
     */
    private List<ExperimentSummary> inTwoHalves(ListFilter filter, List<String> metrics, Object[] middle) {
        FutureTask<List<ExperimentSummary>> second = new FutureTask<>(() -> lines(filter, metrics, 0, middle, true));
        Thread thread = new Thread(second, "list-second-half");
        thread.setDaemon(true);
        thread.start();
        List<ExperimentSummary> out = new ArrayList<>(lines(filter, metrics, 0, middle, false));
        try {
            out.addAll(second.get());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the list", e);
        }
        return out;
    }

    /**
     * The (happened_at, number) of the middle row of the list {@code filter} selects, or null when the list is
     * too short to split or that row has no time (a row-value comparison with a null decides nothing).
     */
    private Object[] middle(ListFilter filter, int splitRows) {
        List<Object> params = new ArrayList<>();
        String where = where(filter, params);
        return db.read(c -> {
            int count;
            try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM experiment_list l" + where)) {
                Rows.bind(st, params.toArray());
                try (ResultSet rs = st.executeQuery()) {
                    count = rs.next() ? rs.getInt(1) : 0;
                }
            }
            if (count < Math.max(2, splitRows)) {
                return null;
            }
            List<Object> offset = new ArrayList<>(params);
            offset.add(count / 2);
            try (PreparedStatement st = c.prepareStatement("SELECT l.happened_at, l.number FROM experiment_list l" + where
                    + " ORDER BY l.happened_at, l.number LIMIT 1 OFFSET ?")) {
                Rows.bind(st, offset.toArray());
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    String at = rs.getString(1);
                    return at == null ? null : new Object[]{at, rs.getInt(2)};
                }
            }
        });
    }

    /**
     * {@link #lines}, all of it ({@code middle} null), or the rows before {@code middle} or from it on: the
     * first half's condition is the second's, not true, so a row with no time goes with the first as it sorts.
     */
    private List<ExperimentSummary> lines(ListFilter filter, List<String> metrics, int last, Object[] middle,
                                          boolean fromMiddle) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT l.number, l.status, l.failure_category, l.scenario, l.backend, "
                + "l.knobs_json, l.started_at, l.tags_json, l.excluded_reason, l.measured_at");
        StringBuilder joins = new StringBuilder();
        for (int i = 0; i < metrics.size(); i++) {
            sql.append(", m").append(i).append(".value");
            joins.append(" LEFT JOIN experiment_list_metric m").append(i).append(" ON m").append(i)
                    .append(".number = l.number AND m").append(i).append(".metric = ?");
            params.add(metrics.get(i));
        }
        sql.append(" FROM experiment_list l").append(joins).append(where(filter, params));
        if (middle != null) {
            sql.append(fromMiddle ? " AND (l.happened_at, l.number) >= (?, ?)"
                    : " AND ((l.happened_at, l.number) >= (?, ?)) IS NOT TRUE");
            params.add(middle[0]);
            params.add(middle[1]);
        }
        sql.append(order(last, params));
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement(sql.toString())) {
                Rows.bind(st, params.toArray());
                try (ResultSet rs = st.executeQuery()) {
                    Map<String, SortedMap<String, Object>> knobs = new HashMap<>();
                    Map<String, SortedMap<String, String>> tags = new HashMap<>();
                    List<ExperimentSummary> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(line(rs, metrics, knobs, tags));
                    }
                    return oldestFirst(out, last);
                }
            }
        });
    }

    /**
     * One row of {@link #lines}. A method of its own so the JIT compiles it after a few hundred rows; the loop
     * that calls it would run interpreted to the end.
     */
    private static ExperimentSummary line(ResultSet rs, List<String> metrics, Map<String, SortedMap<String, Object>> knobs,
                                          Map<String, SortedMap<String, String>> tags) throws SQLException {
        SortedMap<String, Double> values = new TreeMap<>();
        for (int i = 0; i < metrics.size(); i++) {
            double v = rs.getDouble(11 + i);
            // each call into the driver is a native call; only a 0 can be a NULL
            if (v != 0 || !rs.wasNull()) {
                values.put(metrics.get(i), v);
            }
        }
        return new ExperimentSummary(rs.getInt(1), null, Rows.text(rs, 4), Rows.text(rs, 5),
                ExperimentStatus.parse(Rows.text(rs, 2)), null, null,
                knobs.computeIfAbsent(Rows.text(rs, 6), json -> Collections.unmodifiableSortedMap(Json.objectMap(json))),
                values, null, Rows.instant(Rows.text(rs, 7)), null, Rows.text(rs, 3), sharedTags(Rows.text(rs, 8), tags),
                Rows.text(rs, 9), Rows.instant(Rows.text(rs, 10)), null);
    }

    /** The stored rows of these experiments, in the given order (a page cut outside SQL, e.g. by a filter). */
    public List<StoredSummary> stored(List<Integer> numbers) {
        return db.read(c -> rows(c, numbers));
    }

    /** The full rows of these experiments, in the given order. */
    static List<StoredSummary> rows(Connection c, List<Integer> numbers) throws SQLException {
        if (numbers.isEmpty()) {
            return List.of();
        }
        Map<Integer, StoredSummary> byNumber = new HashMap<>();
        String marks = String.join(", ", Collections.nCopies(numbers.size(), "?"));
        try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM experiment_list WHERE number IN ("
                + marks + ")")) {
            Rows.bind(st, numbers.toArray());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    StoredSummary row = stored(rs);
                    byNumber.put(row.number(), row);
                }
            }
        }
        return numbers.stream().map(byNumber::get).filter(Objects::nonNull).toList();
    }

    static String where(ListFilter filter, List<Object> params) {
        StringBuilder sql = new StringBuilder(filter.includeExcluded() ? " WHERE 1 = 1" : " WHERE l.excluded_reason IS NULL");
        if (filter.scenario() != null) {
            sql.append(" AND l.scenario = ?");
            params.add(filter.scenario());
        }
        if (filter.status() != null) {
            sql.append(" AND l.status = ?");
            params.add(filter.status());
        }
        if (filter.backend() != null) {
            sql.append(" AND l.backend = ?");
            params.add(filter.backend());
        }
        return sql.toString();
    }

    /**
     * The distinct scenarios, backends and statuses recorded, for filter pickers: the most experiments first (the
     * dashboard opens on the first scenario, so one stray run does not decide what it shows), then by name.
     */
    public Map<String, List<String>> facets() {
        return db.read(c -> {
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (String column : List.of("scenario", "backend", "status")) {
                try (PreparedStatement st = c.prepareStatement("SELECT " + column + " FROM experiment_list WHERE " + column
                        + " IS NOT NULL GROUP BY " + column + " ORDER BY COUNT(*) DESC, " + column);
                     ResultSet rs = st.executeQuery()) {
                    List<String> values = new ArrayList<>();
                    while (rs.next()) {
                        values.add(rs.getString(1));
                    }
                    out.put(column, values);
                }
            }
            return out;
        });
    }

    /**
     * The experiments a reference the user typed may mean: the one with that short number, else the one with that
     * full id, else those whose id starts with it (at most {@code limit}, by number); excluded ones too. A reference
     * of digits only is a number and nothing else: "9" must not quietly mean an experiment whose id starts with 9
     * when there is no experiment 9.
     */
    public List<ExperimentSummary> resolve(String ref, int limit) {
        Optional<ExperimentSummary> exact = find(ref);
        if (exact.isPresent() || ref.matches("\\d{1,9}")) {
            return exact.map(List::of).orElse(List.of());
        }
        return db.read(c -> {
            // substr rather than LIKE: an id prefix may hold '_' or '%', which LIKE would take as wildcards
            try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM experiment_list "
                    + "WHERE substr(experiment_id, 1, ?) = ? ORDER BY number LIMIT ?")) {
                Rows.bind(st, ref.length(), ref, limit);
                try (ResultSet rs = st.executeQuery()) {
                    List<ExperimentSummary> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(summary(rs));
                    }
                    return out;
                }
            }
        });
    }

    /** Finds an experiment by its short number or its full id. */
    public Optional<ExperimentSummary> find(String idOrNumber) {
        String sql = "SELECT " + COLUMNS + " FROM experiment_list WHERE "
                + (idOrNumber.matches("\\d{1,9}") ? "number = ?" : "experiment_id = ?");
        Object key = idOrNumber.matches("\\d{1,9}") ? (Object) Integer.parseInt(idOrNumber) : idOrNumber;
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                Rows.bind(st, key);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(summary(rs)) : Optional.empty();
                }
            }
        });
    }

    /**
     * An earlier experiment that recorded the same report file with the same knob values, if any: one indexed
     * lookup on the report's hash, the knobs compared by their hash (the canonical knobs JSON, as the list stores it).
     */
    public Optional<Integer> duplicateOf(String reportSha256, String scenario, Map<String, Object> knobs) {
        return recordedBefore(reportSha256, null, scenario, knobs).sameReport();
    }

    /**
     * What an ingest's duplicate checks find among the earlier experiments of its scenario.
     *
     * @param sameReport the first that recorded the same report file with the same knob values
     * @param sameRun    those that recorded the same benchmark run (the run fingerprint of {@code ReportParsed}),
     *                   with their knobs, oldest first; which of them count as the same config is the caller's rule
     */
    public record Earlier(Optional<Integer> sameReport, List<ExperimentSummary> sameRun) {
    }

    /**
     * Both duplicate checks of an ingest in one statement, each branch one seek on its index (ending in number,
     * V10): an ingest runs them under the write lock, so a statement less is time every writer waits less.
     * {@code runFingerprint} null looks for the report only.
     */
    public Earlier recordedBefore(String reportSha256, String runFingerprint, String scenario,
                                  Map<String, Object> knobs) {
        // the list stores canonical knobs (KnobNames), so the same config under other names is the same config
        String knobsSha256 = Json.sha256(Json.write(new TreeMap<>(dev.autotune.domain.KnobNames.config(knobs))));
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT 'report' AS found, knobs_sha256, " + COLUMNS
                    + " FROM experiment_list WHERE report_sha256 = ? AND scenario = ? UNION ALL SELECT 'run', "
                    + "knobs_sha256, " + COLUMNS + " FROM experiment_list WHERE run_fingerprint = ? AND scenario = ?")) {
                Rows.bind(st, reportSha256, scenario, runFingerprint, scenario);
                Integer sameReport = null;
                List<ExperimentSummary> sameRun = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(1).equals("run")) {
                            sameRun.add(summary(rs));
                        } else if (knobsSha256.equals(rs.getString(2))
                                && (sameReport == null || rs.getInt("number") < sameReport)) {
                            sameReport = rs.getInt("number");
                        }
                    }
                }
                sameRun.sort(java.util.Comparator.comparingInt(ExperimentSummary::number));
                return new Earlier(Optional.ofNullable(sameReport), sameRun);
            }
        });
    }

    /** The first experiment of this scenario that recorded this report file, whatever its knobs. */
    public Optional<Integer> withReport(String reportSha256, String scenario) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT min(number) FROM experiment_list "
                    + "WHERE report_sha256 = ? AND scenario = ?")) {
                Rows.bind(st, reportSha256, scenario);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next(); // min() always answers one row, NULL when nothing matched
                    int number = rs.getInt(1);
                    return rs.wasNull() ? Optional.empty() : Optional.of(number);
                }
            }
        });
    }

    /** The earlier experiments of this scenario that recorded the same benchmark run, oldest first. */
    public List<ExperimentSummary> sameRun(String runFingerprint, String scenario) {
        return recordedBefore(null, runFingerprint, scenario, Map.of()).sameRun();
    }

    public List<RunningExperiment> running() {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT experiment_id, number, run_id, runner_pid, "
                    + "runner_host, runner_started_at FROM experiment_list WHERE status = 'running' ORDER BY number");
                 ResultSet rs = st.executeQuery()) {
                List<RunningExperiment> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new RunningExperiment(rs.getString(1), rs.getInt(2), rs.getString(3),
                            Rows.longValue(rs, "runner_pid"), rs.getString(5), rs.getString(6)));
                }
                return out;
            }
        });
    }

    /** A row of {@link #COLUMNS} as stored. */
    private static StoredSummary stored(ResultSet rs) throws SQLException {
        return new StoredSummary(rs.getInt("number"), rs.getString("experiment_id"), rs.getString("scenario"),
                rs.getString("backend"), rs.getString("status"), rs.getString("source"), rs.getString("run_id"),
                rs.getString("knobs_json"), rs.getString("metrics_json"), rs.getString("notes"),
                rs.getString("started_at"), rs.getString("ended_at"), rs.getString("failure_category"),
                rs.getString("tags_json"), rs.getString("excluded_reason"), rs.getString("measured_at"),
                rs.getString("facts_json"));
    }

    private static ExperimentSummary summary(ResultSet rs) throws SQLException {
        return summary(stored(rs));
    }

    /** A stored row with its JSON and times parsed. */
    public static ExperimentSummary summary(StoredSummary r) {
        return new ExperimentSummary(r.number(), r.experimentId(), r.scenario(), r.backend(),
                ExperimentStatus.parse(r.status()), r.source(), r.runId(), Json.objectMap(r.knobsJson()),
                Json.doubleMap(r.metricsJson()), r.notes(), Rows.instant(r.startedAt()), Rows.instant(r.endedAt()),
                r.failureCategory(), tags(r.tagsJson()), r.excludedReason(), Rows.instant(r.measuredAt()),
                r.factsJson() == null ? null : Collections.unmodifiableSortedMap(Json.objectMap(r.factsJson())));
    }

    /**
     * The tags of one line of {@link #lines}, parsed once per distinct text: most histories tag many experiments
     * alike or not at all, and a JSON parser per row ({@code {}} included) was some 40% of reading 10,000 rows.
     */
    private static SortedMap<String, String> sharedTags(String json, Map<String, SortedMap<String, String>> parsed) {
        return json == null ? Collections.emptySortedMap()
                : parsed.computeIfAbsent(json, text -> Collections.unmodifiableSortedMap(Json.stringMap(text)));
    }

    private static SortedMap<String, String> tags(String json) {
        return json == null ? Collections.emptySortedMap() : Json.stringMap(json);
    }
}
