package dev.autotune.projections;

import dev.autotune.domain.ExperimentApi.ConfigResolved;
import dev.autotune.domain.ExperimentApi.ExperimentAbandoned;
import dev.autotune.domain.ExperimentApi.ExperimentCompleted;
import dev.autotune.domain.ExperimentApi.ExperimentFailed;
import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.domain.ExperimentApi.MetricsRecorded;
import dev.autotune.domain.ExperimentApi.ReportParsed;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.store.Database;
import dev.autotune.store.Json;
import org.axonframework.eventhandling.EventHandler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The experiment list: one row per experiment with its knobs, headline metrics and status. */
public class ListProjection extends BatchedProjection<ListProjection.ListRow> {
    private static final String COLUMNS = "experiment_id, number, scenario, backend, status, source, run_id, "
            + "knobs_json, metrics_json, notes, started_at, ended_at, failure_category";

    static final class ListRow extends BatchedProjection.Row {
        int number;
        String scenario;
        String backend;
        ExperimentStatus status;
        String source;
        String runId;
        TreeMap<String, Object> knobs = new TreeMap<>();
        TreeMap<String, Object> metrics = new TreeMap<>();
        /** Metrics recorded in this batch, for the one-row-per-metric table the list sorts by. */
        final Map<String, Double> newMetrics = new TreeMap<>();
        String reportSha256;
        String configSha256;
        String notes;
        Long runnerPid;
        String runnerHost;
        String runnerStartedAt;
        String startedAt;
        String endedAt;
        String failureCategory;

        ListRow(String experimentId) {
            super(experimentId);
        }
    }

    public ListProjection(Database db) {
        super(db);
    }

    @EventHandler
    void on(ExperimentStarted e) throws SQLException {
        ListRow r = new ListRow(e.experimentId());
        r.number = nextNumber();
        r.scenario = e.scenario();
        r.backend = e.backend();
        r.status = ExperimentStatus.RUNNING;
        r.source = e.source().name().toLowerCase(Locale.ROOT);
        r.runId = e.runId();
        r.knobs.putAll(e.config());
        r.configSha256 = e.configSha256();
        r.notes = e.notes();
        if (e.runner() != null) {
            r.runnerPid = e.runner().pid();
            r.runnerHost = e.runner().host();
            r.runnerStartedAt = e.runner().processStartedAt() == null ? null : e.runner().processStartedAt().toString();
        }
        r.startedAt = e.startedAt().toString();
        add(r);
    }

    @EventHandler
    void on(ConfigResolved e) throws SQLException {
        ListRow r = row(e.experimentId());
        if (r != null) {
            r.knobs.putAll(e.config());
        }
    }

    @EventHandler
    void on(ReportParsed e) throws SQLException {
        ListRow r = row(e.experimentId());
        if (r != null && r.reportSha256 == null) {
            r.reportSha256 = e.sha256();
        }
    }

    @EventHandler
    void on(MetricsRecorded e) throws SQLException {
        ListRow r = row(e.experimentId());
        if (r != null) {
            r.metrics.putAll(e.metrics());
            r.newMetrics.putAll(e.metrics());
        }
    }

    @EventHandler
    void on(ExperimentCompleted e) throws SQLException {
        end(e.experimentId(), ExperimentStatus.COMPLETED, e.completedAt(), null);
    }

    @EventHandler
    void on(ExperimentFailed e) throws SQLException {
        end(e.experimentId(), ExperimentStatus.FAILED, e.failedAt(), e.category());
    }

    @EventHandler
    void on(ExperimentAbandoned e) throws SQLException {
        end(e.experimentId(), ExperimentStatus.ABANDONED, e.abandonedAt(), FailureCategory.ABANDONED.code());
    }

    private void end(String id, ExperimentStatus status, Instant at, String category) throws SQLException {
        ListRow r = row(id);
        if (r != null) {
            r.status = status;
            r.endedAt = at.toString();
            r.failureCategory = category;
        }
    }

    @Override
    protected String table() {
        return "experiment_list";
    }

