package dev.autotune.projections;

import dev.autotune.domain.budget.BudgetProfileApi.BudgetProfileDeleted;
import dev.autotune.domain.budget.BudgetProfileApi.BudgetProfileSaved;
import dev.autotune.store.Database;
import dev.autotune.store.Json;
import dev.autotune.store.ReadModel;
import org.axonframework.eventhandling.EventHandler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The saved budget profiles by name. Profiles are few and small: each event is one statement in the batch's transaction. */
public class BudgetProfileProjection implements ReadModel {
    private final Database db;

    public BudgetProfileProjection(Database db) {
        this.db = db;
    }

    @EventHandler
    void on(BudgetProfileSaved e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            // a save under a saved name replaces its row: delete and insert is the same on SQLite and PostgreSQL
            Rows.update(c, "DELETE FROM budget_profiles WHERE name = ?", e.name());
            Rows.update(c, "INSERT INTO budget_profiles (name, budgets_json, saved_at) VALUES (?, ?, ?)", e.name(),
                    Json.write(e.budgets()), e.savedAt());
        }
    }

    @EventHandler
    void on(BudgetProfileDeleted e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.update(c, "DELETE FROM budget_profiles WHERE name = ?", e.name());
        }
    }

    @Override
    public void reset(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM budget_profiles");
        }
    }

    // ---- queries ----

    /** A saved profile: its budgets in their normal form ({@code latency_ms<=200}), as saved last. */
    public record ProfileRow(String name, List<String> budgets, Instant savedAt) {
    }

    /** Every saved profile, by name. */
    public List<ProfileRow> list() {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT name, budgets_json, saved_at FROM budget_profiles ORDER BY name");
                 ResultSet rs = st.executeQuery()) {
                List<ProfileRow> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row(rs));
                }
                return out;
            }
        });
    }

    public Optional<ProfileRow> find(String name) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT name, budgets_json, saved_at FROM budget_profiles WHERE name = ?")) {
                Rows.bind(st, name);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    private static ProfileRow row(ResultSet rs) throws SQLException {
        return new ProfileRow(rs.getString(1), List.copyOf(Json.stringList(rs.getString(2))),
                Rows.instant(rs.getString(3)));
    }
}
