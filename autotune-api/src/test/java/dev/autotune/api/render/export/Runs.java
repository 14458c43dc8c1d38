package dev.autotune.api.render.export;

import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.analysis.Measured;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.projections.BudgetProjection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Experiment list rows for export tests, numbered in order, an hour apart, from a fixed start. */
final class Runs {
    static final Instant T0 = Instant.parse("2024-06-01T10:00:00Z");
    private final List<ExperimentSummary> rows = new ArrayList<>();

    static Runs of() {
        return new Runs();
    }

    Runs completed(Map<String, Object> knobs, Object... metrics) {
        return add("llama3-8b-chat", ExperimentStatus.COMPLETED, null, null, knobs, metrics);
    }

    Runs failed(String category, Map<String, Object> knobs) {
        return add("llama3-8b-chat", ExperimentStatus.FAILED, category, null, knobs);
    }

    Runs add(String scenario, ExperimentStatus status, String failureCategory, String notes,
             Map<String, Object> knobs, Object... metrics) {
        int n = rows.size() + 1;
        Instant start = T0.plusSeconds(3600L * (n - 1));
        rows.add(new ExperimentSummary(n, "exp-" + n, scenario, "vllm", status, "ingest", null,
                new TreeMap<>(knobs), metrics(metrics), notes, start,
                status == ExperimentStatus.RUNNING ? null : start.plusSeconds(1800), failureCategory));
        return this;
    }

    /** The classic sweep as list rows, plus a run that timed out at batch 16. */
    static Runs classic() {
        return of()
                .completed(Map.of("serving.batch_size", 1, "serving.model", "llama3-8b"),
                        "throughput_tokens_per_sec", 120, "latency_ms", 90, "ttft_ms", 30, "failure_rate", 0)
                .completed(Map.of("serving.batch_size", 4, "serving.model", "llama3-8b"),
                        "throughput_tokens_per_sec", 330, "latency_ms", 160, "ttft_ms", 45, "failure_rate", 0)
                .completed(Map.of("serving.batch_size", 8, "serving.model", "llama3-8b"),
                        "throughput_tokens_per_sec", 430, "latency_ms", 260, "ttft_ms", 70, "failure_rate", 0.002)
                .failed("timeout", Map.of("serving.batch_size", 16, "serving.model", "llama3-8b"));
    }

    List<ExperimentSummary> rows() {
        return List.copyOf(rows);
    }

    /** What the budget projection holds for these rows: completed ones only. */
    List<Measured> measured() {
        return rows.stream().filter(r -> r.status() == ExperimentStatus.COMPLETED)
                .map(r -> new Measured(r.number(), r.experimentId(), r.scenario(), r.metrics()))
                .toList();
    }

    static TreeMap<String, Double> metrics(Object... pairs) {
        TreeMap<String, Double> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return m;
    }
}
