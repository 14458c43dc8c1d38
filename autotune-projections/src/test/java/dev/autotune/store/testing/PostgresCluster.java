package dev.autotune.store.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests: {@code initdb} and {@code pg_ctl} in a temporary directory, on a free
 * loopback port, with password (SCRAM) authentication, started once per test JVM and stopped when it exits.
 * Run as root (a CI container), the server runs as {@code nobody}, because PostgreSQL refuses to run as root.
 * Each test gets a database of its own ({@link #freshDatabase}). Without PostgreSQL installed the tests that need
 * it are skipped with the reason, except with {@code CI=true}, where they fail: CI must test both stores.
 */
public final class PostgresCluster {
    public static final String USER = "autotune";
    /** A throwaway cluster's password, only ever on loopback; tests also check it never shows. */
    public static final String PASSWORD = "s3cret-Pw-for-tests";

    private static PostgresCluster shared;
    private static String unavailable;

    private final Path dir;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresCluster(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** The shared cluster, started on first use; skips (or, with CI=true, fails) the test without PostgreSQL. */
    public static synchronized PostgresCluster get() {
        if (shared == null && unavailable == null) {
            try {
                shared = start();
            } catch (IOException | RuntimeException e) {
                unavailable = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unavailable = "interrupted while starting PostgreSQL";
            }
        }
        if (shared == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true but PostgreSQL cannot be started: " + unavailable);
            }
            Assumptions.abort("PostgreSQL is not available: " + unavailable);
        }
        return shared;
    }

    public int port() {
        return port;
    }

    /** A new, empty database on the cluster. */
    public String freshDatabase(String hint) {
        String name = (hint.replaceAll("[^A-Za-z0-9]", "_") + "_" + databases.incrementAndGet()).toLowerCase();
        if (name.length() > 60) {
            name = name.substring(name.length() - 60);
        }
        name = "t_" + name;
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return name;
    }

    /** The URL of a database with the password in it. */
    public String url(String database) {
        return "postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + database;
    }

    /** The URL of a database without a password (give it by PGPASSWORD or ~/.pgpass). */
    public String urlWithoutPassword(String database) {
        return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
    }

    /** A superuser connection to a database of the cluster, for tests that look under the hood. */
    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", PASSWORD);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
    }

    private Connection admin() throws SQLException {
        return connect("postgres");
    }

    private static PostgresCluster start() throws IOException, InterruptedException {
        Path bin = binDirectory();
        if (bin == null) {
            throw new IllegalStateException("no initdb on PATH or in /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql)");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("autotune-pg-");
        if (root) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Path pwfile = dir.resolve("pw");
        Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
        if (root) {
            Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Path data = dir.resolve("data");
        run(root, dir, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
                "--auth=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--no-sync", "--no-instructions"));
        Files.delete(pwfile);
        int port = freePort();
        // loopback TCP only (no socket file to collide with a system server); durability is not what tests check
        run(root, dir, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
                "-w", "-t", "60", "-o", "-c listen_addresses=127.0.0.1 -p " + port
                        + " -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                        + " -c max_connections=200", "start"));
        PostgresCluster cluster = new PostgresCluster(dir, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> cluster.stop(bin, root)));
        return cluster;
    }

    private void stop(Path bin, boolean root) {
        try {
            run(root, dir, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m",
                    "immediate", "-w", "stop"));
        } catch (IOException | RuntimeException e) {
            // the directory goes anyway; a server left behind dies with its container
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory; nothing else refers to it
        }
    }

    private static void run(boolean root, Path dir, List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        full.addAll(command);
        Path log = Files.createTempFile(dir, "cmd", ".log");
        if (root) {
            Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not finish in 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " failed (" + p.exitValue() + "): "
                    + Files.readString(log).strip());
        }
    }

    /** Debian keeps the server binaries off PATH, in /usr/lib/postgresql/VERSION/bin; the newest wins. */
    static Path binDirectory() throws IOException {
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p, "initdb")) && Files.isExecutable(Path.of(p, "pg_ctl"))) {
                return Path.of(p);
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent().getFileName().toString())))
                    .orElse(null);
        }
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
