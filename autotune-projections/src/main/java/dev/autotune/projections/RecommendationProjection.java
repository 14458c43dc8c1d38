package dev.autotune.projections;

import dev.autotune.domain.ExperimentApi.ConfigResolved;
import dev.autotune.domain.ExperimentApi.ExperimentCompleted;
import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.domain.ExperimentApi.MetricsRecorded;
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
import java.util.SortedMap;

/** Knob values against measured metrics for every completed experiment: the history `recommend` reasons over. */
public class RecommendationProjection implements ReadModel {
    private final Database db;

    public RecommendationProjection(Database db) {
        this.db = db;
    }

    @EventHandler
    void on(ExperimentStarted e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.update(c, "INSERT INTO tuning_point (experiment_id, number, scenario, completed, knobs_json, "
                            + "metrics_json) VALUES (?, ?, ?, 0, ?, '{}')",
                    e.experimentId(), Rows.nextNumber(c, "tuning_point"), e.scenario(), Json.write(e.config()));
        }
    }

    @EventHandler
    void on(ConfigResolved e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.mergeJson(c, "tuning_point", "knobs_json", e.experimentId(), e.config());
        }
    }

    @EventHandler
    void on(MetricsRecorded e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.mergeJson(c, "tuning_point", "metrics_json", e.experimentId(), e.metrics());
        }
    }

    @EventHandler
    void on(ExperimentCompleted e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.update(c, "UPDATE tuning_point SET completed = 1 WHERE experiment_id = ?", e.experimentId());
        }
    }

    @Override
    public void reset(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM tuning_point");
        }
    }

    // ---- queries ----

    public record TuningPoint(int number, String experimentId, String scenario, SortedMap<String, Object> knobs,
                              SortedMap<String, Double> metrics) {
    }

    /** Completed experiments in recording order, optionally of one scenario. */
    public List<TuningPoint> completed(String scenario) {
        String sql = "SELECT number, experiment_id, scenario, knobs_json, metrics_json FROM tuning_point "
                + "WHERE completed = 1" + (scenario == null ? "" : " AND scenario = ?") + " ORDER BY number";
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
