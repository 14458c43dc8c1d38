package dev.autotune.projections;

import dev.autotune.domain.ExperimentApi.ExperimentEvent;
import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.domain.ExperimentState;
import dev.autotune.domain.ExperimentStatus;
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

    /** The experiment's state, of which a point keeps scenario, knobs, metrics, exclusion and whether it completed. */
    static final class PointRow extends BatchedProjection.Row {
        int number;

        PointRow(ExperimentState state) {
            super(state);
        }
    }

    public RecommendationProjection(Database db, ExperimentNumbers numbers) {
        super(db, numbers);
    }

    @EventHandler
    void on(ExperimentStarted e) throws SQLException {
        PointRow r = new PointRow(ExperimentState.started(e));
        r.number = number(e.experimentId());
        add(r);
    }

    @EventHandler
    void on(ExperimentEvent e) throws SQLException {
        fold(e);
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
                // a point keeps only whether the experiment completed: any other status is restored as running,
                // which maps to the same column and which the fold overwrites with the next status event
                PointRow r = new PointRow(ExperimentState.restore(id).scenario(rs.getString(2))
                        .status(rs.getInt(3) == 1 ? ExperimentStatus.COMPLETED : ExperimentStatus.RUNNING)
                        .knobs(Json.objectMap(rs.getString(4))).metrics(Json.objectMap(rs.getString(5)))
                        .excluded(rs.getInt(6) == 1).build());
                r.number = rs.getInt(1);
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
                ExperimentState x = r.state;
                addBatch(insert, r.experimentId, r.number, x.scenario(), completed(x), Json.write(x.knobs()),
                        Json.write(x.metrics()), x.excluded() ? 1 : 0);
            }
            for (PointRow r : updated) {
                ExperimentState x = r.state;
                addBatch(update, completed(x), Json.write(x.knobs()), Json.write(x.metrics()), x.scenario(),
                        x.excluded() ? 1 : 0, r.experimentId);
            }
            insert.executeBatch();
            update.executeBatch();
        }
    }

    private static int completed(ExperimentState state) {
        return state.status() == ExperimentStatus.COMPLETED ? 1 : 0;
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
