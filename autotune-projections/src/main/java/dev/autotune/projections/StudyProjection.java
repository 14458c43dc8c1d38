package dev.autotune.projections;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.autotune.domain.search.Decision.StopReason;
import dev.autotune.domain.search.Expectation;
import dev.autotune.domain.search.SearchSpace;
import dev.autotune.domain.study.ConfigValues;
import dev.autotune.domain.study.StudyApi.StudyFinished;
import dev.autotune.domain.study.StudyApi.StudyStarted;
import dev.autotune.domain.study.StudyApi.TrialLinked;
import dev.autotune.domain.study.StudyApi.TrialProposed;
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
import java.util.Map;
import java.util.Optional;

/**
 * Studies and their trials as the Study events left them. Studies are few and their events small, so each event is
 * one statement in the batch's transaction rather than a batched row cache like the experiment views.
 */
public class StudyProjection implements ReadModel {
    private final Database db;

    public StudyProjection(Database db) {
        this.db = db;
    }

    @EventHandler
    void on(StudyStarted e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            int number;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT coalesce(max(number), 0) + 1 FROM studies")) {
                rs.next();
                number = rs.getInt(1);
            }
            Rows.update(c, "INSERT INTO studies (study_id, number, name, scenario, strategy, seed, space_json, trial_count, "
                            + "started_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)", e.studyId(), number, e.name(),
                    e.space().scenario(), e.strategy(), e.seed(), Json.write(e.space()), e.startedAt());
        }
    }

    @EventHandler
    void on(TrialProposed e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.update(c, "INSERT INTO trials (study_id, trial, config_json, strategy, reason, expectation_json, repeated, "
                            + "proposed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", e.studyId(), e.trial(),
                    Json.write(e.config()), e.strategy(), e.reason(),
                    e.expectation() == null ? null : Json.write(e.expectation()), e.repeat() ? 1 : 0, e.proposedAt());
            Rows.update(c, "UPDATE studies SET trial_count = trial_count + 1 WHERE study_id = ?", e.studyId());
        }
    }

    @EventHandler
    void on(TrialLinked e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.update(c, "UPDATE trials SET experiment_id = ?, linked_at = ? WHERE study_id = ? AND trial = ?",
                    e.experimentId(), e.linkedAt(), e.studyId(), e.trial());
        }
    }

    @EventHandler
    void on(StudyFinished e) throws SQLException {
        try (Connection c = db.transactions().getConnection()) {
            Rows.update(c, "UPDATE studies SET finish_reason = ?, finish_message = ?, finished_at = ? WHERE study_id = ?",
                    e.reason(), e.message(), e.finishedAt(), e.studyId());
        }
    }

    @Override
    public void reset(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM trials");
            st.executeUpdate("DELETE FROM studies");
        }
    }

    // ---- queries ----

    /** A study as recorded: {@code finishReason} is null while it is open. */
    public record StudyRow(int number, String studyId, String name, String scenario, String strategy, long seed,
                           SearchSpace space, int trialCount, Instant startedAt, StopReason finishReason,
                           String finishMessage, Instant finishedAt) {
        public boolean finished() {
            return finishReason != null;
        }
    }

    /** A proposal and, once known, the experiment that measures it. */
    public record TrialRow(int trial, Map<String, Object> config, String strategy, String reason,
                           Expectation expectation, boolean repeat, Instant proposedAt, String experimentId,
                           Instant linkedAt) {
    }

    private static final String STUDY_COLUMNS = "number, study_id, name, scenario, strategy, seed, space_json, "
            + "trial_count, started_at, finish_reason, finish_message, finished_at";

    /** Every study, oldest first. */
    public List<StudyRow> list() {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT " + STUDY_COLUMNS + " FROM studies ORDER BY number");
                 ResultSet rs = st.executeQuery()) {
                List<StudyRow> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(study(rs));
                }
                return out;
            }
        });
    }

    /** A study by its short number or full id. */
    public Optional<StudyRow> find(String idOrNumber) {
        boolean number = idOrNumber.matches("\\d{1,9}");
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT " + STUDY_COLUMNS + " FROM studies WHERE "
                    + (number ? "number = ?" : "study_id = ?"))) {
                Rows.bind(st, number ? (Object) Integer.parseInt(idOrNumber) : idOrNumber);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(study(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The trials of a study in proposal order. */
    public List<TrialRow> trials(String studyId) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT trial, config_json, strategy, reason, "
                    + "expectation_json, repeated, proposed_at, experiment_id, linked_at FROM trials WHERE study_id = ? "
                    + "ORDER BY trial")) {
                Rows.bind(st, studyId);
                try (ResultSet rs = st.executeQuery()) {
                    List<TrialRow> out = new ArrayList<>();
                    while (rs.next()) {
                        String expectation = rs.getString(5);
                        out.add(new TrialRow(rs.getInt(1), ConfigValues.config(Json.objectMap(rs.getString(2))),
                                rs.getString(3), rs.getString(4),
                                expectation == null ? null : read(expectation, Expectation.class),
                                rs.getInt(6) == 1, Rows.instant(rs.getString(7)), rs.getString(8),
                                Rows.instant(rs.getString(9))));
                    }
                    return out;
                }
            }
        });
    }

    private static StudyRow study(ResultSet rs) throws SQLException {
        String reason = rs.getString(10);
        return new StudyRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), ConfigValues.space(read(rs.getString(7), SearchSpace.class)), rs.getInt(8),
                Rows.instant(rs.getString(9)),
                reason == null ? null : StopReason.valueOf(reason.toUpperCase(java.util.Locale.ROOT)),
                rs.getString(11), Rows.instant(rs.getString(12)));
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getMessage(), e);
        }
    }
}
