package dev.autotune.projections;

import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import dev.autotune.store.AxonStore;
import dev.autotune.store.Database;
import dev.autotune.store.ReadModel;
import dev.autotune.store.StoreException;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The short experiment numbers people type ({@code autotune show 7}), assigned once, in event-log order, in the
 * table this read model alone owns ({@code experiment_number}). The other read models copy the number into their
 * own rows when they see the same {@code ExperimentStarted}: before, each counted on its own and they only agreed
 * because all of them replayed in the same order.
 */
public final class ExperimentNumbers implements ReadModel {
    private static final String RESOURCE = ExperimentNumbers.class.getName() + ".batch";

    private final Database db;

    public ExperimentNumbers(Database db) {
        this.db = db;
    }

    /**
     * On PostgreSQL the number comes with the event ({@link AxonStore#NUMBER}, taken from a sequence when it was
     * published, since writers there project at once and not in log order); otherwise, and for events recorded
     * without one, it is the next after the highest. Either way a replay gives every experiment the same number.
     * This read model is the first of {@code Projections.all()}, so it sees the event before those that ask it.
     */
    @EventHandler
    void on(ExperimentStarted e, @MetaDataValue(AxonStore.NUMBER) Object given) throws SQLException {
        if (given instanceof Number n && n.longValue() > 0) {
            Batch batch = batch();
            int number = Math.toIntExact(n.longValue());
            batch.assigned.putIfAbsent(e.experimentId(), number);
            batch.highestGiven = Math.max(batch.highestGiven, number);
            if (batch.last != null) {
                batch.last = Math.max(batch.last, number);
            }
            return;
        }
        assign(e.experimentId());
    }

    /**
     * The number of an experiment started in the batch being handled, assigning the next one on first ask. Every
     * read model asks from its own {@code ExperimentStarted} handler; whichever Axon calls first assigns it, in
     * this batch's transaction, and the others get the same number.
     */
    int assign(String experimentId) throws SQLException {
        Batch batch = batch();
        Integer number = batch.assigned.get(experimentId);
        if (number == null) {
            if (batch.last == null) {
                try (Connection c = db.transactions().getConnection();
                     PreparedStatement st = c.prepareStatement("SELECT coalesce(max(number), 0) FROM experiment_number");
                     ResultSet rs = st.executeQuery()) {
                    rs.next();
                    batch.last = Math.max(rs.getInt(1), batch.highestGiven);
                }
            }
            number = ++batch.last;
            batch.assigned.put(experimentId, number);
        }
        return number;
    }

    private Batch batch() {
        UnitOfWork<?> uow = CurrentUnitOfWork.get().root();
        return uow.getOrComputeResource(RESOURCE, key -> {
            Batch batch = new Batch();
            uow.onPrepareCommit(u -> write(batch));
            return batch;
        });
    }

    private void write(Batch batch) {
        try (Connection c = db.transactions().getConnection();
             PreparedStatement st = c.prepareStatement(
                     "INSERT INTO experiment_number (experiment_id, number) VALUES (?, ?)")) {
            for (Map.Entry<String, Integer> e : batch.assigned.entrySet()) {
                st.setString(1, e.getKey());
                st.setInt(2, e.getValue());
                st.addBatch();
            }
            st.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("cannot record experiment numbers: " + e.getMessage(), e);
        }
    }

    @Override
    public void reset(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM experiment_number");
        }
    }

    /** The numbers of these experiments; ids without one (not projected yet) are left out. */
    public Map<String, Integer> of(Collection<String> experimentIds) {
        if (experimentIds.isEmpty()) {
            return Map.of();
        }
        List<String> ids = List.copyOf(new LinkedHashSet<>(experimentIds));
        String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT experiment_id, number FROM experiment_number "
                    + "WHERE experiment_id IN (" + marks + ")")) {
                Rows.bind(st, ids.toArray());
                Map<String, Integer> out = new HashMap<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getInt(2));
                    }
                }
                return out;
            }
        });
    }

    private static final class Batch {
        final Map<String, Integer> assigned = new LinkedHashMap<>();
        Integer last;
        int highestGiven;
    }
}