    @Override
    protected ListRow load(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM experiment_list WHERE experiment_id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                ListRow r = new ListRow(id);
                r.number = rs.getInt("number");
                r.scenario = rs.getString("scenario");
                r.backend = rs.getString("backend");
                r.status = ExperimentStatus.parse(rs.getString("status"));
                r.source = rs.getString("source");
                r.runId = rs.getString("run_id");
                r.knobs = Json.objectMap(rs.getString("knobs_json"));
                r.metrics = Json.objectMap(rs.getString("metrics_json"));
                r.reportSha256 = rs.getString("report_sha256");
                r.configSha256 = rs.getString("config_sha256");
                r.notes = rs.getString("notes");
                r.runnerPid = Rows.longValue(rs, "runner_pid");
                r.runnerHost = rs.getString("runner_host");
                r.runnerStartedAt = rs.getString("runner_started_at");
                r.startedAt = rs.getString("started_at");
                r.endedAt = rs.getString("ended_at");
                r.failureCategory = rs.getString("failure_category");
                return r;
            }
        }
    }

    @Override
    protected void write(Connection c, List<ListRow> inserted, List<ListRow> updated) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO experiment_list (experiment_id, number, "
                + "scenario, backend, status, source, run_id, knobs_json, metrics_json, report_sha256, config_sha256, "
                + "notes, runner_pid, runner_host, runner_started_at, started_at, ended_at, failure_category) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement update = c.prepareStatement("UPDATE experiment_list SET status = ?, knobs_json = ?, "
                     + "metrics_json = ?, report_sha256 = ?, ended_at = ?, failure_category = ? WHERE experiment_id = ?")) {
            for (ListRow r : inserted) {
                addBatch(insert, r.experimentId, r.number, r.scenario, r.backend, r.status, r.source, r.runId,
                        Json.write(r.knobs), Json.write(r.metrics), r.reportSha256, r.configSha256, r.notes,
                        r.runnerPid, r.runnerHost, r.runnerStartedAt, r.startedAt, r.endedAt, r.failureCategory);
            }
            for (ListRow r : updated) {
                addBatch(update, r.status, Json.write(r.knobs), Json.write(r.metrics), r.reportSha256, r.endedAt,
                        r.failureCategory, r.experimentId);
            }
            insert.executeBatch();
            update.executeBatch();
        }
        try (PreparedStatement metric = c.prepareStatement("INSERT INTO experiment_list_metric (number, metric, value) "
                + "VALUES (?, ?, ?) ON CONFLICT (number, metric) DO UPDATE SET value = excluded.value")) {
            for (List<ListRow> rows : List.of(inserted, updated)) {
                for (ListRow r : rows) {
                    for (Map.Entry<String, Double> m : r.newMetrics.entrySet()) {
                        addBatch(metric, r.number, m.getKey(), m.getValue());
                    }
                }
            }
            metric.executeBatch();
        }
    }

    @Override
    public void reset(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM experiment_list");
            st.executeUpdate("DELETE FROM experiment_list_metric");
        }
    }

    // ---- queries ----

    public record Filter(String scenario, ExperimentStatus status, String backend) {
        public static final Filter ALL = new Filter(null, null, null);
    }

    /** The matching experiments by number; with {@code last > 0} only the newest {@code last}, still oldest first. */
    public List<ExperimentSummary> list(Filter filter, int last) {
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

    /** By number; the newest {@code last} when it is positive, read newest first along the number index. */
    private static String order(int last, List<Object> params) {
        if (last <= 0) {
            return " ORDER BY l.number";
        }
        params.add(last);
        return " ORDER BY l.number DESC LIMIT ?";
    }

    private static <T> List<T> oldestFirst(List<T> rows, int last) {
        if (last > 0) {
            Collections.reverse(rows);
        }
        return rows;
    }

    /**
     * One line of the terminal table: the columns `autotune list` prints, with the requested metrics in the
     * requested order ({@code null} where an experiment did not measure one).
     */
    public record Line(int number, ExperimentStatus status, String failureCategory, String scenario, String backend,
                       Map<String, Object> knobs, List<Double> metrics, Instant startedAt) {
    }

    /**
     * Every matching experiment as a {@link Line}, by number. This is {@code list} trimmed to what a table shows,
     * for a cold JVM printing 10,000 rows: the metrics come as numbers from the metric table instead of parsing
     * every row's metrics JSON, and rows with the same knobs (the repeats and sweeps a history is made of) share
     * one parsed map. With {@code last > 0} only the newest {@code last}, still oldest first.
     */
    public List<Line> lines(Filter filter, List<String> metrics, int last) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT l.number, l.status, l.failure_category, l.scenario, l.backend, "
                + "l.knobs_json, l.started_at");
        StringBuilder joins = new StringBuilder();
        for (int i = 0; i < metrics.size(); i++) {
            sql.append(", m").append(i).append(".value");
            joins.append(" LEFT JOIN experiment_list_metric m").append(i).append(" ON m").append(i)
                    .append(".number = l.number AND m").append(i).append(".metric = ?");
            params.add(metrics.get(i));
        }
        sql.append(" FROM experiment_list l").append(joins).append(where(filter, params)).append(order(last, params));
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement(sql.toString())) {
                Rows.bind(st, params.toArray());
                try (ResultSet rs = st.executeQuery()) {
                    Map<String, Map<String, Object>> knobs = new HashMap<>();
                    List<Line> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(line(rs, metrics.size(), knobs));
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
    private static Line line(ResultSet rs, int metricCount, Map<String, Map<String, Object>> knobs)
            throws SQLException {
        Double[] values = new Double[metricCount];
        for (int i = 0; i < values.length; i++) {
            double v = rs.getDouble(8 + i);
            // each call into the driver is a native call; only a 0 can be a NULL
            values[i] = v == 0 && rs.wasNull() ? null : v;
        }
        return new Line(rs.getInt(1), ExperimentStatus.parse(Rows.text(rs, 2)), Rows.text(rs, 3),
                Rows.text(rs, 4), Rows.text(rs, 5),
                knobs.computeIfAbsent(Rows.text(rs, 6), json -> Collections.unmodifiableMap(Json.objectMap(json))),
                Arrays.asList(values), Rows.instant(Rows.text(rs, 7)));
    }

    /** What a page is sorted by: a column of the list ({@link #SORT_FIELDS}) or any metric key. */
    public record Sort(String key, boolean descending) {
        public static final Sort NEWEST_FIRST = new Sort("id", true);
    }

    /** One page of the list and how many rows match the filter in all. */
    public record Page(List<StoredRow> rows, int total) {
    }

    /**
     * A list row as stored: the JSON columns and times as their text. A page of 100 spent most of its time
     * parsing knobs and metrics only to write them out again as the same JSON; a writer can pass these through.
     */
    public record StoredRow(int number, String experimentId, String scenario, String backend, String status,
                            String source, String runId, String knobsJson, String metricsJson, String notes,
                            String startedAt, String endedAt, String failureCategory) {
        public ExperimentSummary summary() {
            return new ExperimentSummary(number, experimentId, scenario, backend, ExperimentStatus.parse(status),
                    source, runId, Json.objectMap(knobsJson), Json.doubleMap(metricsJson), notes,
                    Rows.instant(startedAt), Rows.instant(endedAt), failureCategory);
        }
    }

    /** The sortable columns by their API name; anything else is taken as a metric key. */
    public static final Map<String, String> SORT_FIELDS = Map.of(
            "id", "l.number", "started_at", "l.started_at", "ended_at", "l.ended_at", "scenario", "l.scenario",
            "backend", "l.backend", "status", "l.status");
    /** Sort columns that may be NULL: their rows without a value go after the rest. */
    private static final Set<String> NULLABLE = Set.of("ended_at", "backend");

    /**
     * One page, sorted and cut in SQL so a request costs about the same with 10 or 100,000 experiments. Rows
     * without the sort value (a metric the report did not give, a run not ended) come last in either order; ties
     * fall back to the experiment number. Each part selects only experiment numbers along an index (every sort
     * key has one ending in the number), and only the page's rows are read in full.
     */
    public Page page(Filter filter, Sort sort, int limit, int offset) {
        String dir = sort.descending() ? " DESC" : " ASC";
        List<Object> filterParams = new ArrayList<>();
        String where = where(filter, filterParams);
        String column = SORT_FIELDS.get(sort.key());
        // part A: the rows that have the sort value, in its order; part B: the rest, by number
        Query withValue;
        Query withoutValue = null;
        if (column == null) {
            // unfiltered, the (metric, value, number) index alone answers; a filter needs the list row too
            String has = filterParams.isEmpty() ? "FROM experiment_list_metric s WHERE s.metric = ?"
                    : "FROM experiment_list_metric s JOIN experiment_list l ON l.number = s.number" + where
                    + " AND s.metric = ?";
            withValue = new Query("SELECT s.number " + has + " ORDER BY s.value" + dir + ", s.number" + dir,
                    "SELECT count(*) " + has, append(filterParams, sort.key()));
            String lacks = "FROM experiment_list l" + where + " AND NOT EXISTS (SELECT 1 FROM experiment_list_metric s "
                    + "WHERE s.number = l.number AND s.metric = ?)";
            withoutValue = new Query("SELECT l.number " + lacks + " ORDER BY l.number" + dir, null,
                    append(filterParams, sort.key()));
        } else if (NULLABLE.contains(sort.key())) {
            withValue = new Query("SELECT l.number FROM experiment_list l" + where + " AND " + column
                    + " IS NOT NULL ORDER BY " + column + dir + ", l.number" + dir,
                    "SELECT count(*) FROM experiment_list l" + where + " AND " + column + " IS NOT NULL", filterParams);
            withoutValue = new Query("SELECT l.number FROM experiment_list l" + where + " AND " + column
                    + " IS NULL ORDER BY l.number" + dir, null, filterParams);
        } else {
            withValue = new Query("SELECT l.number FROM experiment_list l" + where + " ORDER BY " + column + dir
                    + (column.equals("l.number") ? "" : ", l.number" + dir), null, filterParams);
        }
        Query remainder = withoutValue;
        return db.read(c -> {
            int total = count(c, "SELECT count(*) FROM experiment_list l" + where, filterParams);
            List<Integer> numbers = numbers(c, withValue, limit, offset);
            if (numbers.size() < limit && remainder != null) {
                // the page runs past the rows that have the value: continue into those that lack it
                int valued = numbers.isEmpty() ? count(c, withValue.countSql(), withValue.params())
                        : offset + numbers.size();
                numbers.addAll(numbers(c, remainder, limit - numbers.size(), Math.max(0, offset - valued)));
            }
            return new Page(rows(c, numbers), total);
        });
    }

    private record Query(String sql, String countSql, List<Object> params) {
    }

    private static List<Object> append(List<Object> params, Object more) {
        List<Object> all = new ArrayList<>(params);
        all.add(more);
        return all;
    }

    private static int count(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            Rows.bind(st, params.toArray());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static List<Integer> numbers(Connection c, Query q, int limit, int offset) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(q.sql() + " LIMIT ? OFFSET ?")) {
            Rows.bind(st, append(append(q.params(), limit), offset).toArray());
            try (ResultSet rs = st.executeQuery()) {
                List<Integer> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
                return out;
            }
        }
    }

    /** The full rows of these experiments, in the given order. */
    private static List<StoredRow> rows(Connection c, List<Integer> numbers) throws SQLException {
        if (numbers.isEmpty()) {
            return List.of();
        }
        Map<Integer, StoredRow> byNumber = new HashMap<>();
        String marks = String.join(", ", Collections.nCopies(numbers.size(), "?"));
        try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM experiment_list WHERE number IN ("
                + marks + ")")) {
            Rows.bind(st, numbers.toArray());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    StoredRow row = stored(rs);
                    byNumber.put(row.number(), row);
                }
            }
        }
        return numbers.stream().map(byNumber::get).filter(Objects::nonNull).toList();
    }

    private static String where(Filter filter, List<Object> params) {
        StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
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

    /** The distinct scenarios, backends and statuses recorded, for filter pickers. */
    public Map<String, List<String>> facets() {
        return db.read(c -> {
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (String column : List.of("scenario", "backend", "status")) {
                try (PreparedStatement st = c.prepareStatement("SELECT DISTINCT " + column + " FROM experiment_list "
                        + "WHERE " + column + " IS NOT NULL ORDER BY " + column);
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

    /** One entry of the event log, with the experiment number the list gave its aggregate. */
    public record LoggedEvent(long index, String type, String experimentId, Integer number, Instant at) {
    }

    /**
     * The events after {@code after} up to {@code upTo}, oldest first. It reads the log itself (not a read model)
     * joined to this projection's numbers, so a live feed can say "experiment 7 completed" once the list shows it.
     */
    public List<LoggedEvent> eventsAfter(long after, long upTo, int limit) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT e.globalIndex, e.payloadType, e.aggregateIdentifier, "
                    + "e.timeStamp, l.number FROM DomainEventEntry e LEFT JOIN experiment_list l "
                    + "ON l.experiment_id = e.aggregateIdentifier WHERE e.globalIndex > ? AND e.globalIndex <= ? "
                    + "ORDER BY e.globalIndex LIMIT ?")) {
                Rows.bind(st, after, upTo, limit);
                try (ResultSet rs = st.executeQuery()) {
                    List<LoggedEvent> out = new ArrayList<>();
                    while (rs.next()) {
                        String type = rs.getString(2);
                        String simple = type.substring(Math.max(type.lastIndexOf('.'), type.lastIndexOf('$')) + 1);
                        out.add(new LoggedEvent(rs.getLong(1), simple, rs.getString(3), Rows.integer(rs, "number"),
                                Rows.instant(rs.getString(4))));
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

    /** An earlier experiment that recorded the same report file with the same knob values, if any. */
    public Optional<Integer> duplicateOf(String reportSha256, String scenario, java.util.Map<String, Object> knobs) {
        String knobsJson = Json.write(new java.util.TreeMap<>(knobs));
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT number, knobs_json FROM experiment_list "
                    + "WHERE report_sha256 = ? AND scenario = ? ORDER BY number")) {
                Rows.bind(st, reportSha256, scenario);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        if (Json.write(Json.objectMap(rs.getString(2))).equals(knobsJson)) {
                            return Optional.of(rs.getInt(1));
                        }
                    }
                    return Optional.empty();
                }
            }
        });
    }

    /** A running experiment and the process that owns it, for noticing runners that died. */
    public record RunningExperiment(String experimentId, int number, Long pid, String host, String processStartedAt) {
    }

    public List<RunningExperiment> running() {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT experiment_id, number, runner_pid, runner_host, "
                    + "runner_started_at FROM experiment_list WHERE status = 'running' ORDER BY number");
                 ResultSet rs = st.executeQuery()) {
                List<RunningExperiment> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new RunningExperiment(rs.getString(1), rs.getInt(2), Rows.longValue(rs, "runner_pid"),
                            rs.getString(4), rs.getString(5)));
                }
                return out;
            }
        });
    }

    /** A row of {@link #COLUMNS} as stored. */
    private static StoredRow stored(ResultSet rs) throws SQLException {
        return new StoredRow(rs.getInt("number"), rs.getString("experiment_id"), rs.getString("scenario"),
                rs.getString("backend"), rs.getString("status"), rs.getString("source"), rs.getString("run_id"),
                rs.getString("knobs_json"), rs.getString("metrics_json"), rs.getString("notes"),
                rs.getString("started_at"), rs.getString("ended_at"), rs.getString("failure_category"));
    }

    private static ExperimentSummary summary(ResultSet rs) throws SQLException {
        return stored(rs).summary();
    }
}
