package dev.autotune.api.http;

import dev.autotune.api.app.recording.Recording;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.recording.BulkIngest;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * POST /api/experiments: a multipart upload of a report (and optionally its config TOML) recorded through the
 * same {@link Autotune#ingest} as `autotune ingest`. Uploads are kept as {@code <db dir>/uploads/<sha256>-<name>}
 * so the report path the events record stays valid after the request.
 */
final class Uploads {
    static final Set<String> FIELDS = Set.of("report", "config", "scenario", "backend", "set", "notes", "metadata",
            "format", "allow_duplicate");

    private final Autotune autotune;
    private final Path dir;
    private final long maxBytes;
    /** One upload at a time: the duplicate check and the append must not interleave with another upload's. */
    private final ReentrantLock lock = new ReentrantLock();
    private final ServerPaths paths;

    Uploads(Autotune autotune, Path dir, long maxBytes) {
        this.autotune = autotune;
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.paths = new ServerPaths(dir);
    }

    long maxBytes() {
        return maxBytes;
    }

    /**
     * Room for the multipart framing and the small fields around the report: the limit is on the report file,
     * so a report of exactly --max-upload-mb must fit although the request around it is larger.
     */
    static final long FRAMING_BYTES = 64 * 1024;

    /** Refuses an oversized body from its Content-Length, before a byte of it is read. */
    void checkSize(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length > maxBytes + FRAMING_BYTES) {
            throw tooLarge();
        }
    }

    HttpProblem tooLarge() {
        return HttpProblem.tooLarge("report", "upload larger than the limit of " + maxBytes / (1024 * 1024)
                + " MB (serve --max-upload-mb)");
    }

    void create(Context ctx) {
        if (!ctx.isMultipartFormData()) {
            throw HttpProblem.badRequest("report", "send multipart/form-data with the report file in a 'report' part");
        }
        checkSize(ctx);
        Form form = read(ctx);
        if (form.reports().size() > 1) {
            createEach(ctx, form);
            return;
        }
        Recording.IngestResult result = keeping(created -> {
            Recordable report = recordable(form.report(), created);
            Path config = form.config() == null ? null : keep(form.config(), created);
            return autotune.recording().ingest(new Recording.IngestInput(report.file(), form.format(), config, form.scenario(),
                    form.backend(), form.sets(), form.notes(), form.metadata(), form.allowDuplicate(),
                    report.within()));
        });
        respond(ctx, result);
    }

    /**
     * One uploaded CloudAI DSE zip, unpacked as {@link #create} unpacks a sweep, whose trajectory {@code record}
     * records (a DSE agent's step: {@link DseStepRoutes}); under the upload lock, and when {@code record} throws,
     * nothing of the upload is left behind. A part that is not a zip is refused.
     */
    <T> T recordSweep(UploadedFile part, java.util.function.BiFunction<Path, Path, T> record) {
        return keeping(created -> {
            Recordable upload = recordable(part, created);
            Path trajectory = upload.file();
            if (!trajectory.getFileName().toString().equals(Recording.TRAJECTORY)) {
                throw HttpProblem.badRequest("report", "send the step as a zip of its results dir with its"
                        + " trajectory.csv row beside it");
            }
            return record.apply(trajectory, upload.within());
        });
    }

    /** Work that keeps uploaded files, naming each file it created in {@code created}. */
    private interface Keeping<T> {
        T run(List<Path> created) throws IOException;
    }

    /**
     * Runs {@code work} under the upload lock; when it throws, every file it created is deleted again, so nothing
     * is left behind that no event points at.
     */
    private <T> T keeping(Keeping<T> work) {
        lock.lock();
        try {
            List<Path> created = new java.util.ArrayList<>();
            try {
                T result = work.run(created);
                created.clear();
                return result;
            } finally {
                for (Path p : created) {
                    SweepArchive.deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the upload under " + dir + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Several {@code report} parts: each is recorded on its own, as if uploaded alone with the same fields.
     * Answers 200 with what became of each when every report was recorded or skipped as a duplicate, else 400
     * with the same body and an error naming how many were refused.
     */
    private void createEach(Context ctx, Form form) {
        List<Map<String, Object>> recorded = new java.util.ArrayList<>();
        List<Map<String, Object>> duplicates = new java.util.ArrayList<>();
        List<Map<String, Object>> refused = new java.util.ArrayList<>();
        lock.lock();
        try {
            Path config = null;
            List<Path> configCreated = new java.util.ArrayList<>();
            if (form.config() != null) {
                config = keep(form.config(), configCreated);
            }
            Path sharedConfig = config;
            // what the part being recorded kept; deleted again unless it was recorded
            List<Path> created = new java.util.ArrayList<>();
            new BulkIngest(autotune.recording()).record(form.reports(), part -> {
                created.clear();
                try {
                    Recordable report = recordable(part, created);
                    return new Recording.IngestInput(report.file(), form.format(), sharedConfig, form.scenario(),
                            form.backend(), form.sets(), form.notes(), form.metadata(), form.allowDuplicate(),
                            report.within());
                } catch (IOException io) {
                    // each part on its own: a part that cannot be kept or unpacked is refused, the others stand
                    throw new UncheckedIOException("cannot keep " + safeName(part.filename()) + ": "
                            + io.getMessage(), io);
                }
            }, o -> {
                Map<String, Object> outcome = new LinkedHashMap<>();
                outcome.put("name", o.item().filename());
                if (o.status() == BulkIngest.Status.RECORDED) {
                    created.clear();
                    configCreated.clear();
                    outcome.put("id", o.result().number());
                    outcome.put("experiment_id", o.result().experimentId());
                    outcome.put("format", o.result().format());
                    outcome.put("url", "/api/experiments/" + o.result().number());
                    recorded.add(outcome);
                } else {
                    // as the single-upload error body: the uploaded name, never the server's path of its kept copy
                    outcome.put("error", paths.scrub(o.reason()));
                    if (o.status() == BulkIngest.Status.DUPLICATE) {
                        outcome.put("existing_id", o.problem().existing());
                        duplicates.add(outcome);
                    } else {
                        refused.add(outcome);
                    }
                }
                try {
                    for (Path p : created) {
                        SweepArchive.deleteTree(p);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot keep the upload under " + dir + ": " + e.getMessage(), e);
                }
            });
            for (Path p : configCreated) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the upload under " + dir + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        // the error body when any was refused; without error and field when none was
        Map<String, Object> body = refused.isEmpty() ? new LinkedHashMap<>()
                : ErrorBody.of(refused.size() + " of " + form.reports().size() + " reports refused", "report");
        body.put("recorded", recorded);
        body.put("duplicates", duplicates);
        body.put("refused", refused);
        ctx.status(refused.isEmpty() ? 200 : 400).json(body);
    }

    private static void respond(Context ctx, Recording.IngestResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", result.number());
        body.put("experiment_id", result.experimentId());
        body.put("format", result.format());
        body.put("report_path", result.reportPath().toString());
        Map<String, Double> metrics = new LinkedHashMap<>();
        result.metrics().forEach((m, v) -> metrics.put(m.key(), v));
        body.put("metrics", metrics);
        body.put("warnings", result.warnings());
        // a sweep's trajectory records an experiment per step
        body.put("ids", result.numbers());
        body.put("url", "/api/experiments/" + result.number());
        ctx.status(201).header("Location", "/api/experiments/" + result.number()).json(body);
    }

    /** The form as sent; the application parses the {@code set} and {@code metadata} pairs. */
    private record Form(List<UploadedFile> reports, UploadedFile config, String scenario, String backend,
                        List<String> sets, String notes, List<String> metadata, String format,
                        boolean allowDuplicate) {
        UploadedFile report() {
            return reports.get(0);
        }
    }

    /** Every field checked before anything is written. */
    private Form read(Context ctx) {
        Map<String, List<String>> fields = RequestBody.multipart(ctx::formParamMap, "report", this::tooLarge);
        List<UploadedFile> report = RequestBody.multipart(() -> ctx.uploadedFiles("report"), "report", this::tooLarge);
        UploadedFile config = RequestBody.multipart(() -> ctx.uploadedFile("config"), "report", this::tooLarge);
        fields.keySet().forEach(name -> RequestBody.known(name, FIELDS));
        if (report.isEmpty()) {
            throw HttpProblem.badRequest("report", "the report file is missing: send it as a file part named 'report'");
        }
        String allow = field(fields, "allow_duplicate");
        if (allow != null && !Set.of("true", "false", "1", "0", "on").contains(allow.toLowerCase(Locale.ROOT))) {
            throw HttpProblem.badRequest("allow_duplicate", "'allow_duplicate' must be true or false, got '" + allow + "'");
        }
        return new Form(report, config, field(fields, "scenario"), field(fields, "backend"),
                fields.getOrDefault("set", List.of()), field(fields, "notes"), fields.getOrDefault("metadata", List.of()),
                field(fields, "format"),
                allow != null && Set.of("true", "1", "on").contains(allow.toLowerCase(Locale.ROOT)));
    }

    static boolean isSizeLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("exceeds") || m.contains("too large") || m.contains("max") && m.contains("size")) {
                return true;
            }
        }
        return false;
    }

    private static String field(Map<String, List<String>> fields, String name) {
        List<String> values = fields.getOrDefault(name, List.of());
        return values.isEmpty() || values.get(0).isBlank() ? null : values.get(0).trim();
    }

    /**
     * The file an ingest records from this part: the kept upload, or, for a zip, the trajectory.csv of the CloudAI
     * DSE sweep it holds, unpacked beside the uploads (see {@link SweepArchive}); the zip itself is not kept.
     */
    private Recordable recordable(UploadedFile part, List<Path> created) throws IOException {
        Path kept = keep(part, created);
        if (!SweepArchive.isZip(kept)) {
            if (Recording.TRAJECTORY.equals(safeName(part.filename()))) {
                throw HttpProblem.badRequest("report", "a trajectory.csv is recorded with its step directories:"
                        + " upload the sweep's iteration dir as a zip (cd <iteration dir> && zip -r sweep.zip .)");
            }
            return new Recordable(kept, null);
        }
        String keptName = kept.getFileName().toString();
        String name = keptName.replaceFirst("(?i)\\.zip$", "");
        // a zip is a zip by its content, whatever its name: beside the kept file, never onto it
        Path into = dir.resolve(name.equals(keptName) ? name + "-unzipped" : name);
        Path trajectory = SweepArchive.unpack(kept, into, maxBytes, this::tooLarge, created);
        if (created.remove(kept)) {
            Files.deleteIfExists(kept);
        }
        return new Recordable(trajectory, into);
    }

    /** The file an ingest records, and for an unpacked zip the directory every file it reads must lie in. */
    private record Recordable(Path file, Path within) {
    }

    /**
     * Writes the part to a temp file while hashing it, then moves it to {@code <sha256>-<name>}. A file with that
     * name already holds the same bytes (and an earlier experiment may point at it), so it is reused and never
     * deleted; only files created here go into {@code created}.
     */
    private Path keep(UploadedFile part, List<Path> created) throws IOException {
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".upload-", ".part");
        try {
            String sha256 = spool(part, temp, maxBytes, this::tooLarge);
            Path target = dir.resolve(sha256 + "-" + safeName(part.filename()));
            // uploads are serialized by the lock, so exists-then-move cannot race with another upload here
            if (!Files.exists(target)) {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                created.add(target);
            }
            return target;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Copies an uploaded part to {@code temp} while hashing it, and refuses it past {@code maxBytes}: the one way
     * an upload (a report, a config, a space) reaches the disk. Returns the SHA-256 of its bytes in hex.
     */
    static String spool(UploadedFile part, Path temp, long maxBytes, Supplier<HttpProblem> tooLarge)
            throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
        // into the file the caller created: Files.copy with REPLACE_EXISTING would delete it and create it again,
        // two more directory updates per upload in a directory that holds every upload kept
        try (InputStream in = new DigestInputStream(part.content(), sha);
             OutputStream out = Files.newOutputStream(temp)) {
            in.transferTo(out);
        }
        if (Files.size(temp) > maxBytes) {
            throw tooLarge.get();
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The client's file name reduced to a harmless last segment; the detector may use its extension. */
    static String safeName(String submitted) {
        String name = submitted == null ? "" : submitted.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "");
        if (name.length() > 100) {
            name = name.substring(name.length() - 100);
        }
        return name.isEmpty() ? "report" : name;
    }
}
