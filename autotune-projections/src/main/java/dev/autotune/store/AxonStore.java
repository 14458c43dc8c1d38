package dev.autotune.store;

import dev.autotune.domain.Experiment;
import dev.autotune.domain.study.Study;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Axon Framework on the autotune database: the Experiment aggregate behind a command gateway, the JDBC event
 * store, and one pooled streaming processor that feeds every read model in event-log order. Starting Axon costs
 * a few hundred milliseconds, so read-only commands use it only when the projections are behind the log.
 */
public final class AxonStore implements AutoCloseable {
    public static final String PROCESSOR = Database.PROJECTIONS;

    private final Database db;
    private final List<ReadModel> readModels;
    private final Configuration config;

    private AxonStore(Database db, List<ReadModel> readModels, Clock clock) {
        this.db = db;
        this.readModels = List.copyOf(readModels);
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
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(Json.mapper()).build();
        JdbcTransactions tx = db.transactions();
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureTransactionManager(c -> tx)
                .configureEventStore(c -> {
                    EmbeddedEventStore store = EmbeddedEventStore.builder()
                            .storageEngine(storageEngine(serializer, tx))
                            // another process may append at any moment; look for its events often
                            .fetchDelay(200)
                            .build();
                    c.onShutdown(store::shutDown);
                    return store;
                })
                // the Experiment's and the Study's command handlers take a Clock parameter; Axon resolves it from here
                .registerComponent(Clock.class, c -> clock)
                .configureAggregate(Experiment.class)
                .configureAggregate(Study.class);
        configurer.eventProcessing(ep -> {
            ep.registerTokenStore(PROCESSOR, c -> new SqliteTokenStore(JdbcTokenStore.builder()
                    .connectionProvider(tx)
                    .serializer(serializer)
                    .contentType(String.class)
                    .claimTimeout(Duration.ofSeconds(5))));
            ep.registerPooledStreamingEventProcessor(PROCESSOR,
                    Configuration::eventStore,
                    (c, builder) -> builder
                            // SQLite has one writer: more segments would only queue for it
                            .initialSegmentCount(1)
                            .maxClaimedSegments(1)
                            .batchSize(2000)
                            .tokenClaimInterval(100)
                            .claimExtensionThreshold(2000));
            ep.assignHandlerInstancesMatching(PROCESSOR, handler -> true);
            for (ReadModel model : readModels) {
                ep.registerEventHandler(c -> model);
            }
            ep.registerEventHandler(c -> new PositionTracker());
        });
        return configurer;
    }

    private JdbcEventStorageEngine storageEngine(JacksonSerializer serializer, JdbcTransactions tx) {
        return SqliteStatements.apply(JdbcEventStorageEngine.builder())
                .connectionProvider(tx)
                .transactionManager(tx)
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .upcasterChain(new EventUpcasterChain(new MetricsRecordedUpcaster()))
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

    /** Waits until the read models include every event appended before this call. */
    public void awaitProjections(Duration timeout) {
        awaitProjections(timeout, position -> {
        });
    }

    public void awaitProjections(Duration timeout, LongConsumer progress) {
        long target = db.head();
        long deadline = System.nanoTime() + timeout.toNanos();
        long position;
        while ((position = db.projectionPosition()) < target) {
            progress.accept(position);
            if (System.nanoTime() > deadline) {
                throw new StoreException("projections are at event " + position + " of " + target + " after "
                        + timeout.toSeconds() + " s; is another autotune process holding them?");
            }
            sleep(20);
        }
    }

    /** Stops feeding the read models until {@link #rebuild} starts them again: for bulk loads and benchmarks. */
    public void pauseProjections() {
        processor().shutDown();
    }

    private PooledStreamingEventProcessor processor() {
        return config.eventProcessingConfiguration()
                .eventProcessor(PROCESSOR, PooledStreamingEventProcessor.class)
                .orElseThrow();
    }

    /** Empties every read model and lets the processor replay the whole log into them. */
    public void rebuild(Duration timeout, LongConsumer progress) {
        PooledStreamingEventProcessor processor = processor();
        processor.shutDown();
        db.inTransaction(c -> {
            for (ReadModel model : readModels) {
                model.reset(c);
            }
            try (PreparedStatement st = c.prepareStatement("DELETE FROM TokenEntry WHERE processorName = ?");
                 PreparedStatement pos = c.prepareStatement("DELETE FROM projection_position WHERE processor_name = ?")) {
                st.setString(1, PROCESSOR);
                st.executeUpdate();
                pos.setString(1, PROCESSOR);
                pos.executeUpdate();
            }
            return null;
        });
        processor.start();
        awaitProjections(timeout, progress);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the projections");
        }
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
