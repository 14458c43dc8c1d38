package dev.autotune.projections;

import dev.autotune.domain.ExperimentApi.ExperimentEvent;
import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.domain.ExperimentApi.MetricsRecorded;
import dev.autotune.domain.ExperimentState;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.analysis.Measured;
import dev.autotune.store.Database;
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
import java.util.TreeMap;

/** The measured metrics of each completed experiment, which `check` holds against the budgets. */
public class BudgetProjection extends BatchedProjection<BudgetProjection.BudgetRow> {

    /** The experiment's state; the metrics go to a table of their own, one row per metric. */
    static final class BudgetRow extends BatchedProjection.Row {
        int number;
        final Map<String, Double> newMetrics = new TreeMap<>();

        BudgetRow(ExperimentState state) {
            super(state);
        }
    }

    public BudgetProjection(Database db, ExperimentNumbers numbers) {
        super(db, numbers);
    }

    @EventHandler
    void on(ExperimentStarted e) throws SQLException {
        BudgetRow r = new BudgetRow(ExperimentState.started(e));
        r.number = number(e.experimentId());
        add(r);
    }

    @EventHandler
    void on(MetricsRecorded e) throws SQLException {
        BudgetRow r = fold(e);
        if (r != null) {
            r.newMetrics.putAll(e.metrics());
            r.touch();
        }
    }

    /** Every other event of an experiment: its scenario, status and exclusion as the fold gives them. */
    @EventHandler
    void on(ExperimentEvent e) throws SQLException {
        fold(e);
    }

    @Override
    protected BudgetRow load(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT number, scenario, status, excluded FROM budget_experiment WHERE experiment_id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                // this table keeps only what check asks; the fold changes each of these from the event alone
                BudgetRow r = new BudgetRow(ExperimentState.restore(id).scenario(rs.getString(2))
                        .status(ExperimentStatus.parse(rs.getString(3))).excluded(rs.getInt(4) == 1).build());
                r.number = rs.getInt(1);
                return r;
            }
        }
    }

    @Override
    protected void write(Connection c, List<BudgetRow> inserted, List<BudgetRow> updated) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO budget_experiment (experiment_id, number, scenario, status, excluded) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement update = c.prepareStatement(
                     "UPDATE budget_experiment SET status = ?, scenario = ?, excluded = ? WHERE experiment_id = ?");
             PreparedStatement metric = c.prepareStatement("INSERT INTO budget_metric (experiment_id, metric, value) "
                     + "VALUES (?, ?, ?) ON CONFLICT (experiment_id, metric) DO UPDATE SET value = excluded.value")) {
            for (BudgetRow r : inserted) {
                addBatch(insert, r.experimentId, r.number, r.state.scenario(), r.state.status(), r.state.excluded() ? 1 : 0);
            }
            for (BudgetRow r : updated) {
                addBatch(update, r.state.status(), r.state.scenario(), r.state.excluded() ? 1 : 0, r.experimentId);
            }
            for (List<BudgetRow> rows : List.of(inserted, updated)) {
                for (BudgetRow r : rows) {
                    for (Map.Entry<String, Double> m : r.newMetrics.entrySet()) {
                        addBatch(metric, r.experimentId, m.getKey(), m.getValue());
                    }
                }
            }
            insert.executeBatch();
            update.executeBatch();
            metric.executeBatch();
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

    /** Completed experiments that are not excluded, in recording order, optionally of one scenario. */
    public List<Measured> completed(String scenario) {
        return completed(scenario, false);
    }

    /** Completed experiments in recording order, optionally of one scenario, with all their metrics. */
    public List<Measured> completed(String scenario, boolean includeExcluded) {
        String sql = "SELECT e.number, e.experiment_id, e.scenario, m.metric, m.value FROM budget_experiment e "
                + "LEFT JOIN budget_metric m ON m.experiment_id = e.experiment_id WHERE e.status = 'completed'"
                + (includeExcluded ? "" : " AND e.excluded = 0")
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
