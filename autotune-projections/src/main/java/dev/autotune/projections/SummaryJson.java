package dev.autotune.projections;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.autotune.domain.query.StoredSummary;
import dev.autotune.store.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON of one experiment as the list sends it ({@code GET /api/experiments}, {@code list --json}), written from
 * a stored row without parsing it. It lives with the list projection because the projection stores it
 * ({@code experiment_list_page}, V13) when it writes the row: a page of the API is then the stored bytes joined,
 * instead of 100 rows decoded from the database and encoded again as JSON on every request.
 */
public final class SummaryJson {
    private SummaryJson() {
    }

    /**
     * The keys in the order the mapper writes a summary map (sorted), the stored knobs, metrics, tags and facts JSON
     * passed through as they are (the mapper wrote them, sorted), and the stored ISO times. A test holds this to
     * the bytes of the summary map written by the mapper.
     */
    public static void write(JsonGenerator out, StoredSummary r) throws IOException {
        out.writeStartObject();
        out.writeStringField("backend", r.backend());
        out.writeStringField("ended_at", r.endedAt());
        out.writeStringField("excluded_reason", r.excludedReason());
        out.writeStringField("experiment_id", r.experimentId());
        out.writeFieldName("facts");
        out.writeRawValue(r.factsJson() == null ? "{}" : r.factsJson());
        out.writeStringField("failure_category", r.failureCategory());
        out.writeNumberField("id", r.number());
        out.writeFieldName("knobs");
        out.writeRawValue(r.knobsJson());
        out.writeStringField("measured_at", r.measuredAt());
        out.writeFieldName("metrics");
        out.writeRawValue(r.metricsJson());
        out.writeStringField("notes", r.notes());
        out.writeStringField("run_id", r.runId());
        out.writeStringField("scenario", r.scenario());
        out.writeStringField("source", r.source());
        out.writeStringField("started_at", r.startedAt());
        out.writeStringField("status", r.status());
        out.writeFieldName("tags");
        out.writeRawValue(r.tagsJson());
        out.writeEndObject();
    }

    /** {@link #write} as UTF-8 bytes, what the list projection stores and a page joins. */
    public static byte[] bytes(StoredSummary r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(768);
        try (JsonGenerator out = Json.mapper().getFactory().createGenerator(bytes)) {
            write(out, r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the summary of experiment " + r.number(), e);
        }
        return bytes.toByteArray();
    }
}
