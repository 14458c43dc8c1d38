package dev.autotune.projections;

import dev.autotune.domain.KnobNames;
import dev.autotune.domain.ExperimentApi.ConfigResolved;
import dev.autotune.domain.ExperimentApi.ExperimentAbandoned;
import dev.autotune.domain.ExperimentApi.ExperimentAmended;
import dev.autotune.domain.ExperimentApi.ExperimentExcluded;
import dev.autotune.domain.ExperimentApi.ExperimentIncluded;
import dev.autotune.domain.ExperimentApi.ExperimentTagged;
import dev.autotune.domain.ExperimentApi.ExperimentUntagged;
import dev.autotune.domain.ExperimentApi.NoteAdded;
import dev.autotune.domain.ExperimentApi.ExperimentCompleted;
import dev.autotune.domain.ExperimentApi.ExperimentFailed;
import dev.autotune.domain.ExperimentApi.ExperimentReopened;
import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.domain.ExperimentApi.ExperimentValidated;
import dev.autotune.domain.ExperimentApi.RunDetailsRecorded;
import dev.autotune.domain.ExperimentApi.MetricsRecorded;
import dev.autotune.domain.ExperimentApi.ReportParsed;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.FailureCategory;
import dev.autotune.domain.query.ExperimentDetail;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** One experiment in full: config, metadata, metrics, reports and the event timeline. */
public class DetailProjection extends BatchedProjection<DetailProjection.DetailRow> {

    static final class DetailRow extends BatchedProjection.Row {
        int number;
        String scenario;
        String backend;
        ExperimentStatus status;
        String source;
        String runId;
        String configPath;
        String configSha256;
        String notes;
        TreeMap<String, Object> config = new TreeMap<>();
        TreeMap<String, Object> metadata = new TreeMap<>();
        TreeMap<String, Object> metrics = new TreeMap<>();
        String startedAt;
        String endedAt;
        String failureCategory;
        String failureMessage;
        Integer exitCode;
        String logPath;
        TreeMap<String, Object> tags = new TreeMap<>();
        String excludedReason;
        int reportSeq;
        int timelineSeq;
        final List<Object[]> newReports = new ArrayList<>();
        final List<Object[]> newTimeline = new ArrayList<>();

        DetailRow(String experimentId) {
            super(experimentId);
        }

        void report(ReportParsed e) {
            newReports.add(new Object[]{experimentId, ++reportSeq, e.reportPath(), e.sha256(), e.format(),
                    Json.write(e.warnings()), e.parsedAt(), Json.write(e.facts()), e.measuredAt(), e.runFingerprint()});
        }

        void timeline(Instant at, String event, String detail) {
            newTimeline.add(new Object[]{experimentId, ++timelineSeq, event, at, detail});
        }
    }

    public DetailProjection(Database db, ExperimentNumbers numbers) {
        super(db, numbers);
    }

    @EventHandler
    void on(ExperimentStarted e) throws SQLException {
        DetailRow r = new DetailRow(e.experimentId());
        r.number = number(e.experimentId());
        r.scenario = e.scenario();
        r.backend = e.backend();
        r.status = ExperimentStatus.RUNNING;
        r.source = e.source().code();
        r.runId = e.runId();
        r.configPath = e.configPath();
        r.configSha256 = e.configSha256();
        r.notes = e.notes();
        r.config.putAll(KnobNames.config(e.config()));
        r.metadata.putAll(e.metadata());
        r.startedAt = e.startedAt().toString();
        r.timeline(e.startedAt(), "ExperimentStarted", "scenario " + e.scenario()
                + (e.backend() == null ? "" : ", backend " + e.backend()) + ", from " + r.source
                + (e.runId() == null ? "" : " (run " + e.runId() + ")"));
        add(r);
    }

