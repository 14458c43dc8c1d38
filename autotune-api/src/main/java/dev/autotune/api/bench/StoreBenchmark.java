package dev.autotune.api.bench;

import dev.autotune.api.app.recording.Recording;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.ExperimentApi.IngestReport;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import dev.autotune.projections.Projections;
import dev.autotune.store.AxonStore;
import dev.autotune.api.app.common.UserError;
import dev.autotune.store.Database;
import dev.autotune.store.DatabaseUrl;
import dev.autotune.store.Json;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Measures the event store against the physical limit of the same SQLite file format: Axon's append and replay
 * next to plain sqlite-jdbc batched inserts and reads of the same rows, in the same run on the same disk.
 */
public final class StoreBenchmark {
    private static final int EVENTS_PER_EXPERIMENT = 4;
    private static final int BATCH = 250;
    private static final List<String> PROJECTION_TABLES = List.of("experiment_list", "experiment_detail",
            "experiment_report", "experiment_timeline", "experiment_list_metric", "experiment_list_page",
            "budget_experiment", "budget_metric", "tuning_point");

    public record Result(int events, double appendPerSec, double rawAppendPerSec, double replayPerSec,
                         double rawReplayPerSec) {
        public double appendRatio() {
            return appendPerSec / rawAppendPerSec;
        }

        public double replayRatio() {
            return replayPerSec / rawReplayPerSec;
        }
    }

    private final PrintStream out;

    public StoreBenchmark(PrintStream out) {
        this.out = out;
    }

    public Result run(int events, Path workDir) throws IOException, SQLException {
        return run(events, workDir, null);
    }

    /**
     * @param server an empty PostgreSQL database to measure instead of a SQLite file in {@code workDir}; the raw
     *               baseline then writes to tables in a schema of its own there ({@value #RAW_SCHEMA}), dropped after
     */
    public Result run(int events, Path workDir, DatabaseUrl server) throws IOException, SQLException {
        int experiments = Math.max(1, events / EVENTS_PER_EXPERIMENT);
        List<IngestReport> commands = synthetic(experiments, 42);
        Path axonFile = workDir.resolve("axon.db");
        DatabaseUrl target = server != null ? server : DatabaseUrl.sqlite(axonFile);
        double appendSecs;
        double replaySecs;
        Raw raw;
        try (Database db = Database.open(target)) {
            if (db.head() > 0) {
                throw new IllegalArgumentException(target + " already holds events: bench store needs an empty database");
            }
            raw = server != null ? new Raw(db.dataSource(), true) : new Raw(workDir.resolve("raw.db"));
            Projections views = Projections.of(db);
            try (AxonStore store = AxonStore.start(db, views.all())) {
                // append alone: the projections would otherwise compete for the one writer
                store.pauseProjections();
                long t0 = System.nanoTime();
                store.sendInBatches(commands, BATCH);
                appendSecs = seconds(t0);
                out.printf("append: %d events through the command bus in %.1f s%n", db.head(), appendSecs);
                long t1 = System.nanoTime();
                store.rebuild(Duration.ofHours(1), p -> {
                });
                replaySecs = seconds(t1);
                out.printf("replay: %d events into %d read models in %.1f s%n", db.head(), views.all().size(),
                        replaySecs);
            }
            int stored = experiments * EVENTS_PER_EXPERIMENT;
            try {
                double rawAppend = raw.append(commands);
                double rawReplay = server != null ? raw.replay(db.dataSource()) : raw.replay(axonFile);
                out.printf("raw %s: append %.1f s, read + write read models %.1f s%n",
                        server != null ? "PostgreSQL JDBC" : "sqlite-jdbc", rawAppend, rawReplay);
                return new Result(stored, stored / appendSecs, stored / rawAppend, stored / replaySecs, stored / rawReplay);
            } finally {
                raw.dropSchema();
            }
        }
    }

    private static final String RAW_SCHEMA = "autotune_bench_raw";

    /** A PostgreSQL database to measure, from {@code bench store --db}. */
    public record Server(DatabaseUrl url) {
    }

