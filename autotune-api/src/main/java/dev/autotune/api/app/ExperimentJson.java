package dev.autotune.api.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.autotune.projections.ExperimentDetail;
import dev.autotune.projections.ExperimentSummary;
import dev.autotune.store.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shape of experiments, the same for `--json` and the HTTP API: normalized metric names as keys. */
public final class ExperimentJson {
    private ExperimentJson() {
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
        return m;
    }

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
        m.put("notes", d.notes());
        m.put("metadata", d.metadata());
        m.put("started_at", d.startedAt());
        m.put("ended_at", d.endedAt());
        Map<String, Object> failure = new LinkedHashMap<>();
        if (d.failureCategory() != null) {
            failure.put("category", d.failureCategory());
            failure.put("message", d.failureMessage());
            failure.put("exit_code", d.exitCode());
        }
        m.put("failure", failure.isEmpty() ? null : failure);
        m.put("log_path", d.logPath());
        m.put("reports", d.reports().stream().map(r -> {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("path", r.path());
            rm.put("sha256", r.sha256());
            rm.put("format", r.format());
            rm.put("warnings", r.warnings());
            rm.put("parsed_at", r.parsedAt());
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
