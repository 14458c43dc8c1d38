package dev.autotune.api.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autotune.store.testing.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.autotune.api.cli.AutotuneProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

/** The team store: the real jar against a real PostgreSQL server, several processes at once. */
class PostgresStoreIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void eightProcessesIngestingFiftyReportsEachAtOnceLoseAndDuplicateNothing() throws Exception {
        PostgresCluster pg = PostgresCluster.get();
        String database = pg.freshDatabase("concurrent");
        String url = pg.urlWithoutPassword(database);
        Map<String, String> env = Map.of("PGPASSWORD", PostgresCluster.PASSWORD);
        String template = Files.readString(AutotuneProcess.example("batch-1-vllm-bench.json"));
        int processes = 8;
        int each = 50;
        for (int p = 0; p < processes; p++) {
            Path reports = Files.createDirectories(dir.resolve("writer-" + p));
            for (int i = 0; i < each; i++) {
                // a different output throughput and token total per report: 400 distinct reports and runs, none a
                // duplicate of another (the token total is part of a vLLM run's fingerprint)
                double throughput = 1000 + p * each + i;
                Files.writeString(reports.resolve("r" + i + ".json"),
                        template.replace("\"output_throughput\": 120.0", "\"output_throughput\": " + throughput)
                                .replace("\"total_output_tokens\": 2160", "\"total_output_tokens\": " + (2160 + i)));
            }
        }
        List<Process> running = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            Path log = dir.resolve("writer-" + p + ".log");
            logs.add(log);
            running.add(AutotuneProcess.builder(dir, env, "ingest", dir.resolve("writer-" + p).toString(),
                            "--scenario", "team", "--set", "writer=" + p, "--db", url)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        for (int p = 0; p < processes; p++) {
            assertThat(running.get(p).waitFor(600, TimeUnit.SECONDS)).isTrue();
            assertThat(running.get(p).exitValue()).as(Files.readString(logs.get(p))).isZero();
        }

        var list = run(dir, env, "list", "--json", "--db", url);
        assertThat(list.exit()).as(list.toString()).isZero();
        JsonNode rows = JSON.readTree(list.out());
        assertThat(rows).hasSize(processes * each);
        Set<Integer> numbers = new HashSet<>();
        Set<Double> throughputs = new HashSet<>();
        for (JsonNode row : rows) {
            numbers.add(row.get("id").asInt());
            throughputs.add(row.get("metrics").get("throughput_tokens_per_sec").asDouble());
        }
        assertThat(numbers).hasSize(processes * each).allSatisfy(n -> assertThat(n).isBetween(1, processes * each));
        assertThat(throughputs).hasSize(processes * each);
        try (Connection c = pg.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT eventIdentifier) FROM DomainEventEntry")) {
            rs.next();
            // started, report parsed, metrics recorded, completed: four events per ingest, none twice
            assertThat(rs.getLong(1)).isEqualTo(4L * processes * each);
            assertThat(rs.getLong(2)).isEqualTo(rs.getLong(1));
        }

