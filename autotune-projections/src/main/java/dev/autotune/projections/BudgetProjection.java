package dev.autotune.projections;

import dev.autotune.domain.ExperimentApi.ExperimentAbandoned;
import dev.autotune.domain.ExperimentApi.ExperimentCompleted;
import dev.autotune.domain.ExperimentApi.ExperimentFailed;
import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.domain.ExperimentApi.MetricsRecorded;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.store.Database;
import dev.autotune.store.ReadModel;
import org.axonframework.eventhandling.EventHandler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The measured metrics of each completed experiment, which `check` holds against the budgets. */
public class BudgetProjection implements ReadModel {
    private final Database db;

    public BudgetProjection(Database db) {
        this.db = db;
    }

    @EventHandler
    void on(ExperimentStarted e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.update(c, "INSERT INTO budget_experiment (experiment_id, number, scenario, status) VALUES (?, ?, ?, ?)",
                    e.experimentId(), Rows.nextNumber(c, "budget_experiment"), e.scenario(), ExperimentStatus.RUNNING);
        }
    }

    @EventHandler
    void on(MetricsRecorded e) throws SQLException {
        try (Connection c = db.transactions().getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO budget_metric (experiment_id, metric, value) "
                     + "VALUES (?, ?, ?) ON CONFLICT (experiment_id, metric) DO UPDATE SET value = excluded.value")) {
            for (Map.Entry<String, Double> m : e.metrics().entrySet()) {
                Rows.bind(st, e.experimentId(), m.getKey(), m.getValue());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    @EventHandler
    void on(ExperimentCompleted e) throws SQLException {
        status(e.experimentId(), ExperimentStatus.COMPLETED);
    }

    @EventHandler
    void on(ExperimentFailed e) throws SQLException {
        status(e.experimentId(), ExperimentStatus.FAILED);
    }

    @EventHandler
    void on(ExperimentAbandoned e) throws SQLException {
        status(e.experimentId(), ExperimentStatus.ABANDONED);
    }

    private void status(String id, ExperimentStatus status) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.update(c, "UPDATE budget_experiment SET status = ? WHERE experiment_id = ?", status, id);
        }
    }

    @Override
    public void reset(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM budget_experiment");
            st.executeUpdate("DELETE FROM budget_metric");
        }
    }

    // ---- queries ----

    public record Measured(int number, String experimentId, String scenario, SortedMap<String, Double> metrics) {
    }

    /** Completed experiments in recording order, optionally of one scenario, with all their metrics. */
    public List<Measured> completed(String scenario) {
        String sql = "SELECT e.number, e.experiment_id, e.scenario, m.metric, m.value FROM budget_experiment e "
                + "LEFT JOIN budget_metric m ON m.experiment_id = e.experiment_id WHERE e.status = 'completed'"
                + (scenario == null ? "" : " AND e.scenario = ?") + " ORDER BY e.number";
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                if (scenario != null) {
                    st.setString(1, scenario);
                }
                Map<String, Measured> byId = new LinkedHashMap<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(2);
                        Measured m = byId.computeIfAbsent(id, k -> {
                            try {
                                return new Measured(rs.getInt(1), k, rs.getString(3), new TreeMap<>());
                            } catch (SQLException ex) {
                                throw new IllegalStateException(ex);
                            }
                        });
                        String metric = rs.getString(4);
                        if (metric != null) {
                            m.metrics().put(metric, rs.getDouble(5));
                        }
                    }
                }
                return new ArrayList<>(byId.values());
            }
        });
    }
}
