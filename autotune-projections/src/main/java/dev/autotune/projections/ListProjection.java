package dev.autotune.projections;

import dev.autotune.domain.ExperimentApi.ConfigResolved;
import dev.autotune.domain.ExperimentApi.ExperimentAbandoned;
import dev.autotune.domain.ExperimentApi.ExperimentCompleted;
import dev.autotune.domain.ExperimentApi.ExperimentFailed;
import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.domain.ExperimentApi.MetricsRecorded;
import dev.autotune.domain.ExperimentApi.ReportParsed;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.store.Database;
import dev.autotune.store.Json;
import org.axonframework.eventhandling.EventHandler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.TreeMap;
import java.time.Instant;

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
        end(e.experimentId(), ExperimentStatus.ABANDONED, e.abandonedAt(), "abandoned");
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
    }

    @Override
    public void reset(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM experiment_list");
        }
    }

    // ---- queries ----

    public record Filter(String scenario, ExperimentStatus status, String backend) {
        public static final Filter ALL = new Filter(null, null, null);
    }

    public List<ExperimentSummary> list(Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM experiment_list WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (filter.scenario() != null) {
            sql.append(" AND scenario = ?");
            params.add(filter.scenario());
        }
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            params.add(filter.status());
        }
        if (filter.backend() != null) {
            sql.append(" AND backend = ?");
            params.add(filter.backend());
        }
        sql.append(" ORDER BY number");
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement(sql.toString())) {
                Rows.bind(st, params.toArray());
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

    private static ExperimentSummary summary(ResultSet rs) throws SQLException {
        return new ExperimentSummary(rs.getInt("number"), rs.getString("experiment_id"), rs.getString("scenario"),
                rs.getString("backend"), ExperimentStatus.parse(rs.getString("status")), rs.getString("source"),
                rs.getString("run_id"), Json.objectMap(rs.getString("knobs_json")),
                Json.doubleMap(rs.getString("metrics_json")), rs.getString("notes"),
                Rows.instant(rs.getString("started_at")), Rows.instant(rs.getString("ended_at")),
                rs.getString("failure_category"));
    }
}
