package dev.autotune.api.cli;

import dev.autotune.api.app.common.BudgetInput;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * The budget options shared by check, recommend, export, diff and budget save, passed on as typed; the application
 * parses every form with one parser and resolves a saved profile.
 */
final class BudgetOptions {
    @Option(names = "--budget", paramLabel = "PROFILE", description = "the budgets of a saved profile (autotune budget "
            + "list); a budget option given beside it replaces the profile's budget on that metric in that direction")
    String profile;

    @Option(names = "--latency-budget-ms", paramLabel = "N", description = "mean end-to-end latency must be <= N ms")
    String latencyMs;

    @Option(names = "--ttft-budget-ms", paramLabel = "N", description = "mean time to first token must be <= N ms")
    String ttftMs;

    @Option(names = "--min-throughput-tokens-per-sec", paramLabel = "N", description = "output throughput must be >= N tok/s")
    String minThroughput;

    @Option(names = "--max-failure-rate", paramLabel = "X", description = "failed/total requests must be <= X (0..1)")
    String maxFailureRate;

    @Option(names = "--max", paramLabel = "METRIC=N", description = "any metric must be <= N, no quoting needed: "
            + "--max tpot_ms=10, --max latency_p95_ms=250 (repeatable)")
    List<String> max;

    @Option(names = "--min", paramLabel = "METRIC=N", description = "any metric must be >= N: "
            + "--min throughput_tokens_per_sec=300 (repeatable)")
    List<String> min;

    @Option(names = "--metric", paramLabel = "NAME<=VALUE", description = "any metric budget as an expression (quote "
            + "it), e.g. 'latency_p95_ms<=200' or 'throughput_tokens_per_sec>=300' (repeatable)")
    List<String> expressions;

    BudgetInput input() {
        return new BudgetInput(latencyMs, ttftMs, minThroughput, maxFailureRate, expressions, max, min, profile);
    }
}
