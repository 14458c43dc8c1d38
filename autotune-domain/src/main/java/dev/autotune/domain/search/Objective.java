package dev.autotune.domain.search;

/**
 * What a study optimises: one metric key (a normalized metric such as {@code latency_p95_ms}, or a per-GPU
 * metric such as {@code throughput_tokens_per_sec_per_gpu}) and whether higher is better. Written
 * {@code "maximize throughput_tokens_per_sec_per_gpu"} or {@code "minimize latency_p95_ms"}.
 */
public record Objective(String metric, boolean maximize) {
}