        var rebuild = run(dir, env, "rebuild", "--db", url);
        assertThat(rebuild.exit()).as(rebuild.toString()).isZero();
        var after = run(dir, env, "list", "--json", "--db", url);
        assertThat(after.out()).isEqualTo(list.out());
    }

    @Test
    void aWrongPasswordOrAnUnreachableServerIsOneLineExitTwoAndNoPasswordEverShows() throws Exception {
        PostgresCluster pg = PostgresCluster.get();
        String database = pg.freshDatabase("auth");
        String wrong = "postgresql://" + PostgresCluster.USER + ":not-the-Pw-42@127.0.0.1:" + pg.port() + "/" + database;
        var r = run(dir, "list", "--db", wrong);
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("password authentication failed").contains("postgresql://autotune:***@")
                .doesNotContain("not-the-Pw-42");
        assertThat(r.out()).isEmpty();

        int closed;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        var unreachable = run(dir, Map.of("AUTOTUNE_DB", "postgresql://someone:top-secret-9@127.0.0.1:" + closed + "/x"), "list");
        assertThat(unreachable.exit()).as(unreachable.toString()).isEqualTo(2);
        assertThat(unreachable.err().lines()).hasSize(1);
        assertThat(unreachable.err()).contains("127.0.0.1:" + closed).doesNotContain("top-secret-9");

        // a good password in the URL never shows either: not in output, errors, or the server's answers
        String good = pg.url(database);
        var ingest = run(dir, "ingest", AutotuneProcess.example("batch-4-aiperf.json").toString(), "--db", good);
        var missing = run(dir, "show", "99", "--db", good);
        assertThat(ingest.exit()).as(ingest.toString()).isZero();
        assertThat(missing.exit()).isNotZero();
        for (var res : List.of(ingest, missing)) {
            assertThat(res.out() + res.err()).doesNotContain(PostgresCluster.PASSWORD);
        }
        assertThat(missing.err()).contains("postgresql://autotune:***@");

        Process serve = AutotuneProcess.builder(dir, Map.of(), "serve", "--port", "0", "--db", good)
                .redirectErrorStream(true).start();
        try {
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(serve.getInputStream()));
            String line = reader.readLine();
            assertThat(line).contains("serving postgresql://autotune:***@").doesNotContain(PostgresCluster.PASSWORD);
            String base = line.replaceAll(".* at (http://\\S+/).*", "$1");
            var http = java.net.http.HttpClient.newHttpClient();
            String health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            // no token needed for either: they name neither the URL nor its user (issue 23)
            assertThat(health).contains("\"db\":\"postgresql\"").doesNotContain("postgresql://")
                    .doesNotContain(PostgresCluster.PASSWORD);
            String notFound = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "api/experiments/99")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(notFound).contains("in the database").doesNotContain("postgresql://")
                    .doesNotContain(PostgresCluster.PASSWORD);
        } finally {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theLogMovesFromSqliteToPostgresAndBackLosslessly() throws Exception {
        PostgresCluster pg = PostgresCluster.get();
        String team = pg.url(pg.freshDatabase("team"));
        var demo = run(dir, "demo", "--db", "local.db");
        assertThat(demo.exit()).as(demo.toString()).isZero();
        Path space = AutotuneProcess.REPO.resolve("configs/examples/batch-size-space.toml");
        assertThat(run(dir, "study", "create", space.toString(), "--db", "local.db").exit()).isZero();
        var ask = run(dir, "ask", "1", "--db", "local.db");
        assertThat(ask.exit()).as(ask.toString()).isZero();

        var out = run(dir, "events", "export", "--out", "local.jsonl", "--db", "local.db");
        assertThat(out.exit()).as(out.toString()).isZero();
        var in = run(dir, "events", "import", "local.jsonl", "--db", team);
        assertThat(in.exit()).as(in.toString()).isZero();
        assertThat(in.out()).contains("imported").doesNotContain(PostgresCluster.PASSWORD);
        var back = run(dir, "events", "export", "--out", "team.jsonl", "--db", team);
        assertThat(back.exit()).as(back.toString()).isZero();
        assertThat(Files.readString(dir.resolve("team.jsonl"))).isEqualTo(Files.readString(dir.resolve("local.jsonl")));
        assertThat(run(dir, "events", "import", "team.jsonl", "--db", "again.db").exit()).isZero();

        String local = views("local.db");
        assertThat(local).contains("\"id\" : 3").contains("batch_size");
        assertThat(views(team)).isEqualTo(local);
        assertThat(views("again.db")).isEqualTo(local);
        // the team store carries on where the log left off
        var more = run(dir, "ingest", AutotuneProcess.example("batch-4-aiperf.json").toString(), "--scenario", "x",
                "--db", team);
        assertThat(more.exit()).as(more.toString()).isZero();
        assertThat(more.out()).contains("recorded experiment 4");

        // into a store that holds events: refused, one line, nothing changes
        var twice = run(dir, "events", "import", "local.jsonl", "--db", team);
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.err().lines()).hasSize(1);
        assertThat(twice.err()).contains("already holds").doesNotContain(PostgresCluster.PASSWORD);
        // a file that is not an export: one line naming the file and the line, and nothing imported
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("local.jsonl")));
        lines.set(5, "{\"globalIndex\": \"six\"}");
        Files.write(dir.resolve("broken.jsonl"), lines);
        var broken = run(dir, "events", "import", "broken.jsonl", "--db", "broken.db");
        assertThat(broken.exit()).isEqualTo(2);
        // the one refusal, after the line saying the (empty) SQLite file was created
        assertThat(broken.err().lines().filter(l -> !l.startsWith("autotune: created new database"))).hasSize(1);
        assertThat(broken.err()).contains("broken.jsonl: line 6");
        assertThat(run(dir, "events", "export", "--db", "broken.db").out()).isEmpty();
    }

    /** Everything the read models answer, as JSON: the list, each experiment, the studies. */
    private String views(String db) {
        StringBuilder all = new StringBuilder(run(dir, "list", "--json", "--db", db).out());
        for (int id = 1; id <= 3; id++) {
            all.append(run(dir, "show", String.valueOf(id), "--json", "--db", db).out());
        }
        all.append(run(dir, "study", "list", "--json", "--db", db).out());
        all.append(run(dir, "study", "show", "1", "--json", "--db", db).out());
        return all.toString();
    }
}
