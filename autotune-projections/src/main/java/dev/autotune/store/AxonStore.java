package dev.autotune.store;

import dev.autotune.domain.Experiment;
import dev.autotune.domain.budget.BudgetProfile;
import dev.autotune.domain.study.Study;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Axon Framework on the autotune database: the Experiment aggregate behind a command gateway and the JDBC event
 * store. The read models are fed in event-log order by whoever writes, in the write's own transaction and under
 * the write lock ({@link #appendAndProject}), and by whoever finds them behind ({@link #awaitProjections}): no
 * processor thread polls the log, and nobody sleeps waiting for one. Starting Axon costs a few hundred
 * milliseconds, so read-only commands use it only when the projections are behind the log.
 */
public final class AxonStore implements AutoCloseable {
    /** The name the read models' position is stored under. */
    public static final String PROCESSOR = Database.PROJECTIONS;

    private final Database db;
    private final List<ReadModel> readModels;
    private final Configuration config;
    private final JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(Json.mapper()).build();
    private final JdbcEventStorageEngine engine;
    /** The same read models, invoked by the writing thread itself: see {@link #appendAndProject}. */
    private final SimpleEventHandlerInvoker inline;

    private AxonStore(Database db, List<ReadModel> readModels, Clock clock) {
        this.db = db;
        this.readModels = List.copyOf(readModels);
        this.engine = storageEngine(serializer, db.transactions());
        List<Object> handlers = new ArrayList<>(this.readModels);
        handlers.add(new PositionTracker());
        this.inline = SimpleEventHandlerInvoker.builder().eventHandlers(handlers).build();
        this.config = configure(clock).buildConfiguration();
        config.start();
    }

    public static AxonStore start(Database db, List<ReadModel> readModels) {
        return start(db, readModels, Clock.systemUTC());
    }

    /** With the clock the aggregate stamps events with: tests and benchmarks pass a fixed one. */
    public static AxonStore start(Database db, List<ReadModel> readModels, Clock clock) {
        return new AxonStore(db, readModels, clock);
    }

    private Configurer configure(Clock clock) {
        JdbcTransactions tx = db.transactions();
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureTransactionManager(c -> tx)
                .configureEventStore(c -> {
                    EmbeddedEventStore store = EmbeddedEventStore.builder()
                            .storageEngine(engine)
                            // another process may append at any moment; look for its events often
                            .fetchDelay(200)
                            .build();
                    c.onShutdown(store::shutDown);
                    return store;
                })
                // the aggregates' command handlers take a Clock parameter; Axon resolves it from here
                .registerComponent(Clock.class, c -> clock)
                .configureAggregate(Experiment.class)
                .configureAggregate(Study.class)
                .configureAggregate(BudgetProfile.class);
        return configurer;
    }

    private JdbcEventStorageEngine storageEngine(JacksonSerializer serializer, JdbcTransactions tx) {
        return SqliteStatements.apply(JdbcEventStorageEngine.builder())
                .connectionProvider(tx)
                .transactionManager(tx)
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .upcasterChain(new EventUpcasterChain(AddedFieldsUpcaster.ALL))
                .persistenceExceptionResolver(new SqliteExceptionResolver())
                .dataType(String.class)
                .batchSize(2000)
                .build();
    }

    public CommandGateway commands() {
        return config.commandGateway();
    }

    /**
     * Sends commands in groups that each commit as one transaction, for bulk imports and benchmarks: the events
     * of a whole group are appended in one batch instead of one transaction per command.
     */
    public void sendInBatches(List<?> commands, int batchSize) {
        for (int from = 0; from < commands.size(); from += batchSize) {
            List<?> group = commands.subList(from, Math.min(commands.size(), from + batchSize));
            DefaultUnitOfWork<?> uow = DefaultUnitOfWork.startAndGet(new GenericMessage<>("bulk: " + group.size()));
            uow.attachTransaction(db.transactions());
            try {
                for (Object command : group) {
                    commands().sendAndWait(command);
                }
                uow.commit();
            } catch (RuntimeException e) {
                uow.rollback(e);
                throw e;
            }
        }
    }

    /**
     * Brings the read models up to every event appended before this call, on this thread: under the write lock,
     * it projects what the log holds beyond their position, in transactions of at most {@value #INLINE_BATCH}
     * events. There is no processor thread to wait for: every writer projects its own events as it appends them,
     * and whoever reads next projects what a writer without read models (a bulk load) left behind.
     */
    public void awaitProjections(Duration timeout) {
        awaitProjections(timeout, position -> {
        });
    }

    public void awaitProjections(Duration timeout, LongConsumer progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long position;
        while ((position = db.projectionPosition()) < db.head()) {
            progress.accept(position);
            db.exclusively(() -> db.inTransaction(c -> projectSome()));
            if (System.nanoTime() > deadline) {
                throw new StoreException("projections are at event " + db.projectionPosition() + " of " + db.head()
                        + " after " + timeout.toSeconds() + " s");
            }
        }
    }

    /**
     * Appends and projects in one step, holding the write lock throughout: the read models are first brought up
     * to the end of the log, then {@code check} runs on them (the duplicate check; it may throw to refuse), then
     * {@code append} sends its command, and the events it appended are projected in the same transaction. When it
     * returns, every read model includes exactly the log up to these events; when anything throws, nothing of
     * the append is kept. Other processes' events are picked up by their writers or the processor.
     */
    public <T> T appendAndProject(Runnable check, Supplier<T> append) {
        return db.exclusively(() -> {
            while (db.projectionPosition() < db.head()) {
                db.inTransaction(c -> projectSome());
            }
            check.run();
            JdbcTransactions tx = db.transactions();
            Transaction transaction = tx.startTransaction();
            try {
                T result = append.get();
                projectPending(Integer.MAX_VALUE);
                transaction.commit();
                return result;
            } catch (RuntimeException e) {
                transaction.rollback();
                throw e;
            }
        });
    }

    private static final int INLINE_BATCH = 2000;

    /** One catch-up transaction's worth; refuses to spin when the log claims events it does not hand out. */
    private int projectSome() {
        int count = projectPending(INLINE_BATCH);
        if (count == 0 && db.projectionPosition() < db.head()) {
            throw new StoreException("the read models are at event " + db.projectionPosition() + " but no event after "
                    + "it can be read (head " + db.head() + ")");
        }
        return count;
    }

    /**
     * Projects up to {@code limit} events after the read models' position, in the caller's transaction, through
     * the same handlers the processor feeds; returns how many.
     */
    private int projectPending(int limit) {
        long position = db.projectionPosition();
        int count = 0;
        try (Stream<? extends TrackedEventMessage<?>> events = engine.readEvents(
                GapAwareTrackingToken.newInstance(position, Collections.emptySet()), false)) {
            Iterator<? extends TrackedEventMessage<?>> it = events.iterator();
            DefaultUnitOfWork<?> uow = null;
            try {
                while (count < limit && it.hasNext()) {
                    TrackedEventMessage<?> event = it.next();
                    if (uow == null) {
                        uow = DefaultUnitOfWork.startAndGet(event);
                    }
                    inline.handle(event, Segment.ROOT_SEGMENT);
                    count++;
                }
                if (uow != null) {
                    uow.commit();
                }
            } catch (Exception e) {
                if (uow != null && uow.isActive()) {
                    uow.rollback(e);
                }
                throw e instanceof RuntimeException r ? r
                        : new StoreException("cannot project event after " + position + ": " + e.getMessage(), e);
            }
        }
        return count;
    }

    /** Nothing feeds the read models in the background: appends through {@link #sendInBatches} leave them behind. */
    public void pauseProjections() {
    }

    /** Empties every read model and replays the whole log into them, in transactions of {@value #INLINE_BATCH} events. */
    public void rebuild(Duration timeout, LongConsumer progress) {
        db.exclusively(() -> db.inTransaction(c -> {
            for (ReadModel model : readModels) {
                model.reset(c);
            }
            try (PreparedStatement pos = c.prepareStatement("DELETE FROM projection_position WHERE processor_name = ?")) {
                pos.setString(1, PROCESSOR);
                pos.executeUpdate();
            }
            return null;
        }));
        awaitProjections(timeout, progress);
    }

    @Override
    public void close() {
        config.shutdown();
    }

    /**
     * Records how far the read models have got, once per batch and in the batch's transaction, so a reader
     * never sees a position ahead of the rows it stands for.
     */
    private final class PositionTracker {
        private static final String RESOURCE = "autotune.projection-position";

        @EventHandler
        void on(Object event, TrackingToken token) {
            long index = token.position().orElse(0L);
            UnitOfWork<?> uow = CurrentUnitOfWork.get();
            AtomicLong latest = uow.root().getOrComputeResource(RESOURCE, key -> {
                AtomicLong holder = new AtomicLong();
                uow.root().onPrepareCommit(u -> store(holder.get()));
                return holder;
            });
            latest.accumulateAndGet(index, Math::max);
        }

        private void store(long index) {
            try (Connection c = db.transactions().getConnection();
                 PreparedStatement st = c.prepareStatement("INSERT INTO projection_position (processor_name, position) "
                         + "VALUES (?, ?) ON CONFLICT (processor_name) DO UPDATE SET position = excluded.position")) {
                st.setString(1, PROCESSOR);
                st.setLong(2, index);
                st.executeUpdate();
            } catch (SQLException e) {
                throw new StoreException("cannot record the projection position: " + e.getMessage(), e);
            }
        }
    }
}
