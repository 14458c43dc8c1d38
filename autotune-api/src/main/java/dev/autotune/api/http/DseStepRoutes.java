package dev.autotune.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.autotune.api.app.studies.DseSteps;
import dev.autotune.api.app.common.NotFound;
import dev.autotune.api.app.studies.Studies;
import dev.autotune.api.app.studies.StudyJson;
import dev.autotune.api.app.common.UserError;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * POST /api/studies/{id}/steps: one step of a CloudAI DSE run driven by the study (the {@code autotune} agent inside
 * {@code cloudai run}), as a multipart zip of the step's results dir with its {@code trajectory.csv} row, the trial
 * it ran and CloudAI's reward and observation as {@code metadata}. The zip goes through the same unpacking as a sweep
 * uploaded to POST /api/experiments ({@link Uploads#recordSweep}), and {@link DseSteps} records the step as that
 * upload records a sweep step, linked to the trial in the same append.
 */
final class DseStepRoutes {
    static final Set<String> FIELDS = Set.of("step", "trial", "metadata");

    private final DseSteps steps;
    private final Uploads uploads;

    DseStepRoutes(Studies studies, Uploads uploads) {
        this.steps = new DseSteps(studies);
        this.uploads = uploads;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.post("/api/studies/{id}/steps", this::record);
    }

    void record(Context ctx) {
        String study = ctx.pathParam("id");
        if (!ctx.isMultipartFormData()) {
            throw HttpProblem.badRequest("step", "send multipart/form-data: the step's zip as a file part named"
                    + " 'step', its 'trial' and optional 'metadata' key=value fields");
        }
        uploads.checkSize(ctx);
        Map<String, List<String>> fields = RequestBody.multipart(ctx::formParamMap, "step", uploads::tooLarge);
        UploadedFile zip = RequestBody.multipart(() -> ctx.uploadedFile("step"), "step", uploads::tooLarge);
        fields.keySet().forEach(name -> RequestBody.known(name, FIELDS));
        if (zip == null) {
            throw HttpProblem.badRequest("step", "the step is missing: send its zip as a file part named 'step'");
        }
        List<String> trialText = fields.getOrDefault("trial", List.of());
        if (trialText.isEmpty() || trialText.get(0).isBlank()) {
            throw HttpProblem.badRequest("trial", "'trial' is required: the trial number the step ran (from ask)");
        }
        int trial;
        try {
            trial = Integer.parseInt(trialText.get(0).trim());
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("trial", "'trial' must be a whole number, got '" + trialText.get(0) + "'");
        }
        List<String> metadata = fields.getOrDefault("metadata", List.of());
        DseSteps.Recorded recorded;
        try {
            recorded = uploads.recordSweep(zip, (trajectory, within) -> steps.record(study, trial, trajectory, within, metadata));
        } catch (HttpProblem e) {
            // the unpacking's refusals blame the upload, which this route calls 'step'
            throw "report".equals(e.field()) ? e.about("step") : e;
        } catch (NotFound e) {
            throw HttpProblem.notFound(e.getMessage());
        } catch (dev.autotune.api.app.common.Conflict e) {
            // a retried step (trial already measured) or a finished study
            throw HttpProblem.conflict(e.field(), e.getMessage());
        } catch (dev.autotune.api.app.common.DuplicateReport e) {
            throw HttpProblem.conflict("step", e.getMessage());
        } catch (UserError e) {
            String field = e.field() == null || e.field().equals("report") ? "step" : e.field();
            throw HttpProblem.badRequest(field, e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("study", recorded.study());
        body.put("trial", recorded.trial());
        body.put("experiment", recorded.experiment());
        body.put("experiment_id", recorded.experimentId());
        body.put("status", recorded.status());
        body.put("failure_category", recorded.failureCategory());
        body.put("metrics", recorded.metrics());
        body.put("warnings", recorded.warnings());
        body.put("url", "/api/experiments/" + recorded.experiment());
        try {
            ctx.status(201).header("Location", "/api/experiments/" + recorded.experiment())
                    .contentType("application/json").result(StudyJson.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the step's JSON", e);
        }
    }
}
