package dev.autotune.api.http;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.common.StoreLocation;
import dev.autotune.api.app.common.Problem;
import dev.autotune.api.render.ExperimentJson;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HTTP API and the dashboard over one database. Every route is a small handler over a Javalin
 * {@link Context} that calls the {@link Autotune} application service, the same one the CLI uses.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 50L * 1024 * 1024;

    /**
     * @param token          the bearer token write requests must carry; null for none (loopback only)
     * @param maxUploadBytes the largest upload accepted; bigger ones get 413
     * @param uploadsDir     where uploaded reports are kept, normally {@code <db dir>/uploads}
     * @param allowedHosts   Host names accepted besides the server's own ({@link OriginGuard}); serve --allow-host
     */
    public record Options(String host, int port, String token, long maxUploadBytes, Path uploadsDir,
                          List<String> allowedHosts) {
        public Options {
            allowedHosts = List.copyOf(allowedHosts);
        }

        public Options(String host, int port, String token, long maxUploadBytes, Path uploadsDir) {
            this(host, port, token, maxUploadBytes, uploadsDir, List.of());
        }

        public static Options defaults(Path dbPath) {
            return new Options("127.0.0.1", 8080, null, DEFAULT_MAX_UPLOAD_BYTES, uploadsDirFor(StoreLocation.file(dbPath)));
        }

        public Options withPort(int p) {
            return new Options(host, p, token, maxUploadBytes, uploadsDir, allowedHosts);
        }

        public Options withToken(String t) {
            return new Options(host, port, t, maxUploadBytes, uploadsDir, allowedHosts);
        }

        public Options withMaxUploadBytes(long n) {
            return new Options(host, port, token, n, uploadsDir, allowedHosts);
        }

        public Options withAllowedHosts(List<String> hosts) {
            return new Options(host, port, token, maxUploadBytes, uploadsDir, hosts);
        }
    }

    /** A registered route, as the OpenAPI document must list it. */
    public record Route(String method, String path) {
    }

    private final Javalin app;
    private final EventFeed feed;
    private final List<Route> routes = new ArrayList<>();
    private final String host;
    private final ServerPaths paths;
    /** How messages name the database (its URL, its file): never in a response, see {@link #error}. */
    private final List<String> database;

    private ApiServer(Autotune autotune, Options options) {
        this.host = options.host();
        this.paths = new ServerPaths(options.uploadsDir());
        this.database = List.of(autotune.database().toString(), autotune.database().describe());
        this.feed = new EventFeed(autotune);
        RunLogs logs = new RunLogs(autotune);
        ExperimentRoutes experiments = new ExperimentRoutes(autotune, logs);
        AnalysisRoutes analysis = new AnalysisRoutes(autotune);
        Uploads uploads = new Uploads(autotune, options.uploadsDir(), options.maxUploadBytes());
        Health health = new Health(autotune);
        StudyRoutes studies = new StudyRoutes(autotune, options.uploadsDir(), options.maxUploadBytes());
        this.app = Javalin.create(cfg -> {
            configure(cfg, uploads);
            OriginGuard guard = OriginGuard.forBind(options.host(), options.allowedHosts());
            cfg.routes.before(ctx -> SecurityHeaders.apply(ctx::header));
            cfg.routes.before(guard::check);
            cfg.routes.before(ctx -> authorize(ctx, options.token()));
            cfg.routes.before("/api/experiments", ctx -> {
                if (ctx.method() == HandlerType.POST) {
                    uploads.checkSize(ctx);
                }
            });
            cfg.routes.get("/health", health::show);
            cfg.routes.get("/openapi.json", ApiServer::openApi);
            cfg.routes.get("/api/experiments", experiments::list);
            cfg.routes.post("/api/experiments", uploads::create);
            cfg.routes.get("/api/experiments/{id}", experiments::show);
            cfg.routes.get("/api/experiments/{id}/log", logs::serve);
            cfg.routes.get("/api/diff", analysis::diff);
            cfg.routes.get("/api/check", analysis::check);
            cfg.routes.get("/api/recommendation", analysis::recommendation);
            cfg.routes.get("/api/recommendation/config", analysis::derivedConfig);
            cfg.routes.get("/api/sensitivity", analysis::sensitivity);
            cfg.routes.get("/api/export", analysis::export);
            cfg.routes.get("/api/budgets", analysis::budgetProfiles);
            cfg.routes.sse("/api/events", feed::connect);
            studies.register(cfg);
            new DseStepRoutes(autotune.studies(), uploads).register(cfg);
            new CorrectionRoutes(autotune).register(cfg);
            errors(cfg);
        });
    }

    public static ApiServer start(Autotune autotune, Options options) {
        ApiServer server = new ApiServer(autotune, options);
        server.app.start(options.host(), options.port());
        server.feed.start();
        return server;
    }

    private void configure(JavalinConfig cfg, Uploads uploads) {
        cfg.jsonMapper(new JavalinJackson(ExperimentJson.mapper(), false));
        cfg.staticFiles.add("/public", Location.CLASSPATH);
        cfg.staticFiles.enableWebjars();
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        // parts above the limit fail while the body is read, for uploads without a Content-Length
        cfg.jetty.multipartConfig.maxTotalRequestSize(uploads.maxBytes() + Uploads.FRAMING_BYTES, SizeUnit.BYTES);
        cfg.jetty.multipartConfig.maxFileSize(uploads.maxBytes(), SizeUnit.BYTES);
        cfg.jetty.multipartConfig.maxInMemoryFileSize(256 * 1024, SizeUnit.BYTES);
        cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        cfg.events.handlerAdded(h -> {
            if (h.getHttpMethod() == HandlerType.GET || h.getHttpMethod() == HandlerType.POST) {
                routes.add(new Route(h.getHttpMethod().name(), h.getPath()));
            }
        });
    }

    /** Reads are open; anything that writes needs the token when one is set. */
    private static void authorize(Context ctx, String token) {
        if (token == null || ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD
                || ctx.method() == HandlerType.OPTIONS) {
            return;
        }
        String header = ctx.header("Authorization");
        // the scheme is case-insensitive (RFC 9110 11.1): bearer and BEARER are Bearer
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                : "";
        // constant-time, so response timing does not reveal how much of a guess was right
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw HttpProblem.unauthorized(header == null ? "this server needs 'Authorization: Bearer <token>' "
                    + "(the token from serve --token-file) to write" : "wrong bearer token");
        }
    }

    private static void openApi(Context ctx) {
        InputStream doc = ApiServer.class.getResourceAsStream("/public/openapi.json");
        if (doc == null) {
            throw HttpProblem.notFound("openapi.json is missing from this build");
        }
        ctx.contentType("application/json").result(doc);
    }

    private void errors(JavalinConfig cfg) {
        cfg.routes.exception(HttpProblem.class, (e, ctx) -> error(ctx, e.status(), e.getMessage(), e.field()));
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> {
            boolean tooLarge = e.getStatus() == 413;
            error(ctx, e.getStatus(), tooLarge ? "upload larger than this server accepts" : e.getMessage(),
                    tooLarge ? "report" : null);
        });
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            Problem p = Problem.of(e);
            switch (p.kind()) {
                case BAD_INPUT -> error(ctx, 400, p.message(), p.field());
                case NOT_FOUND -> error(ctx, 404, p.message(), null);
                case CONFLICT -> error(ctx, 409, p.message(), p.field());
                case DUPLICATE -> {
                    Map<String, Object> body = ErrorBody.of(paths.scrub(p.message())
                            + " (send allow_duplicate=true to record it again)", p.field());
                    body.put("existing_id", p.existing());
                    ctx.status(409).json(body);
                }
                case STORE -> {
                    LOG.warn("store: {}", p.message());
                    error(ctx, 503, p.message(), null);
                }
                case INTERNAL -> {
                    if (Uploads.isSizeLimit(e) && ctx.method() == HandlerType.POST) {
                        error(ctx, 413, "upload larger than this server accepts", "report");
                        return;
                    }
                    LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                    error(ctx, 500, "internal error: " + p.message(), null);
                }
            }
        });
    }

    private void error(Context ctx, int status, String message, String field) {
        String m = message;
        for (String db : database) {
            m = m == null ? null : m.replace(db, "the database");
        }
        m = paths.scrub(m);
        // an error names what was wrong; it never sends the input back at length
        if (m != null && m.length() > MAX_ERROR) {
            m = m.substring(0, MAX_ERROR) + "... (" + (m.length() - MAX_ERROR) + " more characters)";
        }
        ctx.status(status).json(ErrorBody.of(m, field));
    }

    /** The longest error message a response carries. */
    static final int MAX_ERROR = 1_000;

    public int port() {
        return app.port();
    }

    /** The URL to open; a wildcard bind is shown as this machine's name. */
    public String url() {
        String h = host;
        if (h.equals("0.0.0.0") || h.equals("::")) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                h = "localhost";
            }
        } else if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port() + "/";
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** {@code uploads/} next to a SQLite file; for a server, in the working directory of {@code serve}. */
    public static Path uploadsDirFor(StoreLocation database) {
        return database.localDirectory().resolve("uploads");
    }

    /** Whether {@code host} is a loopback address, where serving without a token is allowed. */
    public static boolean isLoopback(String host) throws UnknownHostException {
        return InetAddress.getByName(host).isLoopbackAddress();
    }

    @Override
    public void close() {
        feed.close();
        app.stop();
    }
}
