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
import dev.autotune.store.ReadModel;
import org.axonframework.eventhandling.EventHandler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The experiment list: one row per experiment with its knobs, headline metrics and status. */
public class ListProjection implements ReadModel {
    private static final String COLUMNS = "experiment_id, number, scenario, backend, status, source, run_id, "
            + "knobs_json, metrics_json, notes, started_at, ended_at, failure_category";

    private final Database db;

    public ListProjection(Database db) {
        this.db = db;
    }

    @EventHandler
    void on(ExperimentStarted e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            var runner = e.runner();
            Rows.update(c, "INSERT INTO experiment_list (experiment_id, number, scenario, backend, status, source, run_id, "
                            + "knobs_json, metrics_json, config_sha256, notes, runner_pid, runner_host, runner_started_at, "
                            + "started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?)",
                    e.experimentId(), Rows.nextNumber(c, "experiment_list"), e.scenario(), e.backend(),
                    ExperimentStatus.RUNNING, e.source(), e.runId(), Json.write(e.config()), e.configSha256(),
                    e.notes(), runner == null ? null : runner.pid(), runner == null ? null : runner.host(),
                    runner == null ? null : runner.processStartedAt(), e.startedAt());
        }
    }

    @EventHandler
    void on(ConfigResolved e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.mergeJson(c, "experiment_list", "knobs_json", e.experimentId(), e.config());
        }
    }

    @EventHandler
    void on(ReportParsed e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.update(c, "UPDATE experiment_list SET report_sha256 = coalesce(report_sha256, ?) WHERE experiment_id = ?",
                    e.sha256(), e.experimentId());
        }
    }

    @EventHandler
    void on(MetricsRecorded e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.mergeJson(c, "experiment_list", "metrics_json", e.experimentId(), e.metrics());
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

    private void end(String id, ExperimentStatus status, java.time.Instant at, String category) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.update(c, "UPDATE experiment_list SET status = ?, ended_at = ?, failure_category = ? WHERE experiment_id = ?",
                    status, at, category, id);
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
