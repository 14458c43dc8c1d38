package dev.autotune.projections;

import dev.autotune.domain.KnobNames;
import dev.autotune.domain.ExperimentApi.ConfigResolved;
import dev.autotune.domain.ExperimentApi.ExperimentAbandoned;
import dev.autotune.domain.ExperimentApi.ExperimentAmended;
import dev.autotune.domain.ExperimentApi.ExperimentEvent;
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
import dev.autotune.domain.ExperimentState;
import dev.autotune.domain.ExperimentStatus;
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

    /** The experiment's state and what only the detail keeps: how it started, its reports and its timeline. */
    static final class DetailRow extends BatchedProjection.Row {
        int number;
        String source;
        String runId;
        String configPath;
        String configSha256;
        String notes;
        int reportSeq;
        int timelineSeq;
        final List<Object[]> newReports = new ArrayList<>();
        final List<Object[]> newTimeline = new ArrayList<>();

        DetailRow(ExperimentState state) {
            super(state);
        }

        void report(ReportParsed e) {
            newReports.add(new Object[]{experimentId, ++reportSeq, e.reportPath(), e.sha256(), e.format(),
                    Json.write(e.warnings()), e.parsedAt(), Json.write(e.facts()), e.measuredAt(), e.runFingerprint()});
        }

        void timeline(Instant at, String event, String detail) {
            newTimeline.add(new Object[]{experimentId, ++timelineSeq, event, at, detail});
            touch();
        }
    }

    public DetailProjection(Database db, ExperimentNumbers numbers) {
        super(db, numbers);
    }

    @EventHandler
    void on(ExperimentStarted e) throws SQLException {
        DetailRow r = new DetailRow(ExperimentState.started(e));
        r.number = number(e.experimentId());
        r.source = e.source().code();
        r.runId = e.runId();
        r.configPath = e.configPath();
        r.configSha256 = e.configSha256();
        r.notes = e.notes();
        r.timeline(e.startedAt(), "ExperimentStarted", "scenario " + e.scenario()
                + (e.backend() == null ? "" : ", backend " + e.backend()) + ", from " + r.source
                + (e.runId() == null ? "" : " (run " + e.runId() + ")"));
        add(r);
    }

    /** Every other event of an experiment: the fold gives the state the row shows; the timeline tells the event. */
    @EventHandler
    void on(ExperimentEvent e) throws SQLException {
        DetailRow r = row(e.experimentId());
        if (r == null) {
            return;
        }
        ExperimentState before = r.state;
        apply(r, e);
        if (e instanceof ReportParsed p) {
            r.report(p);
        }
        timeline(r, e, before);
    }

    /** The line the timeline shows for an event; {@code before} is the state it found, so a correction shows both. */
    private static void timeline(DetailRow r, ExperimentEvent event, ExperimentState before) {
        if (event instanceof ConfigResolved e) {
            r.timeline(e.resolvedAt(), "ConfigResolved", e.config().size() + " values from " + e.origin());
        } else if (event instanceof ReportParsed e) {
            r.timeline(e.parsedAt(), "ReportParsed", e.reportPath() + " as " + e.format()
                    + (e.warnings().isEmpty() ? "" : " (" + e.warnings().size() + " warnings)"));
        } else if (event instanceof MetricsRecorded e) {
            r.timeline(e.recordedAt(), "MetricsRecorded", String.join(", ", e.metrics().keySet()));
        } else if (event instanceof ExperimentCompleted e) {
            r.timeline(e.completedAt(), "ExperimentCompleted", "completed");
        } else if (event instanceof ExperimentFailed e) {
            r.timeline(e.failedAt(), "ExperimentFailed", e.category() + ": " + e.message());
        } else if (event instanceof RunDetailsRecorded e) {
            r.timeline(e.recordedAt(), "RunDetailsRecorded", e.details().containsKey("autotune.note")
                    ? e.details().get("autotune.note") : e.details().size() + " details of the cloudai run");
        } else if (event instanceof ExperimentValidated e) {
            r.timeline(e.validatedAt(), "ExperimentValidated", "validated by a cloudai dry run: nothing was measured");
        } else if (event instanceof ExperimentAbandoned e) {
            r.timeline(e.abandonedAt(), "ExperimentAbandoned", e.reason());
        } else if (event instanceof ExperimentTagged e) {
            r.timeline(e.taggedAt(), "ExperimentTagged", pairs(e.tags()));
        } else if (event instanceof ExperimentUntagged e) {
            r.timeline(e.untaggedAt(), "ExperimentUntagged", String.join(", ", e.keys()));
        } else if (event instanceof NoteAdded e) {
            r.timeline(e.addedAt(), ExperimentDetail.NOTE_ADDED, e.note());
        } else if (event instanceof ExperimentExcluded e) {
            r.timeline(e.excludedAt(), "ExperimentExcluded", e.reason());
        } else if (event instanceof ExperimentIncluded e) {
            r.timeline(e.includedAt(), "ExperimentIncluded", "included again");
        } else if (event instanceof ExperimentAmended e) {
            // the timeline keeps what was recorded before, so the correction stays auditable in `show`
            List<String> changes = new ArrayList<>();
            if (e.scenario() != null) {
                changes.add("scenario " + before.scenario() + " -> " + e.scenario());
            }
            if (e.backend() != null) {
                changes.add("backend " + (before.backend() == null ? "none" : before.backend()) + " -> " + e.backend());
            }
            e.config().forEach((k, v) -> changes.add(k + " " + before.knobs().get(KnobNames.canonical(k)) + " -> " + v));
            r.timeline(e.amendedAt(), "ExperimentAmended", String.join(", ", changes));
        } else if (event instanceof ExperimentReopened e) {
            r.timeline(e.reopenedAt(), "ExperimentReopened", e.reason());
        } else {
            throw new IllegalArgumentException("the timeline has no line for " + event.getClass().getSimpleName());
        }
    }

    private static String pairs(Map<String, String> tags) {
        List<String> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(k + "=" + v));
        return String.join(", ", out);
    }

    @Override
    protected DetailRow load(Connection c, String id) throws SQLException {
        DetailRow r;
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM experiment_detail WHERE experiment_id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                r = new DetailRow(ExperimentState.restore(id)
                        .scenario(rs.getString("scenario"))
                        .backend(rs.getString("backend"))
                        .status(ExperimentStatus.parse(rs.getString("status")))
                        .startedAt(Rows.instant(rs.getString("started_at")))
                        .endedAt(Rows.instant(rs.getString("ended_at")))
                        .failure(rs.getString("failure_category"), rs.getString("failure_message"),
                                Rows.integer(rs, "exit_code"), rs.getString("log_path"))
                        .knobs(Json.objectMap(rs.getString("config_json")))
                        .metadata(Json.objectMap(rs.getString("metadata_json")))
                        .metrics(Json.objectMap(rs.getString("metrics_json")))
                        .tags(Json.objectMap(rs.getString("tags_json")))
                        .excludedReason(rs.getString("excluded_reason"))
                        .build());
                r.number = rs.getInt("number");
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
                ExperimentState x = r.state;
                addBatch(insert, r.experimentId, r.number, x.scenario(), x.backend(), x.status(), r.source, r.runId,
                        r.configPath, r.configSha256, r.notes, Json.write(x.knobs()), Json.write(x.metadata()),
                        Json.write(x.metrics()), x.startedAt(), x.endedAt(), x.failureCategory(), x.failureMessage(),
                        x.exitCode(), x.logPath(), Json.write(x.tags()), x.excludedReason());
            }
            for (DetailRow r : updated) {
                ExperimentState x = r.state;
                addBatch(update, x.status(), Json.write(x.knobs()), Json.write(x.metadata()), Json.write(x.metrics()),
                        x.endedAt(), x.failureCategory(), x.failureMessage(), x.exitCode(), x.logPath(), x.scenario(),
                        x.backend(), Json.write(x.tags()), x.excludedReason(), r.experimentId);
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
