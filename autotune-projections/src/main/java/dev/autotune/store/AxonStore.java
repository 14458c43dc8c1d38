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

import dev.autotune.domain.ExperimentApi.ExperimentStarted;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
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
    /**
     * PostgreSQL: the metadata key of {@code ExperimentStarted} that carries the experiment's number, taken from
     * {@code experiment_number_seq} when the event is published (see {@code ExperimentNumbers}).
     */
    public static final String NUMBER = "autotune.experimentNumber";
    /** How long the write path leaves between two advances of the settled position (PostgreSQL). */
    private static final long ADVANCE_INTERVAL_NANOS = 200_000_000L;
    /** The advisory key of the advance of the settled position: one process advances it at a time. */
    private static final long ADVANCE_KEY = 0x6175746f61647631L;

    private final Database db;
    private final List<ReadModel> readModels;
    private final Configuration config;
    private final JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(Json.mapper()).build();
    private final JdbcEventStorageEngine engine;
    /** The same read models, invoked by the writing thread itself: see {@link #appendAndProject}. */
    private final SimpleEventHandlerInvoker inline;
    /** PostgreSQL: writers run at once and project their own events; see {@link #appendAndProject}. */
    private final boolean concurrent;
    /** The aggregates the current thread's write has published events of (PostgreSQL). */
    private final ThreadLocal<Set<String>> published = new ThreadLocal<>();
    /** The last observation of the log whose settling is awaited (PostgreSQL); guarded by {@code this}. */
    private Observation pending;
    private volatile long lastAdvance;

    private AxonStore(Database db, List<ReadModel> readModels, Clock clock) {
        this.db = db;
        this.readModels = List.copyOf(readModels);
        this.concurrent = db.transactions().concurrent();
        this.engine = storageEngine(serializer, db.transactions());
        List<Object> handlers = new ArrayList<>(this.readModels);
        if (!concurrent) {
            // PostgreSQL keeps a settled position and per-event marks instead, written explicitly
            handlers.add(new PositionTracker());
        }
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
                    if (concurrent) {
                        store.registerDispatchInterceptor(new Stamp());
                    }
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
        if (concurrent) {
            awaitSettled(deadline, timeout, progress);
            return;
        }
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
     * Appends and projects in one step: the read models are first brought up to the end of the log, then
     * {@code check} runs on them (the duplicate check; it may throw to refuse), then {@code append} sends its
     * command, and the events it appended are projected in the same transaction. When it returns, every read
     * model includes these events; when anything throws, nothing of the append is kept.
     *
     * <p>On SQLite this holds the write lock throughout (one writer at a time). On PostgreSQL writers run at once:
     * the check and its append are made one step by transaction-scoped advisory locks on {@code keys} (what the
     * check looks up: a report's hash, a run fingerprint, a profile name), taken before the check and held to the
     * commit, plus the whole-store key taken shared. Without keys the whole-store key is taken exclusively (a
     * correction, a profile deleted): such a write waits for every keyed write in flight and they for it.
     */
    public <T> T appendAndProject(Runnable check, Supplier<T> append) {
        return appendAndProject(null, check, append);
    }

    public <T> T appendAndProject(Collection<String> keys, Runnable check, Supplier<T> append) {
        if (concurrent) {
            return appendConcurrently(keys, check, append);
        }
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

    /**
     * The PostgreSQL write: no lock shared by all writers. Before it, events others appended without projecting
     * them (bulk loads, runs recorded event by event) are projected, so the check sees every committed event.
     * Inside one transaction: the key locks, the check, the append (Axon's unique (aggregate, sequence) refuses a
     * second writer of the same experiment), then the projection of the events of the aggregates it appended
     * to that no transaction has projected yet (its own, and any earlier committed one of the same aggregate),
     * each claimed first in {@code projected_event}, then the commit. The settled position is not touched: it
     * would be a row every writer updates.
     */
    private <T> T appendConcurrently(Collection<String> keys, Runnable check, Supplier<T> append) {
        JdbcTransactions tx = db.transactions();
        Transaction transaction;
        Observation o;
        while (true) {
            transaction = tx.startTransactionTakingIdFirst();
            try (Connection c = tx.getConnection()) {
                // the first statement, before this transaction has an id, on its own connection: one backend
                o = observe(c);
            } catch (SQLException | RuntimeException e) {
                transaction.rollback();
                throw e instanceof RuntimeException r ? r : new StoreException("database " + db.url() + ": "
                        + e.getMessage(), e);
            }
            if (!o.unprojected) {
                break;
            }
            // committed events nobody projected (a bulk load, a run's events): project them first, outside
            transaction.rollback();
            awaitProjections(Duration.ofMinutes(5));
        }
        Set<String> aggregates = new LinkedHashSet<>();
        published.set(aggregates);
        T result;
        try {
            lockKeys(keys);
            check.run();
            result = append.get();
            projectAggregates(aggregates);
            transaction.commit();
        } catch (RuntimeException e) {
            transaction.rollback();
            throw e;
        } finally {
            published.remove();
        }
        advanceNowAndThen(o);
        return result;
    }

    /**
     * After a PostgreSQL write, at most every {@value #ADVANCE_INTERVAL_NANOS} ns per process: advances the
     * settled position with the observation taken before the write (still valid: it only says what was final
     * then). Readers advance it anyway; a failure here does not undo the committed write.
     */
    private void advanceNowAndThen(Observation o) {
        long now = System.nanoTime();
        if (o.head > o.position && now - lastAdvance > ADVANCE_INTERVAL_NANOS) {
            lastAdvance = now;
            try {
                advance(o);
            } catch (RuntimeException e) {
                // the next reader settles it
            }
        }
    }

    private void lockKeys(Collection<String> keys) {
        Set<Long> sorted = new TreeSet<>();
        if (keys != null) {
            for (String key : keys) {
                if (key != null) {
                    sorted.add(keyOf(key));
                }
            }
        }
        // the transaction's first statement: it takes the transaction id too (see JdbcTransactions)
        StringBuilder sql = new StringBuilder(sorted.isEmpty() ? "SELECT txid_current(), pg_advisory_xact_lock(?)"
                : "SELECT txid_current(), pg_advisory_xact_lock_shared(?)");
        for (int i = 0; i < sorted.size(); i++) {
            // the select list is evaluated left to right: every writer takes its keys in ascending order
            sql.append(", pg_advisory_xact_lock(?)");
        }
        try (Connection c = db.transactions().getConnection(); PreparedStatement st = c.prepareStatement(sql.toString())) {
            int i = 1;
            st.setLong(i++, AdvisoryLock.KEY);
            for (long key : sorted) {
                st.setLong(i++, key);
            }
            st.execute();
        } catch (SQLException e) {
            throw new StoreException("cannot lock " + db.url() + " for writing: " + e.getMessage(), e);
        }
    }

    /** The advisory key of a duplicate-check key: the first 8 bytes of its SHA-256. */
    static long keyOf(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(("autotune:" + key).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Projects, in the current transaction, the events of {@code aggregates} above the settled position that
     * nobody has projected: this transaction's own (visible to it before its commit) and committed ones of the
     * same aggregates a plain append left behind (so an aggregate's events are projected in its order).
     */
    private void projectAggregates(Set<String> aggregates) {
        if (aggregates.isEmpty()) {
            return;
        }
        // find and claim in one statement (see claim): the claims are taken in log order
        List<Long> claimed = new ArrayList<>();
        try (Connection c = db.transactions().getConnection(); PreparedStatement st = c.prepareStatement(
                "INSERT INTO projected_event (global_index) SELECT e.globalIndex FROM DomainEventEntry e WHERE "
                        + "e.aggregateIdentifier = ANY (?) AND e.globalIndex > coalesce((SELECT position FROM "
                        + "projection_position WHERE processor_name = ?), 0) AND NOT EXISTS (SELECT 1 FROM projected_event p "
                        + "WHERE p.global_index = e.globalIndex) ORDER BY e.globalIndex ON CONFLICT DO NOTHING "
                        + "RETURNING global_index")) {
            st.setArray(1, c.createArrayOf("varchar", aggregates.toArray()));
            st.setString(2, PROCESSOR);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot project the appended events: " + e.getMessage(), e);
        }
        Collections.sort(claimed);
        projectClaimed(claimed);
    }

    /**
     * Marks {@code indices} as projected by this transaction and returns those it got, in log order. An index
     * another transaction has marked is left out; one marked by a transaction still running waits for it (and
     * is then left out, or got when that transaction rolled back). So no event is projected twice.
     */
    private static List<Long> claim(Connection c, List<Long> indices) throws SQLException {
        if (indices.isEmpty()) {
            return List.of();
        }
        List<Long> claimed = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("INSERT INTO projected_event (global_index) "
                + "SELECT unnest(?::bigint[]) ON CONFLICT DO NOTHING RETURNING global_index")) {
            st.setArray(1, c.createArrayOf("bigint", indices.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getLong(1));
                }
            }
        }
        Collections.sort(claimed);
        return claimed;
    }

    /** Projects exactly the events at {@code claimed} (ascending), in the current transaction. */
    private void projectClaimed(List<Long> claimed) {
        if (claimed.isEmpty()) {
            return;
        }
        Set<Long> wanted = new HashSet<>(claimed);
        long last = claimed.get(claimed.size() - 1);
        int handled = handleInOneUnit(claimed.get(0) - 1, claimed.size(),
                index -> index > last ? Next.STOP : wanted.contains(index) ? Next.HANDLE : Next.SKIP,
                String.valueOf(claimed.get(0)));
        if (handled != claimed.size()) {
            throw new StoreException("claimed " + claimed.size() + " events from " + claimed.get(0) + " to " + last
                    + " but could read only " + handled);
        }
    }

    /**
     * What a reader of the log sees at one instant (PostgreSQL): the settled position, the highest committed
     * index, whether a committed event above the position is not projected, and the snapshot's bounds of
     * running transaction ids.
     */
    private record Observation(long position, long head, boolean unprojected, long xmin, long xmax) {
    }

    private Observation observe() {
        // on a connection of its own, outside any transaction of this thread: its snapshot must not include us
        try (Connection c = db.dataSource().getConnection()) {
            return observe(c);
        } catch (SQLException e) {
            throw new StoreException("database " + db.url() + ": " + e.getMessage(), e);
        }
    }

    /** On {@code c}, whose transaction (if any) must not have an id yet. */
    private static Observation observe(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT w.p, coalesce((SELECT max(globalIndex) FROM DomainEventEntry), 0), EXISTS (SELECT 1 FROM "
                        + "DomainEventEntry e WHERE e.globalIndex > w.p AND NOT EXISTS (SELECT 1 FROM projected_event p "
                        + "WHERE p.global_index = e.globalIndex)), txid_snapshot_xmin(txid_current_snapshot()), "
                        + "txid_snapshot_xmax(txid_current_snapshot()) FROM (SELECT coalesce((SELECT position FROM "
                        + "projection_position WHERE processor_name = ?), 0) AS p) w")) {
            st.setString(1, PROCESSOR);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new Observation(rs.getLong(1), rs.getLong(2), rs.getBoolean(3), rs.getLong(4), rs.getLong(5));
            }
        }
    }

    /**
     * Gap detection on PostgreSQL. Events are numbered at INSERT and commit in any order, so an index missing
     * below the highest committed one may belong to a transaction still running (it will appear) or to one
     * that rolled back (it never will). Every write transaction takes its transaction id before it numbers an
     * event ({@link JdbcTransactions}), so when an observation saw the highest committed index H and snapshot
     * upper bound X, every index up to H belongs to a transaction with an id below X; once the oldest running
     * transaction is X or later, all of them have ended and everything up to H is final. Then the committed
     * events up to H that nobody projected are projected in log order, and the settled position moves to H.
     * An observation whose snapshot had no transaction running is settled at once. Returns whether the
     * position moved.
     */
    private synchronized boolean advance(Observation o) {
        boolean moved = false;
        if (pending != null && pending.head <= o.position) {
            pending = null; // another process settled it
        }
        if (o.xmin >= o.xmax && o.head > o.position) {
            pending = null;
            moved = settle(o.head);
        } else {
            if (pending != null && o.xmin >= pending.xmax) {
                long reached = settle(pending.head) ? db.projectionPosition() : o.position;
                moved = reached > o.position;
                if (reached >= pending.head) {
                    pending = null;
                }
            }
            if (pending == null && o.head > o.position) {
                pending = o;
            }
        }
        return moved;
    }

    /** Projects the unprojected events up to {@code upTo} (all settled) and moves the position; see {@link #advance}. */
    private boolean settle(long upTo) {
        return db.inTransaction(c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, ADVANCE_KEY);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return false; // another process is advancing it
                    }
                }
            }
            long position;
            try (PreparedStatement st = c.prepareStatement("SELECT coalesce((SELECT position FROM projection_position "
                    + "WHERE processor_name = ?), 0)")) {
                st.setString(1, PROCESSOR);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    position = rs.getLong(1);
                }
            }
            if (position >= upTo) {
                return false;
            }
            List<Long> candidates = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT e.globalIndex FROM DomainEventEntry e WHERE "
                    + "e.globalIndex > ? AND e.globalIndex <= ? AND NOT EXISTS (SELECT 1 FROM projected_event p WHERE "
                    + "p.global_index = e.globalIndex) ORDER BY e.globalIndex LIMIT " + INLINE_BATCH)) {
                st.setLong(1, position);
                st.setLong(2, upTo);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(rs.getLong(1));
                    }
                }
            }
            projectClaimed(claim(c, candidates));
            long reached = candidates.size() < INLINE_BATCH ? upTo : candidates.get(candidates.size() - 1);
            try (PreparedStatement st = c.prepareStatement("INSERT INTO projection_position (processor_name, position) "
                    + "VALUES (?, ?) ON CONFLICT (processor_name) DO UPDATE SET position = "
                    + "greatest(projection_position.position, excluded.position)")) {
                st.setString(1, PROCESSOR);
                st.setLong(2, reached);
                st.executeUpdate();
            }
            return true;
        });
    }

    /**
     * PostgreSQL: gives every {@code ExperimentStarted} its number as it is published (from a sequence, so no
     * writer waits for another), and notes which aggregates the current write published events of.
     */
    private final class Stamp implements MessageDispatchInterceptor<EventMessage<?>> {
        @Override
        public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
            return (i, message) -> {
                Set<String> aggregates = published.get();
                if (aggregates != null && message instanceof DomainEventMessage<?> d) {
                    aggregates.add(d.getAggregateIdentifier());
                }
                if (message.getPayload() instanceof ExperimentStarted && !message.getMetaData().containsKey(NUMBER)) {
                    return message.andMetaData(Map.of(NUMBER, nextNumber()));
                }
                return message;
            };
        }
    }

    private long nextNumber() {
        try (Connection c = db.transactions().getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT nextval('experiment_number_seq')"); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("cannot number the experiment: " + e.getMessage(), e);
        }
    }

    /**
     * PostgreSQL: advances the settled position (see {@link #advance}) until it includes every event committed
     * before this call, waiting for the transactions running at that moment to end.
     */
    private void awaitSettled(long deadline, Duration timeout, LongConsumer progress) {
        long target = db.head();
        while (true) {
            Observation o = observe();
            if (o.position >= target) {
                return;
            }
            progress.accept(o.position);
            if (!advance(o)) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreException("interrupted while the projections caught up", e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new StoreException("projections are at event " + db.projectionPosition() + " of " + target
                        + " after " + timeout.toSeconds() + " s (a transaction of another writer is still running)");
            }
        }
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
        return handleInOneUnit(position, limit, index -> Next.HANDLE, "after " + position);
    }

    /** What {@link #handleInOneUnit} does with the next event of the log. */
    private enum Next { HANDLE, SKIP, STOP }

    /**
     * Feeds the events after {@code after} through the read models' handlers in one unit of work, in the current
     * transaction, as {@code next} says for each event's index, until it says STOP, {@code limit} are handled or the
     * log ends; returns how many were handled. {@code what} names the events in an error.
     */
    private int handleInOneUnit(long after, int limit, java.util.function.LongFunction<Next> next, String what) {
        int handled = 0;
        try (Stream<? extends TrackedEventMessage<?>> events = engine.readEvents(
                GapAwareTrackingToken.newInstance(after, Collections.emptySet()), false)) {
            Iterator<? extends TrackedEventMessage<?>> it = events.iterator();
            DefaultUnitOfWork<?> uow = null;
            try {
                while (handled < limit && it.hasNext()) {
                    TrackedEventMessage<?> event = it.next();
                    Next step = next.apply(event.trackingToken().position().orElse(-1L));
                    if (step == Next.STOP) {
                        break;
                    }
                    if (step == Next.SKIP) {
                        continue;
                    }
                    if (uow == null) {
                        uow = DefaultUnitOfWork.startAndGet(event);
                    }
                    inline.handle(event, Segment.ROOT_SEGMENT);
                    handled++;
                }
                if (uow != null) {
                    uow.commit();
                }
            } catch (Exception e) {
                if (uow != null && uow.isActive()) {
                    uow.rollback(e);
                }
                throw e instanceof RuntimeException r ? r
                        : new StoreException("cannot project event " + what + ": " + e.getMessage(), e);
            }
        }
        return handled;
    }

    /**
     * Fills this empty store with the events of an export, all or nothing: every line is checked to be an autotune
     * event ({@link EventCheck}) and the whole log is projected into the read models in the same transaction, so a
     * line the checks miss but a read model refuses rolls the import back too, naming its line. Returns how many
     * events; when it returns, the read models include all of them.
     *
     * @throws EventTransfer.BadLine for a line that cannot be imported
     */
    public long importAndProject(java.io.BufferedReader in) {
        EventCheck check = new EventCheck(List.of(Experiment.class, Study.class, BudgetProfile.class));
        return new EventTransfer(db).importFrom(in, check, this::projectImported);
    }

    /** Projects the whole (just imported) log in the current transaction, naming the event a read model refuses. */
    private void projectImported(Connection c) throws EventTransfer.ProjectionFailed {
        long[] at = {0};
        java.util.function.LongFunction<Next> handle = index -> {
            at[0] = index;
            return Next.HANDLE;
        };
        long after = 0;
        while (true) {
            int handled;
            java.sql.Savepoint before = savepoint(c);
            try {
                handled = handleInOneUnit(after, INLINE_BATCH, handle, "after " + after);
            } catch (RuntimeException e) {
                // a read model may write a batch's rows at its end: find the event itself, one at a time
                rollbackTo(c, before);
                long one = after;
                try {
                    while (handleInOneUnit(one, 1, handle, "after " + one) > 0) {
                        one = at[0];
                    }
                } catch (RuntimeException single) {
                    throw new EventTransfer.ProjectionFailed(at[0], "cannot project event " + at[0], single);
                }
                throw new EventTransfer.ProjectionFailed(at[0], "cannot project event " + at[0], e);
            }
            if (handled == 0) {
                break;
            }
            after = at[0];
        }
        if (concurrent && after > 0) {
            // everything up to the last imported event is projected: the settled position says so
            try (PreparedStatement st = c.prepareStatement("INSERT INTO projection_position (processor_name, position) "
                    + "VALUES (?, ?) ON CONFLICT (processor_name) DO UPDATE SET position = excluded.position")) {
                st.setString(1, PROCESSOR);
                st.setLong(2, after);
                st.executeUpdate();
            } catch (SQLException e) {
                throw new StoreException("cannot record the projection position: " + e.getMessage(), e);
            }
        }
    }

    private java.sql.Savepoint savepoint(Connection c) {
        try {
            return c.setSavepoint();
        } catch (SQLException e) {
            throw new StoreException("database " + db.url() + ": " + e.getMessage(), e);
        }
    }

    private void rollbackTo(Connection c, java.sql.Savepoint savepoint) {
        try {
            c.rollback(savepoint);
        } catch (SQLException e) {
            throw new StoreException("database " + db.url() + ": " + e.getMessage(), e);
        }
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
            if (concurrent) {
                try (PreparedStatement marks = c.prepareStatement("DELETE FROM projected_event")) {
                    marks.executeUpdate();
                }
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
