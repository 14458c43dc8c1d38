package dev.autotune.runner.report;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a report states about the benchmark beside its metrics, when it states it: the workload (model, serving
 * backend, concurrency or request rate, mean input/output tokens per request, number of requests), when the
 * benchmark ran, and a fingerprint of the run that is the same in every format the tool saved it in.
 *
 * @param workload       the stated facts under the keys of this class ({@link #MODEL}, ...); absent ones absent
 * @param measuredAt     when the benchmark started measuring, from the report; null when it does not say
 * @param runFingerprint the run's identity across the tool's formats (see {@link RunFingerprint}); null when the
 *                       report lacks a part of it
 */
public record ReportFacts(Map<String, Object> workload, Instant measuredAt, String runFingerprint) {
    /** The model the benchmark sent requests to, as the tool names it. */
    public static final String MODEL = "model";
    /** The serving engine or client backend the tool says it talked to (vLLM bench's {@code backend}). */
    public static final String SERVING_BACKEND = "serving_backend";
    /** Requests kept in flight (the load setting), not the concurrency the run happened to achieve. */
    public static final String CONCURRENCY = "concurrency";
    /** Requests per second the load generator was set to send. */
    public static final String REQUEST_RATE = "request_rate";
    /** Mean input (prompt) tokens per request: the input sequence length. */
    public static final String ISL = "isl";
    /** Mean output tokens per request: the output sequence length. */
    public static final String OSL = "osl";
    /** Requests the benchmark sent, failed ones included. */
    public static final String REQUESTS = "requests";

    /** The facts that are load settings: recorded as knobs too, unless the user set that knob. */
    public static final List<String> KNOB_LIKE = List.of(CONCURRENCY, REQUEST_RATE);

    public static final ReportFacts NONE = new ReportFacts(Map.of(), null, null);

    public ReportFacts {
        workload = workload == null || workload.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(workload));
    }

    public boolean isEmpty() {
        return workload.isEmpty() && measuredAt == null && runFingerprint == null;
    }
}
