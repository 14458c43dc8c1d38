package dev.autotune.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.common.Conflict;
import dev.autotune.api.app.common.NotFound;
import dev.autotune.api.app.studies.Studies;
import dev.autotune.api.app.studies.StudyJson;
import dev.autotune.api.app.common.UserError;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The study routes: create a study of a space, list and show studies, and ask and tell, so a loop outside autotune
 * (a DSE agent, a shell script) can use it as its optimizer. Every handler calls the {@link Studies} use cases, the
 * same ones `autotune study`, `ask` and `tell` use, and answers in their JSON ({@link StudyJson}, snake_case).
 *
 * <pre>
 * POST /api/studies              multipart 'space' file, or JSON/form {"space_path"}; optional strategy, seed
 * GET  /api/studies              every study
 * GET  /api/studies/{id}         trials with reasons, best feasible, Pareto front, next proposal
 * POST /api/studies/{id}/ask     optional n, strategy, seed, force
 * POST /api/studies/{id}/tell    experiment (number or id); or trial, failed=true, optional reason, category
 * POST /api/studies/{id}/stop    optional message
 * </pre>
 * Concurrent writes to one study are serialized by the store under the study's key ({@link Studies}), across
 * servers and machines; a request that conflicts with the study's state is the use case's {@code Conflict}, 409.
 */
final class StudyRoutes {
    static final int MAX_ASK = 100;
    private static final Set<String> CREATE_FIELDS = Set.of("space", "space_path", "strategy", "seed", "name");
    private static final Set<String> ASK_FIELDS = Set.of("n", "strategy", "seed", "force");
    private static final Set<String> TELL_FIELDS = Set.of("experiment", "experiment_id", "trial", "failed", "reason",
            "category");
    private static final Set<String> STOP_FIELDS = Set.of("message");

    private final Studies studies;
    private final Path uploadsDir;
    private final long maxBytes;
    /** Keeping an uploaded space file: two uploads of the same bytes must not both move it into place. */
    private final ReentrantLock keeping = new ReentrantLock();

    /** The directories the server was started with: its working directory and the database's. */
    private final List<Path> roots;

    StudyRoutes(Autotune autotune, Path uploadsDir, long maxBytes) {
        this.studies = autotune.studies();
        this.uploadsDir = uploadsDir;
        this.maxBytes = maxBytes;
        Path dataDir = uploadsDir.toAbsolutePath().normalize().getParent();
        this.roots = dataDir == null ? List.of(Path.of("").toAbsolutePath())
                : List.of(Path.of("").toAbsolutePath(), dataDir);
    }

    void register(JavalinConfig cfg) {
        cfg.routes.get("/api/studies", this::list);
        cfg.routes.post("/api/studies", this::create);
        cfg.routes.get("/api/studies/{id}", this::show);
        cfg.routes.post("/api/studies/{id}/ask", this::ask);
        cfg.routes.post("/api/studies/{id}/tell", this::tell);
        cfg.routes.post("/api/studies/{id}/stop", this::stop);
    }

    void list(Context ctx) {
        Params.only(ctx, Set.of());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("studies", call(null, studies::list));
        json(ctx, 200, body);
    }

    void show(Context ctx) {
        Params.only(ctx, Set.of());
        String id = ctx.pathParam("id");
        json(ctx, 200, call(null, () -> studies.show(id)));
    }