    public static Server server(String text) {
        DatabaseUrl url;
        try {
            url = DatabaseUrl.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError("db", e.getMessage());
        }
        if (!url.isPostgres()) {
            throw new UserError("db", "bench store --db takes a PostgreSQL URL; SQLite is measured in --dir");
        }
        return new Server(url);
    }

    /**
     * The PostgreSQL tables (when {@code server} is given) and the concurrent-writers table for both stores, as
     * Markdown on {@code out}.
     */
    public void team(Server server, int events, Path work, List<Integer> writers, int perWriter)
            throws IOException, SQLException, InterruptedException {
        if (server != null) {
            out.printf("%nbench store on %s: %d events%n", server.url(), events);
            var pg = run(events, work, server.url());
            out.println();
            out.printf("| measure (PostgreSQL) | autotune (Axon) | raw PostgreSQL JDBC | ratio |%n|---|---|---|---|%n");
            out.printf("| append, events/s | %.0f | %.0f | %.0f%% |%n", pg.appendPerSec(), pg.rawAppendPerSec(),
                    100 * pg.appendRatio());
            out.printf("| replay into read models, events/s | %.0f | %.0f | %.0f%% |%n", pg.replayPerSec(),
                    pg.rawReplayPerSec(), 100 * pg.replayRatio());
        }
        out.printf("%nconcurrent writers, %d experiments (%d events) each, recorded one by one as ingest does "
                + "(check, append, project):%n", perWriter, EVENTS_PER_EXPERIMENT * perWriter);
        out.printf("| writers | SQLite events/s |%s%n|---|---|%s%n", server != null ? " PostgreSQL events/s |" : "",
                server != null ? "---|" : "");
        int round = 0;
        for (int n : writers) {
            round++;
            double lite = concurrentAppend(DatabaseUrl.sqlite(work.resolve("writers-" + n + ".db")), n, perWriter, round);
            String pgRate = "";
            if (server != null) {
                // each round appends after the last one's events: the same log keeps growing, as a team's does
                pgRate = String.format(" %.0f |", concurrentAppend(server.url(), n, perWriter, 1000 + round));
            }
            out.printf("| %d | %.0f |%s%n", n, lite, pgRate);
        }
    }

