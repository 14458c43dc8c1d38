package dev.autotune.store;

import org.postgresql.jdbcurlresolver.PgPassParser;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Which database autotune works on: a SQLite file (a path, or {@code sqlite:PATH}) or a PostgreSQL server
 * ({@code postgresql://user@host:port/db}, also {@code postgres://}). The password is never part of what this
 * prints: {@link #toString()} masks it, so a URL can go into any message, log line or response as it is.
 * The password comes from the URL, else {@code PGPASSWORD}, else the password file libpq reads
 * ({@code PGPASSFILE} or {@code ~/.pgpass}), parsed by the PostgreSQL driver's own reader; there is no flag
 * for it, because flags show in {@code ps}.
 */
public final class DatabaseUrl {
    private static final int DEFAULT_PORT = 5432;
    private static final String MASK = "***";

    private final Path file;
    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final String query;

    private DatabaseUrl(Path file, String host, int port, String database, String user, String password, String query) {
        this.file = file;
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.query = query;
    }

    public static DatabaseUrl sqlite(Path file) {
        return new DatabaseUrl(Objects.requireNonNull(file), null, 0, null, null, null, null);
    }

    /** Parses what {@code --db} or {@code AUTOTUNE_DB} says, with the process's own environment. */
    public static DatabaseUrl parse(String text) {
        return parse(text, System.getenv());
    }

    /**
     * @param env where {@code PGPASSWORD} and {@code USER} come from (the password file is found by the driver,
     *            from {@code PGPASSFILE} or the user's home)
     * @throws IllegalArgumentException naming what is wrong, without the password
     */
    public static DatabaseUrl parse(String text, Map<String, String> env) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the database is empty: give a file path or postgresql://user@host:port/db");
        }
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
            return postgres(text, env);
        }
        String path = lower.startsWith("sqlite:") ? text.substring("sqlite:".length()) : text;
        if (path.startsWith("//")) {
            path = path.substring(2);
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*") && !lower.startsWith("sqlite:")) {
            throw new IllegalArgumentException("unsupported database URL scheme in '" + masked(text)
                    + "': use a file path, sqlite:PATH or postgresql://user@host:port/db");
        }
        try {
            return sqlite(Path.of(path));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a usable database path: " + e.getMessage());
        }
    }

    private static DatabaseUrl postgres(String text, Map<String, String> env) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid PostgreSQL URL: " + masked(text));
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the PostgreSQL URL names no host: " + masked(text));
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        if (user == null || user.isEmpty()) {
            user = env.getOrDefault("PGUSER", env.getOrDefault("USER", System.getProperty("user.name")));
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path);
        if (database.isEmpty()) {
            database = user;
        }
        if (database.contains("/")) {
            throw new IllegalArgumentException("the PostgreSQL URL names more than a database: " + masked(text));
        }
        String query = uri.getRawQuery();
        checkParameters(query, text);
        if (password == null || password.isEmpty()) {
            password = env.get("PGPASSWORD");
        }
        if (password == null || password.isEmpty()) {
            password = PgPassParser.getPassword(host, String.valueOf(port), database, user);
        }
        return new DatabaseUrl(null, host, port, database, user, password, query);
    }

    /**
     * The driver parameters a URL may carry: connection, TLS and timeout settings. Anything else is refused by name,
     * above all the ones that make the driver load a class or write a file of the URL's choosing
     * ({@code socketFactory}, {@code sslfactory}, {@code authenticationPluginClassName}, {@code loggerFile}): a URL
     * comes from a flag or the environment, and must not be a way to run code.
     */
    static final java.util.Set<String> PARAMETERS = java.util.Set.of("ssl", "sslmode", "sslrootcert", "sslcert",
            "sslkey", "sslpassword", "sslnegotiation", "channelBinding", "gssEncMode", "connectTimeout",
            "socketTimeout", "loginTimeout", "cancelSignalTimeout", "tcpKeepAlive", "tcpNoDelay", "ApplicationName",
            "applicationName", "currentSchema", "options", "targetServerType", "readOnly", "prepareThreshold",
            "reWriteBatchedInserts", "assumeMinServerVersion", "hostRecheckSeconds", "loadBalanceHosts");

    private static void checkParameters(String query, String text) {
        if (query == null || query.isEmpty()) {
            return;
        }
        for (String pair : query.split("&")) {
            String name = decode(pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair);
            if (name.equalsIgnoreCase("password")) {
                // it would be passed on to the driver, and printed with the URL
                throw new IllegalArgumentException("give the password as postgresql://user:PASSWORD@host/db, in "
                        + "PGPASSWORD or in ~/.pgpass, not as a URL parameter: " + masked(text));
            }
            if (name.equalsIgnoreCase("user")) {
                // the driver would take it over the user the URL names, silently
                throw new IllegalArgumentException("give the user as postgresql://USER@host/db, not as a URL "
                        + "parameter: " + masked(text));
            }
            if (!PARAMETERS.contains(name)) {
                throw new IllegalArgumentException("the PostgreSQL URL parameter '" + masked(name) + "' is not one "
                        + "autotune passes on (it takes " + String.join(", ", new java.util.TreeSet<>(PARAMETERS))
                        + "): " + masked(text));
            }
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * Masks a password in anything that looks like a URL with user info, for text that could not even be parsed:
     * {@code scheme://user:secret@host} becomes {@code scheme://user:***@host}.
     */
    public static String masked(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher m = USER_COLON.matcher(text);
        int from = 0;
        while (m.find(from)) {
            // everything from the user's colon to the last '@' after it: a password may hold spaces, '@' and '/'
            int at = text.lastIndexOf('@');
            if (at < m.end()) {
                break;
            }
            out.append(text, from, m.end()).append(MASK);
            from = at;
        }
        out.append(text.substring(from));
        return SECRET_PARAMETER.matcher(out).replaceAll("$1" + MASK);
    }

    /** {@code scheme://user:} at the start of a URL's user info. */
    private static final java.util.regex.Pattern USER_COLON =
            java.util.regex.Pattern.compile("(?i)[a-z][a-z0-9+.-]*://[^:/@\\s]*:");
    /** A parameter whose value is a secret: sslpassword=, password=, anything=token... */
    private static final java.util.regex.Pattern SECRET_PARAMETER =
            java.util.regex.Pattern.compile("(?i)((?:^|[?&\\s])[^=&?\\s]*(?:password|passwd|secret|token)[^=&?\\s]*=)[^&\\s]*");

    public boolean isPostgres() {
        return file == null;
    }

    /** The SQLite file; null for PostgreSQL. */
    public Path file() {
        return file;
    }

    /**
     * Where files that belong beside the database go (uploads): the SQLite file's directory, or for a server the
     * working directory of the process.
     */
    public Path localDirectory() {
        if (file != null) {
            Path parent = file.toAbsolutePath().normalize().getParent();
            return parent != null ? parent : Path.of("").toAbsolutePath();
        }
        return Path.of("").toAbsolutePath();
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String database() {
        return database;
    }

    String user() {
        return user;
    }

    /** Only for the driver: never print it. */
    String password() {
        return password;
    }

    /** The JDBC URL, without user or password (those go to the driver as properties). */
    String jdbcUrl() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8)
                + (query == null ? "" : "?" + query);
    }

    /** The database as a user may see it: the file path, or the URL with the password masked. */
    @Override
    public String toString() {
        if (file != null) {
            return file.toString();
        }
        return "postgresql://" + user + (password == null ? "" : ":" + MASK) + "@" + host + ":" + port + "/" + database
                + (query == null ? "" : masked("?" + query));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatabaseUrl u && Objects.equals(file, u.file) && Objects.equals(host, u.host)
                && port == u.port && Objects.equals(database, u.database) && Objects.equals(user, u.user);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, host, port, database, user);
    }
}
