package dev.autotune.api.cli;

import dev.autotune.store.testing.TestStores;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the shaded autotune jar as a real process, the way a user's shell would. */
final class AutotuneProcess {
    static final Path JAR = Path.of(System.getProperty("autotune.jar", "target/autotune.jar"));
    static final Path REPO = Path.of(System.getProperty("autotune.repo", "..")).toAbsolutePath().normalize();

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private AutotuneProcess() {
    }

    static Result run(Path cwd, String... args) {
        return run(cwd, Map.of(), args);
    }

    static Result run(Path cwd, Map<String, String> env, String... args) {
        try {
            // output goes to files: a full pipe would block the child before waitFor returns
            Path out = Files.createTempFile("autotune-out", ".txt");
            Path err = Files.createTempFile("autotune-err", ".txt");
            Process p = builder(cwd, env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("autotune " + String.join(" ", args) + " did not finish in 180 s");
            }
            Result result = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Process start(Path cwd, Map<String, String> env, String... args) throws IOException {
        return builder(cwd, env, args).start();
    }

    static ProcessBuilder builder(Path cwd, Map<String, String> env, String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new AssertionError("no runnable jar at " + JAR + "; run `mvn verify`");
        }
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Daxoniq.update-checker.disabled=true", "-jar", JAR.toString()));
        Map<String, String> environment = new java.util.HashMap<>(env);
        cmd.addAll(TestStores.onPostgres() ? onPostgres(cwd, List.of(args), environment) : List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().remove("AUTOTUNE_DB");
        pb.environment().putAll(environment);
        return pb;
    }

    /** Each SQLite file a test names, as the PostgreSQL database that stands in for it in the PostgreSQL pass. */
    private static final Map<Path, String> STAND_INS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The same command line on PostgreSQL: every database file it names (by {@code --db}, {@code AUTOTUNE_DB} or
     * the default {@code ./autotune.db}, {@code ./autotune-demo.db} for demo) becomes a database of its own on
     * the throwaway cluster, the same one each time the test names the same file.
     */
    private static List<String> onPostgres(Path cwd, List<String> args, Map<String, String> env) {
        List<String> out = new ArrayList<>(args);
        int db = out.indexOf("--db");
        if (db >= 0 && db + 1 < out.size()) {
            out.set(db + 1, standIn(cwd, out.get(db + 1)));
            return out;
        }
        if (!out.isEmpty() && out.get(0).equals("demo")) {
            out.addAll(List.of("--db", standIn(cwd, "autotune-demo.db")));
        } else if (!out.isEmpty() && !out.get(0).equals("bench") && !out.get(0).equals("derive")) {
            env.put("AUTOTUNE_DB", standIn(cwd, env.getOrDefault("AUTOTUNE_DB", "autotune.db")));
        }
        return out;
    }

    /**
     * What a command run in {@code cwd} with {@code --db file} opens: the file itself, or on PostgreSQL the database
     * that stands in for it, so a test can open the same store in-process.
     */
    static String database(Path cwd, String file) {
        return TestStores.onPostgres() ? standIn(cwd, file) : cwd.resolve(file).toString();
    }

    /** How messages name the store {@code --db file} opens: the file as given, or the stand-in's masked URL. */
    static String shown(Path cwd, String file) {
        return TestStores.onPostgres() ? dev.autotune.store.DatabaseUrl.masked(standIn(cwd, file)) : file;
    }

    private static String standIn(Path cwd, String db) {
        if (db.startsWith("postgres")) {
            return db;
        }
        Path file = cwd.resolve(db).toAbsolutePath().normalize();
        return STAND_INS.computeIfAbsent(file, f -> TestStores.location(f.getParent(), f.getFileName().toString()));
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Path example(String name) {
        return REPO.resolve("reports/examples").resolve(name);
    }
}
