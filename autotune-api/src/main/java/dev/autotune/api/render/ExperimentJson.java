package dev.autotune.api.render;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autotune.domain.query.ExperimentDetail;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.JsonPage;
import dev.autotune.domain.query.StoredSummary;
import dev.autotune.projections.SummaryJson;
import dev.autotune.store.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shape of experiments, the same for `--json` and the HTTP API: normalized metric names as keys. */
public final class ExperimentJson {
    private ExperimentJson() {
    }

    /** The mapper every JSON answer is written with: sorted map keys, ISO times. */
    public static ObjectMapper mapper() {
        return Json.mapper();
    }

    public static Map<String, Object> summary(ExperimentSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.number());
        m.put("experiment_id", s.experimentId());
        m.put("status", s.status().code());
        m.put("scenario", s.scenario());
        m.put("backend", s.backend());
        m.put("source", s.source());
        m.put("run_id", s.runId());
        m.put("knobs", s.knobs());
        m.put("metrics", s.metrics());
        m.put("notes", s.notes());
        m.put("started_at", s.startedAt());
        m.put("ended_at", s.endedAt());
        m.put("failure_category", s.failureCategory());
        m.put("tags", s.tags());
        m.put("excluded_reason", s.excludedReason());
        m.put("measured_at", s.measuredAt());
        m.put("facts", s.facts());
        return m;
    }

    /**
     * Writes {@link #summary} of a stored row without parsing it: the same keys in the order the mapper writes
     * them (sorted), the stored JSON columns passed through. The list projection stores these bytes per row
     * ({@link SummaryJson}), and a page of the HTTP list joins them. A test holds the two to the same bytes.
     */
    public static void writeSummary(JsonGenerator out, StoredSummary r) throws IOException {
        SummaryJson.write(out, r);
    }

    /**
     * A page of the list as the API sends it: {@code experiments}, the {@code facets} when asked for, the paging
     * parameters, the sort it is in, the {@code total} and {@code next}, the cursor to pass as {@code after=} for the
     * page after this one (null on the last), keys sorted like every other response. The rows are the stored
     * summary JSON of each, copied in: writing them was most of a page's cost, 70 KB for 100 rows.
     */
    public static byte[] page(JsonPage page, int limit, int offset) {
        // the rest of the object first, in the order it always had, written as an object of its own: the compact
        // output has no whitespace, so after its opening brace it continues the page
        ByteArrayOutputStream rest = new ByteArrayOutputStream(256);
        try (JsonGenerator out = Json.mapper().getFactory().createGenerator(rest)) {
            out.writeStartObject();
            if (page.facets() != null) {
                out.writeObjectField("facets", page.facets());
            }
            out.writeNumberField("limit", limit);
            out.writeNumberField("offset", offset);
            out.writeStringField("next", page.next());
            out.writeStringField("order", page.sort().descending() ? "desc" : "asc");
            out.writeStringField("sort", page.sort().key());
            out.writeNumberField("total", page.total());
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the experiment list", e);
        }
        byte[] tail = rest.toByteArray();
        // then the page in one array of its exact size: 70 KB copied once, not grown and copied again
        int size = EXPERIMENTS.length + 2 + tail.length - 1;
        for (byte[] row : page.rows()) {
            size += row.length + 1;
        }
        byte[] out = new byte[size - (page.rows().isEmpty() ? 0 : 1)];
        int at = put(out, 0, EXPERIMENTS);
        for (int i = 0; i < page.rows().size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            at = put(out, at, page.rows().get(i));
        }
        out[at++] = ']';
        out[at++] = ',';
        System.arraycopy(tail, 1, out, at, tail.length - 1);
        return out;
    }

    private static int put(byte[] into, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, into, at, bytes.length);
        return at + bytes.length;
    }

    private static final byte[] EXPERIMENTS = "{\"experiments\":[".getBytes(StandardCharsets.UTF_8);

    public static Map<String, Object> detail(ExperimentDetail d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.number());
        m.put("experiment_id", d.experimentId());
        m.put("status", d.status().code());
        m.put("scenario", d.scenario());
        m.put("backend", d.backend());
        m.put("source", d.source());
        m.put("run_id", d.runId());
        m.put("config_path", d.configPath());
        m.put("config_sha256", d.configSha256());
        m.put("config", d.config());
        m.put("metrics", d.metrics());
        // every note: the one it was recorded with, then each added later (`autotune note`), oldest first
        List<String> notes = new java.util.ArrayList<>();
        if (d.notes() != null) {
            notes.add(d.notes());
        }
        List<Map<String, Object>> added = new java.util.ArrayList<>();
        for (var note : d.notesAdded()) {
            notes.add(note.detail());
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("at", note.at());
            n.put("note", note.detail());
            added.add(n);
        }
        m.put("notes", notes.isEmpty() ? null : String.join("\n", notes));
        m.put("notes_added", added);
        m.put("metadata", d.metadata());
        m.put("started_at", d.startedAt());
        m.put("ended_at", d.endedAt());
        m.put("measured_at", d.measuredAt());
        m.put("facts", d.facts());
        Map<String, Object> failure = new LinkedHashMap<>();
        if (d.failureCategory() != null) {
            failure.put("category", d.failureCategory());
            failure.put("message", d.failureMessage());
            failure.put("exit_code", d.exitCode());
        }
        m.put("failure", failure.isEmpty() ? null : failure);
        m.put("log_path", d.logPath());
        m.put("tags", d.tags());
        m.put("excluded_reason", d.excludedReason());
        m.put("reports", d.reports().stream().map(r -> {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("path", r.path());
            rm.put("sha256", r.sha256());
            rm.put("format", r.format());
            rm.put("warnings", r.warnings());
            rm.put("parsed_at", r.parsedAt());
            rm.put("facts", r.facts());
            rm.put("measured_at", r.measuredAt());
            rm.put("run_fingerprint", r.runFingerprint());
            return rm;
        }).toList());
        m.put("timeline", d.timeline().stream().map(t -> {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("at", t.at());
            tm.put("event", t.event());
            tm.put("detail", t.detail());
            return tm;
        }).toList());
        return m;
    }

    public static List<Map<String, Object>> summaries(List<ExperimentSummary> rows) {
        return rows.stream().map(ExperimentJson::summary).toList();
    }

    public static String pretty(Object value) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
