package dev.autotune.projections;

import com.fasterxml.jackson.core.type.TypeReference;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** One experiment in full: config, metadata, metrics, reports and the event timeline. */
public class DetailProjection implements ReadModel {
    private final Database db;

    public DetailProjection(Database db) {
        this.db = db;
    }

    @EventHandler
    void on(ExperimentStarted e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.update(c, "INSERT INTO experiment_detail (experiment_id, number, scenario, backend, status, source, "
                            + "run_id, config_path, config_sha256, notes, config_json, metadata_json, metrics_json, started_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?)",
                    e.experimentId(), Rows.nextNumber(c, "experiment_detail"), e.scenario(), e.backend(),
                    ExperimentStatus.RUNNING, e.source(), e.runId(), e.configPath(), e.configSha256(), e.notes(),
                    Json.write(e.config()), Json.write(e.metadata()), e.startedAt());
            String detail = "scenario " + e.scenario() + (e.backend() == null ? "" : ", backend " + e.backend())
                    + ", from " + e.source().name().toLowerCase(Locale.ROOT)
                    + (e.runId() == null ? "" : " (run " + e.runId() + ")");
            timeline(c, e.experimentId(), e.startedAt(), "ExperimentStarted", detail);
        }
    }

    @EventHandler
    void on(ConfigResolved e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.mergeJson(c, "experiment_detail", "config_json", e.experimentId(), e.config());
            timeline(c, e.experimentId(), e.resolvedAt(), "ConfigResolved",
                    e.config().size() + " values from " + e.origin());
        }
    }

    @EventHandler
    void on(ReportParsed e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            int seq;
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT coalesce(max(seq), 0) + 1 FROM experiment_report WHERE experiment_id = ?")) {
                st.setString(1, e.experimentId());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    seq = rs.getInt(1);
                }
            }
            Rows.update(c, "INSERT INTO experiment_report (experiment_id, seq, path, sha256, format, warnings_json, "
                            + "parsed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    e.experimentId(), seq, e.reportPath(), e.sha256(), e.format(), Json.write(e.warnings()), e.parsedAt());
            timeline(c, e.experimentId(), e.parsedAt(), "ReportParsed", e.reportPath() + " as " + e.format()
                    + (e.warnings().isEmpty() ? "" : " (" + e.warnings().size() + " warnings)"));
        }
    }

    @EventHandler
    void on(MetricsRecorded e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.mergeJson(c, "experiment_detail", "metrics_json", e.experimentId(), e.metrics());
            timeline(c, e.experimentId(), e.recordedAt(), "MetricsRecorded", String.join(", ", e.metrics().keySet()));
        }
    }

    @EventHandler
    void on(ExperimentCompleted e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.update(c, "UPDATE experiment_detail SET status = ?, ended_at = ? WHERE experiment_id = ?",
                    ExperimentStatus.COMPLETED, e.completedAt(), e.experimentId());
            timeline(c, e.experimentId(), e.completedAt(), "ExperimentCompleted", "completed");
        }
    }

    @EventHandler
    void on(ExperimentFailed e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.update(c, "UPDATE experiment_detail SET status = ?, ended_at = ?, failure_category = ?, "
                            + "failure_message = ?, exit_code = ?, log_path = coalesce(?, log_path) WHERE experiment_id = ?",
                    ExperimentStatus.FAILED, e.failedAt(), e.category(), e.message(), e.exitCode(), e.logPath(),
                    e.experimentId());
            timeline(c, e.experimentId(), e.failedAt(), "ExperimentFailed", e.category() + ": " + e.message());
        }
    }

    @EventHandler
    void on(ExperimentAbandoned e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.update(c, "UPDATE experiment_detail SET status = ?, ended_at = ?, failure_category = 'abandoned', "
                            + "failure_message = ? WHERE experiment_id = ?",
                    ExperimentStatus.ABANDONED, e.abandonedAt(), e.reason(), e.experimentId());
            timeline(c, e.experimentId(), e.abandonedAt(), "ExperimentAbandoned", e.reason());
        }
    }

    private static void timeline(Connection c, String id, Instant at, String event, String detail) throws SQLException {
        Rows.update(c, "INSERT INTO experiment_timeline (experiment_id, seq, event_type, at, detail) VALUES (?, "
                        + "(SELECT coalesce(max(seq), 0) + 1 FROM experiment_timeline WHERE experiment_id = ?), ?, ?, ?)",
                id, id, event, at, detail);
    }

    @Override
    public void reset(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM experiment_detail");
            st.executeUpdate("DELETE FROM experiment_report");
            st.executeUpdate("DELETE FROM experiment_timeline");
        }
    }

    // ---- queries ----

    public Optional<ExperimentDetail> find(String idOrNumber) {
        boolean byNumber = idOrNumber.matches("\\d{1,9}");
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT * FROM experiment_detail WHERE "
                    + (byNumber ? "number = ?" : "experiment_id = ?"))) {
                Rows.bind(st, byNumber ? Integer.parseInt(idOrNumber) : idOrNumber);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String id = rs.getString("experiment_id");
                    return Optional.of(new ExperimentDetail(rs.getInt("number"), id, rs.getString("scenario"),
                            rs.getString("backend"), ExperimentStatus.parse(rs.getString("status")),
                            rs.getString("source"), rs.getString("run_id"), rs.getString("config_path"),
                            rs.getString("config_sha256"), rs.getString("notes"),
                            Json.objectMap(rs.getString("config_json")), Json.stringMap(rs.getString("metadata_json")),
                            Json.doubleMap(rs.getString("metrics_json")), Rows.instant(rs.getString("started_at")),
                            Rows.instant(rs.getString("ended_at")), rs.getString("failure_category"),
                            rs.getString("failure_message"), Rows.integer(rs, "exit_code"), rs.getString("log_path"),
                            reports(c, id), timeline(c, id)));
                }
            }
        });
    }

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private static List<ExperimentDetail.Report> reports(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT path, sha256, format, warnings_json, parsed_at "
                + "FROM experiment_report WHERE experiment_id = ? ORDER BY seq")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                List<ExperimentDetail.Report> out = new ArrayList<>();
                while (rs.next()) {
                    List<String> warnings;
                    try {
                        warnings = Json.MAPPER.readValue(rs.getString(4), STRINGS);
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalStateException("corrupt warnings column", e);
                    }
                    out.add(new ExperimentDetail.Report(rs.getString(1), rs.getString(2), rs.getString(3), warnings,
                            Rows.instant(rs.getString(5))));
                }
                return out;
            }
        }
    }

    private static List<ExperimentDetail.TimelineEntry> timeline(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT at, event_type, detail FROM experiment_timeline "
                + "WHERE experiment_id = ? ORDER BY seq")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                List<ExperimentDetail.TimelineEntry> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new ExperimentDetail.TimelineEntry(Rows.instant(rs.getString(1)), rs.getString(2),
                            rs.getString(3)));
                }
                return out;
            }
        }
    }
}
