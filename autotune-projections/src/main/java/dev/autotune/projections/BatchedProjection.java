package dev.autotune.projections;

import dev.autotune.domain.ExperimentApi.ExperimentEvent;
import dev.autotune.domain.ExperimentState;
import dev.autotune.store.Database;
import dev.autotune.store.ReadModel;
import dev.autotune.store.StoreException;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A projection that keeps the rows one batch of events touches in memory and writes them with batched
 * statements when the batch commits, in the batch's transaction. An experiment's whole life often fits in one
 * batch, so its row is inserted once in its final state instead of being updated event by event; a replay
 * runs several times faster than with a statement per event.
 * <p>
 * Each row carries the experiment's {@link ExperimentState}: a projection folds every experiment event into it
 * ({@link #fold}) and writes its own columns from the state, so what an event means is decided in the domain's
 * fold alone. A row read back from the table restores the state from the columns the projection keeps.
 */
abstract class BatchedProjection<R extends BatchedProjection.Row> implements ReadModel {
    /** A row of the projection's main table, keyed by experiment id. */
    abstract static class Row {
        final String experimentId;
        /** Where the experiment stands after the events handled so far. */
        ExperimentState state;
        boolean inserted;
        /** Whether this batch changed the row; a row only read (e.g. for an event that changes nothing) is not written. */
        boolean changed;

        Row(String experimentId) {
            this.experimentId = experimentId;
        }

        Row(ExperimentState state) {
            this(state.experimentId());
            this.state = state;
        }

        boolean inserted() {
            return inserted;
        }

        /** Marks the row to be written though its state did not change (e.g. a new line of its timeline). */
        void touch() {
            changed = true;
        }
    }

    protected final Database db;
    private final ExperimentNumbers numbers;
    private final String resourceKey = getClass().getName() + ".batch";

    BatchedProjection(Database db, ExperimentNumbers numbers) {
        this.db = db;
        this.numbers = numbers;
    }

    /** Reads an existing row, or null when this projection has none for the experiment. */
    protected abstract R load(Connection c, String experimentId) throws SQLException;

    /** Writes the batch: rows to insert and rows to update, each in the order they were first touched. */
    protected abstract void write(Connection c, List<R> inserted, List<R> updated) throws SQLException;

    /** The row of an experiment this batch already touched or that is stored; null when there is none. */
    protected final R row(String experimentId) throws SQLException {
        Batch<R> batch = batch();
        R row = batch.rows.get(experimentId);
        if (row == null) {
            try (Connection c = db.transactions().getConnection()) {
                row = load(c, experimentId);
            }
            if (row != null) {
                batch.rows.put(experimentId, row);
            }
        }
        return row;
    }

    /**
     * The row of the event's experiment with the event folded into its state; null when this projection has no row
     * for the experiment (an event of an experiment it never saw start is ignored).
     */
    protected final R fold(ExperimentEvent event) throws SQLException {
        R row = row(event.experimentId());
        if (row != null) {
            apply(row, event);
        }
        return row;
    }

    /** Folds the event into the row's state, for a projection that needs the state before it too. */
    protected static void apply(Row row, ExperimentEvent event) {
        ExperimentState next = row.state.apply(event);
        if (next != row.state) {
            row.state = next;
            row.changed = true;
        }
    }

    protected final void add(R row) {
        row.inserted = true;
        batch().rows.put(row.experimentId, row);
    }

    /** The experiment's short number, assigned once by {@link ExperimentNumbers}. */
    protected final int number(String experimentId) throws SQLException {
        return numbers.assign(experimentId);
    }

    private Batch<R> batch() {
        UnitOfWork<?> uow = CurrentUnitOfWork.get().root();
        return uow.getOrComputeResource(resourceKey, key -> {
            Batch<R> batch = new Batch<>();
            uow.onPrepareCommit(u -> flush(batch));
            return batch;
        });
    }

    private void flush(Batch<R> batch) {
        List<R> inserted = new ArrayList<>();
        List<R> updated = new ArrayList<>();
        for (R r : batch.rows.values()) {
            if (r.inserted()) {
                inserted.add(r);
            } else if (r.changed) {
                updated.add(r);
            }
        }
        try (Connection c = db.transactions().getConnection()) {
            write(c, inserted, updated);
        } catch (SQLException e) {
            throw new StoreException(getClass().getSimpleName() + " cannot write its batch: " + e.getMessage(), e);
        }
    }

    private static final class Batch<R> {
        final Map<String, R> rows = new LinkedHashMap<>();
    }

    /** Adds the current parameter set to a batch. */
    static void addBatch(PreparedStatement st, Object... params) throws SQLException {
        Rows.bind(st, params);
        st.addBatch();
    }
}
