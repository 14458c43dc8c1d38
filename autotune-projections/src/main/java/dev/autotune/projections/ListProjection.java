package dev.autotune.projections;

import dev.autotune.domain.KnobNames;
import dev.autotune.domain.ExperimentApi.ConfigResolved;
import dev.autotune.domain.ExperimentApi.ExperimentAbandoned;
import dev.autotune.domain.ExperimentApi.ExperimentAmended;
import dev.autotune.domain.ExperimentApi.ExperimentExcluded;
import dev.autotune.domain.ExperimentApi.ExperimentIncluded;
import dev.autotune.domain.ExperimentApi.ExperimentTagged;
import dev.autotune.domain.ExperimentApi.ExperimentUntagged;
import dev.autotune.domain.ExperimentApi.ExperimentCompleted;
import dev.autotune.domain.ExperimentApi.ExperimentFailed;
import dev.autotune.domain.ExperimentApi.ExperimentReopened;
import dev.autotune.domain.ExperimentApi.ExperimentValidated;
import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.domain.ExperimentApi.MetricsRecorded;
import dev.autotune.domain.ExperimentApi.ReportParsed;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.FailureCategory;
import dev.autotune.store.Database;
import dev.autotune.store.Json;
import org.axonframework.eventhandling.EventHandler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The write side of the experiment list: one row per experiment with its knobs, metrics and status, and one row
 * per metric for sorting. {@link ExperimentList} answers the queries over these tables.
 */
public class ListProjection extends BatchedProjection<ListProjection.ListRow> {
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
        TreeMap<String, Object> tags = new TreeMap<>();
        String excludedReason;
        String measuredAt;
        TreeMap<String, Object> facts = new TreeMap<>();
        String runFingerprint;

        ListRow(String experimentId) {
            super(experimentId);
        }

        /** The time history views order by: when the benchmark ran if a report says, else when it started. */
        String happenedAt() {
            return measuredAt != null ? measuredAt : startedAt;
        }
    }

    public ListProjection(Database db, ExperimentNumbers numbers) {
        super(db, numbers);
    }

    @EventHandler
    void on(ExperimentStarted e) throws SQLException {
        ListRow r = new ListRow(e.experimentId());
        r.number = number(e.experimentId());
        r.scenario = e.scenario();
        r.backend = e.backend();
        r.status = ExperimentStatus.RUNNING;
        r.source = e.source().code();
        r.runId = e.runId();
        r.knobs.putAll(KnobNames.config(e.config()));
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
            r.knobs.putAll(KnobNames.config(e.config()));
        }
    }

    @EventHandler
    void on(ReportParsed e) throws SQLException {
        ListRow r = row(e.experimentId());
        if (r == null) {
            return;
        }
        if (r.reportSha256 == null) {
            r.reportSha256 = e.sha256();
        }
        // an experiment with several reports (a run's bench report and its accuracy file) is one benchmark: the
        // first report to state a fact or a time gives it
        if (r.measuredAt == null && e.measuredAt() != null) {
            r.measuredAt = e.measuredAt().toString();
        }
        e.facts().forEach(r.facts::putIfAbsent);
        // the load the report states is the experiment's load knob unless a config value of it was recorded
        KnobNames.statedLoad(e.facts()).forEach(r.knobs::putIfAbsent);
        if (r.runFingerprint == null) {
            r.runFingerprint = e.runFingerprint();
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
    void on(ExperimentValidated e) throws SQLException {
        end(e.experimentId(), ExperimentStatus.VALIDATED, e.validatedAt(), null);
    }

    @EventHandler
    void on(ExperimentAbandoned e) throws SQLException {
        end(e.experimentId(), ExperimentStatus.ABANDONED, e.abandonedAt(), FailureCategory.ABANDONED.code());
    }

    @EventHandler
    void on(ExperimentTagged e) throws SQLException {
        ListRow r = row(e.experimentId());
        if (r != null) {
            r.tags.putAll(e.tags());
        }
    }

    @EventHandler
    void on(ExperimentUntagged e) throws SQLException {
        ListRow r = row(e.experimentId());
        if (r != null) {
            e.keys().forEach(r.tags::remove);
        }
    }

    @EventHandler
    void on(ExperimentExcluded e) throws SQLException {
        ListRow r = row(e.experimentId());
        if (r != null) {
            r.excludedReason = e.reason();
        }
    }

    @EventHandler
    void on(ExperimentIncluded e) throws SQLException {
        ListRow r = row(e.experimentId());
        if (r != null) {
            r.excludedReason = null;
        }
    }

    @EventHandler
    void on(ExperimentAmended e) throws SQLException {
        ListRow r = row(e.experimentId());
        if (r != null) {
            r.scenario = e.scenario() != null ? e.scenario() : r.scenario;
            r.backend = e.backend() != null ? e.backend() : r.backend;
            r.knobs.putAll(KnobNames.config(e.config()));
        }
    }

    @EventHandler
    void on(ExperimentReopened e) throws SQLException {
        ListRow r = row(e.experimentId());
        if (r != null) {
            r.status = ExperimentStatus.RUNNING;
            r.endedAt = null;
            r.failureCategory = null;
        }
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
                r.tags = Json.objectMap(rs.getString("tags_json"));
                r.excludedReason = rs.getString("excluded_reason");
                r.measuredAt = rs.getString("measured_at");
                r.facts = Json.objectMap(Objects.requireNonNullElse(rs.getString("facts_json"), "{}"));
                r.runFingerprint = rs.getString("run_fingerprint");
                return r;
            }
        }
    }

    @Override
    protected void write(Connection c, List<ListRow> inserted, List<ListRow> updated) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO experiment_list (experiment_id, number, "
                + "scenario, backend, status, source, run_id, knobs_json, metrics_json, report_sha256, config_sha256, "
                + "notes, runner_pid, runner_host, runner_started_at, started_at, ended_at, failure_category, knobs_sha256, "
                + "tags_json, excluded_reason, measured_at, happened_at, facts_json, run_fingerprint) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement update = c.prepareStatement("UPDATE experiment_list SET status = ?, knobs_json = ?, "
                     + "metrics_json = ?, report_sha256 = ?, ended_at = ?, failure_category = ?, knobs_sha256 = ?, "
                     + "scenario = ?, backend = ?, tags_json = ?, excluded_reason = ?, "
                     + "measured_at = ?, happened_at = ?, facts_json = ?, run_fingerprint = ? WHERE experiment_id = ?")) {
            for (ListRow r : inserted) {
                String knobs = Json.write(r.knobs);
                addBatch(insert, r.experimentId, r.number, r.scenario, r.backend, r.status, r.source, r.runId,
                        knobs, Json.write(r.metrics), r.reportSha256, r.configSha256, r.notes, r.runnerPid,
                        r.runnerHost, r.runnerStartedAt, r.startedAt, r.endedAt, r.failureCategory, Json.sha256(knobs),
                        Json.write(r.tags), r.excludedReason, r.measuredAt, r.happenedAt(), Json.write(r.facts),
                        r.runFingerprint);
            }
            for (ListRow r : updated) {
                String knobs = Json.write(r.knobs);
                addBatch(update, r.status, knobs, Json.write(r.metrics), r.reportSha256, r.endedAt,
                        r.failureCategory, Json.sha256(knobs), r.scenario, r.backend, Json.write(r.tags),
                        r.excludedReason, r.measuredAt, r.happenedAt(), Json.write(r.facts), r.runFingerprint,
                        r.experimentId);
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
}