    @EventHandler
    void on(ConfigResolved e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r != null) {
            r.config.putAll(KnobNames.config(e.config()));
            r.timeline(e.resolvedAt(), "ConfigResolved", e.config().size() + " values from " + e.origin());
        }
    }

    @EventHandler
    void on(ReportParsed e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r != null) {
            r.report(e);
            // the load the report states is the experiment's load knob unless a config value of it was recorded
            KnobNames.statedLoad(e.facts()).forEach(r.config::putIfAbsent);
            r.timeline(e.parsedAt(), "ReportParsed", e.reportPath() + " as " + e.format()
                    + (e.warnings().isEmpty() ? "" : " (" + e.warnings().size() + " warnings)"));
        }
    }

    @EventHandler
    void on(MetricsRecorded e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r != null) {
            r.metrics.putAll(e.metrics());
            r.timeline(e.recordedAt(), "MetricsRecorded", String.join(", ", e.metrics().keySet()));
        }
    }

    @EventHandler
    void on(ExperimentCompleted e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r != null) {
            r.status = ExperimentStatus.COMPLETED;
            r.endedAt = e.completedAt().toString();
            r.timeline(e.completedAt(), "ExperimentCompleted", "completed");
        }
    }

    @EventHandler
    void on(ExperimentFailed e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r != null) {
            r.status = ExperimentStatus.FAILED;
            r.endedAt = e.failedAt().toString();
            r.failureCategory = e.category();
            r.failureMessage = e.message();
            r.exitCode = e.exitCode();
            r.logPath = e.logPath() != null ? e.logPath() : r.logPath;
            r.timeline(e.failedAt(), "ExperimentFailed", e.category() + ": " + e.message());
        }
    }

    @EventHandler
    void on(RunDetailsRecorded e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r != null) {
            r.metadata.putAll(e.details());
            r.timeline(e.recordedAt(), "RunDetailsRecorded", e.details().containsKey("autotune.note")
                    ? e.details().get("autotune.note") : e.details().size() + " details of the cloudai run");
        }
    }

    @EventHandler
    void on(ExperimentValidated e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r != null) {
            r.status = ExperimentStatus.VALIDATED;
            r.endedAt = e.validatedAt().toString();
            r.timeline(e.validatedAt(), "ExperimentValidated", "validated by a cloudai dry run: nothing was measured");
        }
    }

    @EventHandler
    void on(ExperimentAbandoned e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r != null) {
            r.status = ExperimentStatus.ABANDONED;
            r.endedAt = e.abandonedAt().toString();
            r.failureCategory = FailureCategory.ABANDONED.code();
            r.failureMessage = e.reason();
            r.timeline(e.abandonedAt(), "ExperimentAbandoned", e.reason());
        }
    }

    @EventHandler
    void on(ExperimentTagged e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r != null) {
            r.tags.putAll(e.tags());
            r.timeline(e.taggedAt(), "ExperimentTagged", pairs(e.tags()));
        }
    }

    @EventHandler
    void on(ExperimentUntagged e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r != null) {
            e.keys().forEach(r.tags::remove);
            r.timeline(e.untaggedAt(), "ExperimentUntagged", String.join(", ", e.keys()));
        }
    }

    @EventHandler
    void on(NoteAdded e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r != null) {
            r.timeline(e.addedAt(), ExperimentDetail.NOTE_ADDED, e.note());
        }
    }

    @EventHandler
    void on(ExperimentExcluded e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r != null) {
            r.excludedReason = e.reason();
            r.timeline(e.excludedAt(), "ExperimentExcluded", e.reason());
        }
    }

    @EventHandler
    void on(ExperimentIncluded e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r != null) {
            r.excludedReason = null;
            r.timeline(e.includedAt(), "ExperimentIncluded", "included again");
        }
    }

    @EventHandler
    void on(ExperimentAmended e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r != null) {
            // the timeline keeps what was recorded before, so the correction stays auditable in `show`
            List<String> changes = new ArrayList<>();
            if (e.scenario() != null) {
                changes.add("scenario " + r.scenario + " -> " + e.scenario());
                r.scenario = e.scenario();
            }
            if (e.backend() != null) {
                changes.add("backend " + (r.backend == null ? "none" : r.backend) + " -> " + e.backend());
                r.backend = e.backend();
            }
            e.config().forEach((k, v) -> changes.add(k + " " + r.config.get(KnobNames.canonical(k)) + " -> " + v));
            r.config.putAll(KnobNames.config(e.config()));
            r.timeline(e.amendedAt(), "ExperimentAmended", String.join(", ", changes));
        }
    }

    private static String pairs(Map<String, String> tags) {
        List<String> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(k + "=" + v));
        return String.join(", ", out);
    }

    @EventHandler
    void on(ExperimentReopened e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r != null) {
            r.status = ExperimentStatus.RUNNING;
            r.endedAt = null;
            r.failureCategory = null;
            r.failureMessage = null;
            r.timeline(e.reopenedAt(), "ExperimentReopened", e.reason());
        }
    }

    @Override
    protected DetailRow load(Connection c, String id) throws SQLException {
        DetailRow r = new DetailRow(id);
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM experiment_detail WHERE experiment_id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                r.number = rs.getInt("number");
                r.scenario = rs.getString("scenario");
                r.backend = rs.getString("backend");
                r.status = ExperimentStatus.parse(rs.getString("status"));
                r.source = rs.getString("source");
                r.runId = rs.getString("run_id");
                r.configPath = rs.getString("config_path");
                r.configSha256 = rs.getString("config_sha256");
                r.notes = rs.getString("notes");
                r.config = Json.objectMap(rs.getString("config_json"));
                r.metadata = Json.objectMap(rs.getString("metadata_json"));
                r.metrics = Json.objectMap(rs.getString("metrics_json"));
                r.startedAt = rs.getString("started_at");
                r.endedAt = rs.getString("ended_at");
                r.failureCategory = rs.getString("failure_category");
                r.failureMessage = rs.getString("failure_message");
                r.exitCode = Rows.integer(rs, "exit_code");
                r.logPath = rs.getString("log_path");
                r.tags = Json.objectMap(rs.getString("tags_json"));
                r.excludedReason = rs.getString("excluded_reason");
            }
        }
        r.reportSeq = maxSeq(c, "experiment_report", id);
        r.timelineSeq = maxSeq(c, "experiment_timeline", id);
        return r;
    }

    private static int maxSeq(Connection c, String table, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM " + table
                + " WHERE experiment_id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    protected void write(Connection c, List<DetailRow> inserted, List<DetailRow> updated) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO experiment_detail (experiment_id, number, "
                + "scenario, backend, status, source, run_id, config_path, config_sha256, notes, config_json, "
                + "metadata_json, metrics_json, started_at, ended_at, failure_category, failure_message, exit_code, "
                + "log_path, tags_json, excluded_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement update = c.prepareStatement("UPDATE experiment_detail SET status = ?, config_json = ?, "
                     + "metadata_json = ?, metrics_json = ?, ended_at = ?, failure_category = ?, failure_message = ?, exit_code = ?, "
                     + "log_path = ?, scenario = ?, backend = ?, tags_json = ?, excluded_reason = ? WHERE experiment_id = ?");
             PreparedStatement report = c.prepareStatement("INSERT INTO experiment_report (experiment_id, seq, path, "
                     + "sha256, format, warnings_json, parsed_at, facts_json, measured_at, run_fingerprint) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement timeline = c.prepareStatement("INSERT INTO experiment_timeline (experiment_id, seq, "
                     + "event_type, at, detail) VALUES (?, ?, ?, ?, ?)")) {
            for (DetailRow r : inserted) {
                addBatch(insert, r.experimentId, r.number, r.scenario, r.backend, r.status, r.source, r.runId,
                        r.configPath, r.configSha256, r.notes, Json.write(r.config), Json.write(r.metadata),
                        Json.write(r.metrics), r.startedAt, r.endedAt, r.failureCategory, r.failureMessage, r.exitCode,
                        r.logPath, Json.write(r.tags), r.excludedReason);
            }
            for (DetailRow r : updated) {
                addBatch(update, r.status, Json.write(r.config), Json.write(r.metadata), Json.write(r.metrics), r.endedAt, r.failureCategory,
                        r.failureMessage, r.exitCode, r.logPath, r.scenario, r.backend, Json.write(r.tags),
                        r.excludedReason, r.experimentId);
            }
            for (DetailRow r : concat(inserted, updated)) {
                for (Object[] row : r.newReports) {
                    addBatch(report, row);
                }
                for (Object[] row : r.newTimeline) {
                    addBatch(timeline, row);
                }
            }
            insert.executeBatch();
            update.executeBatch();
            report.executeBatch();
            timeline.executeBatch();
        }
    }

    private static List<DetailRow> concat(List<DetailRow> a, List<DetailRow> b) {
        List<DetailRow> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
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
                            reports(c, id), timeline(c, id), Json.stringMap(rs.getString("tags_json")),
                            rs.getString("excluded_reason")));
                }
            }
        });
    }

    private static List<ExperimentDetail.Report> reports(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT path, sha256, format, warnings_json, parsed_at, "
                + "facts_json, measured_at, run_fingerprint FROM experiment_report WHERE experiment_id = ? ORDER BY seq")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                List<ExperimentDetail.Report> out = new ArrayList<>();
                while (rs.next()) {
                    List<String> warnings = Json.stringList(rs.getString(4));
                    String facts = rs.getString(6);
                    out.add(new ExperimentDetail.Report(rs.getString(1), rs.getString(2), rs.getString(3), warnings,
                            Rows.instant(rs.getString(5)), facts == null ? null : Json.objectMap(facts),
                            Rows.instant(rs.getString(7)), rs.getString(8)));
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