    void create(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length > maxBytes) {
            throw tooLarge();
        }
        Map<String, String> fields;
        Path spaceFile;
        String field;
        Path kept = null;
        if (ctx.isMultipartFormData()) {
            fields = RequestBody.multipart(() -> RequestBody.fields(ctx, CREATE_FIELDS), "space", this::tooLarge);
            UploadedFile upload = RequestBody.multipart(() -> ctx.uploadedFile("space"), "space", this::tooLarge);
            if (upload != null && fields.get("space_path") != null) {
                throw HttpProblem.badRequest("space", "send either a 'space' file or a 'space_path', not both");
            }
            if (upload != null) {
                Path[] made = new Path[1];
                spaceFile = keep(upload, made);
                kept = made[0];
                field = "space";
            } else {
                spaceFile = spacePath(fields);
                field = "space_path";
            }
        } else {
            fields = RequestBody.fields(ctx, CREATE_FIELDS);
            spaceFile = spacePath(fields);
            field = "space_path";
        }
        String strategy = fields.get("strategy");
        Long seed = number(fields, "seed");
        String name = fields.get("name");
        Studies.Created created = null;
        try {
            created = call(field, () -> studies.create(spaceFile, strategy, seed, name, roots));
        } catch (HttpProblem e) {
            if (field.equals("space_path") && e.status() == 400) {
                // a server file's content is never echoed: a TOML error says where, not what
                throw HttpProblem.badRequest(e.field(), e.getMessage()
                        .replaceAll("(invalid TOML at line \\d+, column \\d+): .*", "$1")
                        .replaceAll("(invalid TOML): .*", "$1"));
            }
            // an upload's errors name the file as the client sent it, not where it was kept
            throw !field.equals("space") || e.status() != 400 ? e : HttpProblem.badRequest(e.field(),
                    e.getMessage().replace(spaceFile.toString(), Uploads.safeName(spaceFile.getFileName().toString())));
        } finally {
            if (created == null && kept != null) {
                // nothing recorded: leave no file behind that no study came from
                deleteQuietly(kept);
            }
        }
        String url = "/api/studies/" + created.study().number();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("study", created.study());
        body.put("created", created.created());
        body.put("url", url);
        ctx.header("Location", url);
        json(ctx, created.created() ? 201 : 200, body);
    }

    void ask(Context ctx) {
        String id = ctx.pathParam("id");
        Map<String, String> fields = RequestBody.fields(ctx, ASK_FIELDS);
        Long n = number(fields, "n");
        if (n != null && (n < 1 || n > MAX_ASK)) {
            throw HttpProblem.badRequest("n", "'n' must be between 1 and " + MAX_ASK + ", got " + n);
        }
        String strategy = fields.get("strategy");
        Long seed = number(fields, "seed");
        boolean force = bool(fields, "force");
        json(ctx, 200, call(null, () -> studies.ask(id, n == null ? 1 : n.intValue(), strategy, seed, force)));
    }

    void tell(Context ctx) {
        String id = ctx.pathParam("id");
        Map<String, String> fields = RequestBody.fields(ctx, TELL_FIELDS);
        String experiment = fields.get("experiment") != null ? fields.get("experiment") : fields.get("experiment_id");
        if (bool(fields, "failed")) {
            // a trial that ran and failed without a report: no experiment to name
            Long trial = number(fields, "trial");
            if (trial == null || experiment != null) {
                throw HttpProblem.badRequest(trial == null ? "trial" : "experiment", "a failed trial is told with "
                        + "'trial' (its number) and failed=true, without an experiment");
            }
            json(ctx, 200, call(null, () -> studies.tellFailed(id, trial.intValue(), fields.get("reason"),
                    fields.get("category"))));
            return;
        }
        for (String only : List.of("trial", "reason", "category")) {
            if (fields.containsKey(only)) {
                throw HttpProblem.badRequest(only, "'" + only + "' goes with failed=true (a trial that produced no "
                        + "report); to tell a measured trial send its 'experiment'");
            }
        }
        if (experiment == null) {
            throw HttpProblem.badRequest("experiment", "'experiment' is required: the number or id of an experiment "
                    + "recorded by ingest or run (POST /api/experiments); or 'trial' with failed=true for a trial "
                    + "that failed without a report");
        }
        json(ctx, 200, call(null, () -> studies.tell(id, experiment)));
    }

    void stop(Context ctx) {
        String id = ctx.pathParam("id");
        Map<String, String> fields = RequestBody.fields(ctx, STOP_FIELDS);
        json(ctx, 200, call(null, () -> studies.stop(id, fields.get("message"))));
    }

    // ---- the use cases' answers and errors as HTTP ----

    /**
     * Runs a use case, renaming the field of its bad input as this API names it; every refusal then goes to the
     * server's one error mapping ({@code Problem}: 400, 404, 409 for a conflict with the study's state).
     */
    private static <T> T call(String defaultField, Supplier<T> useCase) {
        try {
            return useCase.get();
        } catch (Conflict | NotFound e) {
            throw e;
        } catch (UserError e) {
            String message = e.getMessage() == null ? "bad request" : e.getMessage();
            String field = e.field() == null ? defaultField : FIELD_NAMES.getOrDefault(e.field(), e.field());
            throw HttpProblem.badRequest(field, message);
        }
    }

    /** The use cases' names for an input, as the HTTP API names it. */
    private static final Map<String, String> FIELD_NAMES = Map.of("count", "n");

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).header("Cache-Control", "no-cache").contentType("application/json")
                    .result(StudyJson.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the study JSON", e);
        }
    }

    // ---- reading requests: JSON, urlencoded or multipart form, or query parameters ----

    private static boolean bool(Map<String, String> fields, String name) {
        String v = fields.get(name);
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw HttpProblem.badRequest(name, "'" + name + "' must be true or false, got '" + v + "'");
        };
    }

    private static Long number(Map<String, String> fields, String name) {
        String v = fields.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest(name, "'" + name + "' must be a whole number, got '" + v + "'");
        }
    }

    /**
     * A space file on the server's disk, under the directory the server was started in or the database's; its
     * relative [cloudai] and base_test paths resolve against it and must lie there too.
     */
    private Path spacePath(Map<String, String> fields) {
        String text = fields.get("space_path");
        if (text == null) {
            throw HttpProblem.badRequest("space", "send the space as a multipart file part named 'space', or its "
                    + "path on the server as 'space_path'");
        }
        Path path;
        try {
            path = Path.of(text).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            throw HttpProblem.badRequest("space_path", "'" + text + "' is not a path: " + e.getMessage());
        }
        if (!Studies.under(path, roots)) {
            // the same answer whether or not something is there
            throw HttpProblem.badRequest("space_path", "'" + text + "' is not under the directory the server was"
                    + " started in or the database's directory; upload the space as a 'space' file instead");
        }
        if (!Files.isRegularFile(path)) {
            throw HttpProblem.badRequest("space_path", "no space file at " + path);
        }
        return path;
    }

    private HttpProblem tooLarge() {
        return HttpProblem.tooLarge("space", "upload larger than the limit of " + maxBytes / (1024 * 1024)
                + " MB (serve --max-upload-mb)");
    }

    /**
     * Keeps an uploaded space as {@code <uploads>/spaces/<sha256>/<name>}: next to the database like uploaded
     * reports, under its own name (the study is named after the file). The same bytes are kept once.
     */
    private Path keep(UploadedFile part, Path[] created) {
        try {
            Path dir = Files.createDirectories(uploadsDir.resolve("spaces"));
            Path temp = Files.createTempFile(dir, ".upload-", ".part");
            try {
                String sha256 = Uploads.spool(part, temp, maxBytes, this::tooLarge);
                String name = Uploads.safeName(part.filename());
                if (name.equals("report")) {
                    name = "space.toml";
                }
                Path target = dir.resolve(sha256).resolve(name);
                keeping.lock();
                try {
                    if (!Files.exists(target)) {
                        Files.createDirectories(target.getParent());
                        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                        created[0] = target;
                    }
                } finally {
                    keeping.unlock();
                }
                return target;
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the uploaded space under " + uploadsDir + ": "
                    + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException e) {
            // a leftover upload harms nothing; the same bytes reuse it
        }
    }
}
