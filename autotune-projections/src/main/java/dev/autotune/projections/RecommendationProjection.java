package dev.autotune.projections;

import dev.autotune.domain.KnobNames;
import dev.autotune.domain.ExperimentApi.ConfigResolved;
import dev.autotune.domain.ExperimentApi.ExperimentAmended;
import dev.autotune.domain.ExperimentApi.ExperimentExcluded;
import dev.autotune.domain.ExperimentApi.ExperimentIncluded;
import dev.autotune.domain.ExperimentApi.ExperimentCompleted;
import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.domain.ExperimentApi.MetricsRecorded;
import dev.autotune.domain.ExperimentApi.ReportParsed;
import dev.autotune.domain.analysis.TuningPoint;
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
import java.util.TreeMap;

/** Knob values against measured metrics for every completed experiment: the history `recommend` reasons over. */
public class RecommendationProjection extends BatchedProjection<RecommendationProjection.PointRow> {

    static final class PointRow extends BatchedProjection.Row {
        int number;
        String scenario;
        boolean completed;
        boolean excluded;
        TreeMap<String, Object> knobs = new TreeMap<>();
        TreeMap<String, Object> metrics = new TreeMap<>();

        PointRow(String experimentId) {
            super(experimentId);
        }
    }

    public RecommendationProjection(Database db, ExperimentNumbers numbers) {
        super(db, numbers);
    }

    @EventHandler
    void on(ExperimentStarted e) throws SQLException {
        PointRow r = new PointRow(e.experimentId());
        r.number = number(e.experimentId());
        r.scenario = e.scenario();
        r.knobs.putAll(KnobNames.config(e.config()));
        add(r);
    }

    @EventHandler
    void on(ConfigResolved e) throws SQLException {
        PointRow r = row(e.experimentId());
        if (r != null) {
            r.knobs.putAll(KnobNames.config(e.config()));
        }
    }

    @EventHandler
    void on(ReportParsed e) throws SQLException {
        PointRow r = row(e.experimentId());
        if (r != null) {
            // the load the report states is the experiment's load knob unless a config value of it was recorded
            KnobNames.statedLoad(e.facts()).forEach(r.knobs::putIfAbsent);
        }
    }

    @EventHandler
    void on(MetricsRecorded e) throws SQLException {
        PointRow r = row(e.experimentId());
        if (r != null) {
            r.metrics.putAll(e.metrics());
        }
    }

    @EventHandler
    void on(ExperimentCompleted e) throws SQLException {
        PointRow r = row(e.experimentId());
        if (r != null) {
            r.completed = true;
        }
    }

    @EventHandler
    void on(ExperimentExcluded e) throws SQLException {
        PointRow r = row(e.experimentId());
        if (r != null) {
            r.excluded = true;
        }
    }

    @EventHandler
    void on(ExperimentIncluded e) throws SQLException {
        PointRow r = row(e.experimentId());
        if (r != null) {
            r.excluded = false;
        }
    }

    @EventHandler
    void on(ExperimentAmended e) throws SQLException {
        PointRow r = row(e.experimentId());
        if (r != null) {
            r.scenario = e.scenario() != null ? e.scenario() : r.scenario;
            r.knobs.putAll(KnobNames.config(e.config()));
        }
    }

    @Override
    protected PointRow load(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT number, scenario, completed, knobs_json, metrics_json, "
                + "excluded FROM tuning_point WHERE experiment_id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                PointRow r = new PointRow(id);
                r.number = rs.getInt(1);
                r.scenario = rs.getString(2);
                r.completed = rs.getInt(3) == 1;
                r.knobs = Json.objectMap(rs.getString(4));
                r.metrics = Json.objectMap(rs.getString(5));
                r.excluded = rs.getInt(6) == 1;
                return r;
            }
        }
    }

    @Override
    protected void write(Connection c, List<PointRow> inserted, List<PointRow> updated) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO tuning_point (experiment_id, number, scenario, "
                + "completed, knobs_json, metrics_json, excluded) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement update = c.prepareStatement("UPDATE tuning_point SET completed = ?, knobs_json = ?, "
                     + "metrics_json = ?, scenario = ?, excluded = ? WHERE experiment_id = ?")) {
            for (PointRow r : inserted) {
                addBatch(insert, r.experimentId, r.number, r.scenario, r.completed ? 1 : 0, Json.write(r.knobs),
                        Json.write(r.metrics), r.excluded ? 1 : 0);
            }
            for (PointRow r : updated) {
                addBatch(update, r.completed ? 1 : 0, Json.write(r.knobs), Json.write(r.metrics), r.scenario,
                        r.excluded ? 1 : 0, r.experimentId);
            }
            insert.executeBatch();
            update.executeBatch();
        }
    }

    @Override
    public void reset(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM tuning_point");
        }
    }

    // ---- queries ----

    /** Completed experiments that are not excluded, in recording order, optionally of one scenario. */
    public List<TuningPoint> completed(String scenario) {
        return completed(scenario, false);
    }

    /** Completed experiments in recording order, optionally of one scenario. */
    public List<TuningPoint> completed(String scenario, boolean includeExcluded) {
        String sql = "SELECT number, experiment_id, scenario, knobs_json, metrics_json FROM tuning_point "
                + "WHERE completed = 1" + (includeExcluded ? "" : " AND excluded = 0") + (scenario == null ? "" : " AND scenario = ?") + " ORDER BY number";
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                if (scenario != null) {
                    st.setString(1, scenario);
                }
                try (ResultSet rs = st.executeQuery()) {
                    List<TuningPoint> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new TuningPoint(rs.getInt(1), rs.getString(2), rs.getString(3),
                                Json.objectMap(rs.getString(4)), Json.doubleMap(rs.getString(5))));
                    }
                    return out;
                }
            }
        });
    }
}