    /**
     * Append throughput with {@code writers} writers at once, each recording {@code perWriter} experiments one by
     * one the way {@code ingest} does (check, append, project, in one exclusive section). On PostgreSQL each writer
     * opens the database on its own, as processes on different machines would; on SQLite they share one, because a
     * JVM may hold the lock file only once (processes queue on it the same way).
     */
    public static double concurrentAppend(DatabaseUrl url, int writers, int perWriter, long seed) throws InterruptedException {
        List<Database> dbs = new ArrayList<>();
        List<AxonStore> stores = new ArrayList<>();
        try {
            for (int w = 0; w < (url.isPostgres() ? writers : 1); w++) {
                Database db = Database.open(url);
                dbs.add(db);
                stores.add(AxonStore.start(db, Projections.of(db).all()));
            }
            List<List<IngestReport>> work = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                work.add(synthetic(perWriter, seed * 100 + w));
            }
            java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int w = 0; w < writers; w++) {
                AxonStore store = stores.get(url.isPostgres() ? w : 0);
                List<IngestReport> mine = work.get(w);
                Thread t = new Thread(() -> {
                    try {
                        for (IngestReport cmd : mine) {
                            // the key ingest's duplicate check locks on PostgreSQL (Recording.duplicateKeys)
                            store.appendAndProject(List.of("report:" + cmd.report().sha256()), () -> {
                            }, () -> store.commands().sendAndWait(cmd));
                        }
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            double secs = seconds(t0);
            if (failure.get() != null) {
                throw failure.get();
            }
            return writers * perWriter * EVENTS_PER_EXPERIMENT / secs;
        } finally {
            stores.forEach(AxonStore::close);
            dbs.forEach(Database::close);
        }
    }

    /** Deterministic experiments: a few scenarios, a batch-size sweep, plausible latency and throughput. */
    public static List<IngestReport> synthetic(int experiments, long seed) {
        Random random = new Random(seed);
        int[] batches = {1, 2, 4, 8, 16, 32, 64};
        List<IngestReport> out = new ArrayList<>(experiments);
        for (int i = 0; i < experiments; i++) {
            String id = UUID.nameUUIDFromBytes(("bench-" + seed + "-" + i).getBytes()).toString();
            int batch = batches[random.nextInt(batches.length)];
            double latency = 60 + 25 * batch * (0.9 + 0.2 * random.nextDouble());
            double throughput = 120 * Math.sqrt(batch) * (0.9 + 0.2 * random.nextDouble());
            Map<String, Object> knobs = new TreeMap<>(Map.of("serving.batch_size", (long) batch,
                    "serving.gpu_memory_utilization", 0.9, "model.name", "meta-llama/Llama-3.1-8B-Instruct"));
            Map<String, Double> metrics = new TreeMap<>(Map.of("latency_ms", latency, "latency_p95_ms", latency * 1.3,
                    "ttft_ms", latency * 0.2, "ttft_p95_ms", latency * 0.3, "throughput_tokens_per_sec", throughput,
                    "request_throughput", throughput / 13, "failure_rate", 0.0, "runtime_sec", 60.0));
            StartExperiment start = new StartExperiment(id, "bench-" + (i % 4), "vllm", knobs, null, null, null,
                    Map.of("bench", "store"), ExperimentApi.Source.INGEST, null, null);
            out.add(new IngestReport(id, start, new ExperimentApi.Report("bench/report-" + i + ".json",
                    "sha-" + seed + "-" + i, "generic-json", List.of(), metrics)));
        }
        return out;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * The same rows written and read with nothing but the JDBC driver: the physical limit. On SQLite a file of its
     * own; on PostgreSQL a schema of its own in the same database, on the same server.
     */
    private static final class Raw {
        private final Path file;
        private final javax.sql.DataSource server;

        Raw(Path file) {
            this.file = file;
            this.server = null;
        }

        Raw(javax.sql.DataSource server, boolean fresh) throws SQLException {
            this.file = null;
            this.server = server;
            try (Connection c = server.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + RAW_SCHEMA + " CASCADE");
                st.execute("CREATE SCHEMA " + RAW_SCHEMA);
            }
        }

        void dropSchema() throws SQLException {
            if (server != null) {
                try (Connection c = server.getConnection(); Statement st = c.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + RAW_SCHEMA + " CASCADE");
                }
            }
        }

        private String table(String name) {
            return server != null ? RAW_SCHEMA + "." + name : name;
        }

        private Connection connect() throws SQLException {
            if (server != null) {
                Connection c = server.getConnection();
                c.setAutoCommit(true);
                return c;
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setCacheSize(-65536);
            return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        }

        /** Serializes the same four events per experiment and inserts them in batches, one transaction each. */
        double append(List<IngestReport> commands) throws SQLException {
            try (Connection c = connect()) {
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("CREATE TABLE " + table("raw_event") + " (global_index "
                            + (server != null ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT") + ", "
                            + "aggregate_id TEXT NOT NULL, seq BIGINT NOT NULL, event_id TEXT NOT NULL UNIQUE, "
                            + "payload TEXT NOT NULL, payload_type TEXT NOT NULL, at TEXT NOT NULL, "
                            + "UNIQUE (aggregate_id, seq))");
                }
                c.setAutoCommit(false);
                long t0 = System.nanoTime();
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table("raw_event") + " (aggregate_id, seq, event_id, "
                        + "payload, payload_type, at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    int n = 0;
                    for (IngestReport cmd : commands) {
                        Instant at = Instant.now();
                        List<Object> events = events(cmd, at);
                        for (int seq = 0; seq < events.size(); seq++) {
                            insert.setString(1, cmd.experimentId());
                            insert.setLong(2, seq);
                            insert.setString(3, UUID.randomUUID().toString());
                            insert.setString(4, Json.write(events.get(seq)));
                            insert.setString(5, events.get(seq).getClass().getName());
                            insert.setString(6, at.toString());
                            insert.addBatch();
                        }
                        if (++n % BATCH == 0) {
                            insert.executeBatch();
                            c.commit();
                        }
                    }
                    insert.executeBatch();
                    c.commit();
                }
                return seconds(t0);
            }
        }

        /** Reads and deserializes every event, then writes the read models' final rows in batches. */
        double replay(Path axonFile) throws SQLException {
            Map<String, List<Object[]>> readModels = new TreeMap<>();
            try (Connection source = DriverManager.getConnection("jdbc:sqlite:" + axonFile)) {
                for (String table : PROJECTION_TABLES) {
                    readModels.put(table, rows(source, table));
                }
                // the same tables with the same keys and indexes: writing them is the work being compared
                List<String> ddl = new ArrayList<>();
                try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN ('"
                                + String.join("', '", PROJECTION_TABLES) + "') ORDER BY type DESC")) {
                    while (rs.next()) {
                        ddl.add(rs.getString(1));
                    }
                }
                try (Connection c = connect(); Statement st = c.createStatement()) {
                    for (String sql : ddl) {
                        st.executeUpdate(sql);
                    }
                }
            }
            return replayInto(readModels);
        }

        /** On PostgreSQL: the read-model tables copied with their keys and indexes into the raw schema. */
        double replay(javax.sql.DataSource source) throws SQLException {
            Map<String, List<Object[]>> readModels = new TreeMap<>();
            try (Connection c = source.getConnection(); Statement st = c.createStatement()) {
                for (String t : PROJECTION_TABLES) {
                    readModels.put(t, rows(c, t));
                    st.execute("CREATE TABLE " + table(t) + " (LIKE public." + t + " INCLUDING ALL)");
                }
            }
            return replayInto(readModels);
        }

        private double replayInto(Map<String, List<Object[]>> readModels) throws SQLException {
            try (Connection c = connect()) {
                c.setAutoCommit(false);
                long t0 = System.nanoTime();
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT payload, payload_type FROM " + table("raw_event") + " ORDER BY global_index")) {
                    while (rs.next()) {
                        Json.mapper().readValue(rs.getString(1), Class.forName(rs.getString(2)));
                    }
                } catch (IOException | ClassNotFoundException e) {
                    throw new SQLException("cannot read back a raw event: " + e.getMessage(), e);
                }
                for (var entry : readModels.entrySet()) {
                    List<Object[]> rows = entry.getValue();
                    if (rows.isEmpty()) {
                        continue;
                    }
                    String marks = String.join(", ", java.util.Collections.nCopies(rows.get(0).length, "?"));
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table(entry.getKey()) + " VALUES (" + marks + ")")) {
                        int n = 0;
                        for (Object[] row : rows) {
                            for (int i = 0; i < row.length; i++) {
                                insert.setObject(i + 1, row[i]);
                            }
                            insert.addBatch();
                            if (++n % 1000 == 0) {
                                insert.executeBatch();
                                c.commit();
                            }
                        }
                        insert.executeBatch();
                        c.commit();
                    }
                }
                return seconds(t0);
            }
        }

        private static List<Object[]> rows(Connection c, String table) throws SQLException {
            List<Object[]> out = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Object[] row = new Object[md.getColumnCount()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    out.add(row);
                }
            }
            return out;
        }

        private static List<Object> events(IngestReport cmd, Instant at) {
            StartExperiment s = cmd.start();
            var r = cmd.report();
            return List.of(
                    new ExperimentApi.ExperimentStarted(s.experimentId(), s.scenario(), s.backend(), s.config(),
                            s.configPath(), s.configSha256(), s.notes(), s.metadata(), s.source(), s.runId(), s.runner(), at),
                    new ExperimentApi.ReportParsed(s.experimentId(), r.path(), r.sha256(), r.format(), r.warnings(), at),
                    new ExperimentApi.MetricsRecorded(s.experimentId(), r.metrics(), r.sha256(), at),
                    new ExperimentApi.ExperimentCompleted(s.experimentId(), at));
        }
    }

    /** Creates a database with {@code experiments} completed experiments and current read models. */
    public static void populate(Path file, int experiments) {
        try (Database db = Database.open(file)) {
            try (AxonStore store = AxonStore.start(db, Projections.of(db).all())) {
                store.sendInBatches(synthetic(experiments, 7), BATCH);
                store.awaitProjections(Duration.ofHours(1));
            }
        }
    }
}
