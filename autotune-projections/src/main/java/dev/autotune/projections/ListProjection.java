package dev.autotune.projections;

import dev.autotune.domain.ExperimentApi.ExperimentEvent;
import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.domain.ExperimentApi.MetricsRecorded;
import dev.autotune.domain.ExperimentState;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.store.Database;
import dev.autotune.store.Json;
import org.axonframework.eventhandling.EventHandler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The write side of the experiment list: one row per experiment with its knobs, metrics and status, and one row
 * per metric for sorting. {@link ExperimentList} answers the queries over these tables.
 */
public class ListProjection extends BatchedProjection<ListProjection.ListRow> {
    /** The experiment's state and what only this list keeps: how it started and who ran it. */
    static final class ListRow extends BatchedProjection.Row {
        int number;
        String source;
        String runId;
        String configSha256;
        String notes;
        Long runnerPid;
        String runnerHost;
        String runnerStartedAt;
        /** Metrics recorded in this batch, for the one-row-per-metric table the list sorts by. */
        final Map<String, Double> newMetrics = new TreeMap<>();

        ListRow(ExperimentState state) {
            super(state);
        }
    }

    public ListProjection(Database db, ExperimentNumbers numbers) {
        super(db, numbers);
    }

    @EventHandler
    void on(ExperimentStarted e) throws SQLException {
        ListRow r = new ListRow(ExperimentState.started(e));
        r.number = number(e.experimentId());
        r.source = e.source().code();
        r.runId = e.runId();
        r.configSha256 = e.configSha256();
        r.notes = e.notes();
        if (e.runner() != null) {
            r.runnerPid = e.runner().pid();
            r.runnerHost = e.runner().host();
            r.runnerStartedAt = e.runner().processStartedAt() == null ? null : e.runner().processStartedAt().toString();
        }
        add(r);
    }

    @EventHandler
    void on(MetricsRecorded e) throws SQLException {
        ListRow r = fold(e);
        if (r != null) {
            r.newMetrics.putAll(e.metrics());
            r.touch();
        }
    }

    /** Every other event of an experiment: the row shows the state the fold gives. */
    @EventHandler
    void on(ExperimentEvent e) throws SQLException {
        fold(e);
    }

    @Override
    protected ListRow load(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM experiment_list WHERE experiment_id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                ListRow r = new ListRow(ExperimentState.restore(id)
                        .scenario(rs.getString("scenario"))
                        .backend(rs.getString("backend"))
                        .status(ExperimentStatus.parse(rs.getString("status")))
                        .startedAt(Rows.instant(rs.getString("started_at")))
                        .endedAt(Rows.instant(rs.getString("ended_at")))
                        .failure(rs.getString("failure_category"), null, null, null)
                        .knobs(Json.objectMap(rs.getString("knobs_json")))
                        .metrics(Json.objectMap(rs.getString("metrics_json")))
                        .tags(Json.objectMap(rs.getString("tags_json")))
                        .excludedReason(rs.getString("excluded_reason"))
                        .report(rs.getString("report_sha256"), Rows.instant(rs.getString("measured_at")),
                                Json.objectMap(Objects.requireNonNullElse(rs.getString("facts_json"), "{}")),
                                rs.getString("run_fingerprint"))
                        .build());
                r.number = rs.getInt("number");
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
                ExperimentState x = r.state;
                String knobs = Json.write(x.knobs());
                addBatch(insert, r.experimentId, r.number, x.scenario(), x.backend(), x.status(), r.source, r.runId,
                        knobs, Json.write(x.metrics()), x.reportSha256(), r.configSha256, r.notes, r.runnerPid,
                        r.runnerHost, r.runnerStartedAt, x.startedAt(), x.endedAt(), x.failureCategory(),
                        Json.sha256(knobs), Json.write(x.tags()), x.excludedReason(), x.measuredAt(), x.happenedAt(),
                        Json.write(x.facts()), x.runFingerprint());
            }
            for (ListRow r : updated) {
                ExperimentState x = r.state;
                String knobs = Json.write(x.knobs());
                addBatch(update, x.status(), knobs, Json.write(x.metrics()), x.reportSha256(), x.endedAt(),
                        x.failureCategory(), Json.sha256(knobs), x.scenario(), x.backend(), Json.write(x.tags()),
                        x.excludedReason(), x.measuredAt(), x.happenedAt(), Json.write(x.facts()), x.runFingerprint(),
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
