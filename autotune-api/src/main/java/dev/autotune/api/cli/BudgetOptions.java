package dev.autotune.api.cli;

import dev.autotune.api.app.BudgetInput;
import picocli.CommandLine.Option;

import java.util.List;

/** The budget options shared by check, recommend and export, passed on as typed; the application parses them. */
final class BudgetOptions {
    @Option(names = "--latency-budget-ms", paramLabel = "N", description = "mean end-to-end latency must be <= N ms")
    String latencyMs;

    @Option(names = "--ttft-budget-ms", paramLabel = "N", description = "mean time to first token must be <= N ms")
    String ttftMs;

    @Option(names = "--min-throughput-tokens-per-sec", paramLabel = "N", description = "output throughput must be >= N tok/s")
    String minThroughput;

    @Option(names = "--max-failure-rate", paramLabel = "X", description = "failed/total requests must be <= X (0..1)")
    String maxFailureRate;

    @Option(names = "--metric", paramLabel = "NAME<=VALUE", description = "any metric budget, e.g. latency_p95_ms<=200 "
            + "or throughput_tokens_per_sec>=300 (repeatable)")
    List<String> expressions;

    BudgetInput input() {
        return new BudgetInput(latencyMs, ttftMs, minThroughput, maxFailureRate, expressions);
    }
}
