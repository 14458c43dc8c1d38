package dev.autotune.projections;

import dev.autotune.domain.ExperimentApi.ExperimentEvent;
import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.domain.ExperimentApi.MetricsRecorded;
import dev.autotune.domain.ExperimentState;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.query.StoredSummary;
import dev.autotune.store.Database;
import dev.autotune.store.Json;
import org.axonframework.eventhandling.EventHandler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The write side of the experiment list: one row per experiment with its knobs, metrics and status, and one row
 * per metric for sorting, and each row's summary JSON as the list sends it ({@link SummaryJson}).
 * {@link ExperimentList} and {@link ListEngine} answer the queries over these tables.
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

        /**
         * The row's columns as {@link ExperimentList} reads them back, each as the text {@link Rows#bind} stores
         * it: what both the list row and its summary JSON are written from, so the two cannot disagree.
         */
        StoredSummary stored() {
            ExperimentState x = state;
            return new StoredSummary(number, experimentId, x.scenario(), x.backend(), Rows.asText(x.status()), source,
                    runId, Json.write(x.knobs()), Json.write(x.metrics()), notes, Rows.asText(x.startedAt()),
                    Rows.asText(x.endedAt()), x.failureCategory(), Json.write(x.tags()), x.excludedReason(),
                    Rows.asText(x.measuredAt()), Json.write(x.facts()));
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
                // not in the state, but in the summary JSON the row's page entry is rewritten with
                r.source = rs.getString("source");
                r.runId = rs.getString("run_id");
                r.notes = rs.getString("notes");
                return r;
            }
        }
    }

    @Override
    protected void write(Connection c, List<ListRow> inserted, List<ListRow> updated) throws SQLException {
        List<StoredSummary> written = new ArrayList<>();
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
                StoredSummary s = r.stored();
                written.add(s);
                addBatch(insert, r.experimentId, r.number, s.scenario(), s.backend(), s.status(), r.source, r.runId,
                        s.knobsJson(), s.metricsJson(), x.reportSha256(), r.configSha256, r.notes, r.runnerPid,
                        r.runnerHost, r.runnerStartedAt, s.startedAt(), s.endedAt(), s.failureCategory(),
                        Json.sha256(s.knobsJson()), s.tagsJson(), s.excludedReason(), s.measuredAt(), x.happenedAt(),
                        s.factsJson(), x.runFingerprint());
            }
            for (ListRow r : updated) {
                ExperimentState x = r.state;
                StoredSummary s = r.stored();
                written.add(s);
                addBatch(update, s.status(), s.knobsJson(), s.metricsJson(), x.reportSha256(), s.endedAt(),
                        s.failureCategory(), Json.sha256(s.knobsJson()), s.scenario(), s.backend(), s.tagsJson(),
                        s.excludedReason(), s.measuredAt(), x.happenedAt(), s.factsJson(), x.runFingerprint(),
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
        writePage(c, written);
    }

    /**
     * Each written row's summary JSON as the list sends it, into {@code experiment_list_page} (V13): rendered once
     * here instead of on every request for a page. Written after the list rows: V13's trigger drops the entry of
     * every list row updated, so an entry left is one written from the row as it now stands.
     */
    private static void writePage(Connection c, List<StoredSummary> rows) throws SQLException {
        try (PreparedStatement page = c.prepareStatement("INSERT INTO experiment_list_page (number, summary_json) "
                + "VALUES (?, ?) ON CONFLICT (number) DO UPDATE SET summary_json = excluded.summary_json")) {
            for (StoredSummary s : rows) {
                addBatch(page, s.number(), new String(SummaryJson.bytes(s), StandardCharsets.UTF_8));
            }
            page.executeBatch();
        }
    }

    @Override
    public void reset(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            // the page entries first: V13's trigger would otherwise look for each row's entry as the list empties
            st.executeUpdate("DELETE FROM experiment_list_page");
            st.executeUpdate("DELETE FROM experiment_list");
            st.executeUpdate("DELETE FROM experiment_list_metric");
        }
    }
}
