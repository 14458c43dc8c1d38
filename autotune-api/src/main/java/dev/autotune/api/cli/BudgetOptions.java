package dev.autotune.api.cli;

import dev.autotune.api.app.UserError;
import dev.autotune.domain.Budget;
import dev.autotune.domain.Metric;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The budget options shared by check, recommend, export and demo. */
final class BudgetOptions {
    @Option(names = "--latency-budget-ms", paramLabel = "N", description = "mean end-to-end latency must be <= N ms")
    Double latencyMs;

    @Option(names = "--ttft-budget-ms", paramLabel = "N", description = "mean time to first token must be <= N ms")
    Double ttftMs;

    @Option(names = "--min-throughput-tokens-per-sec", paramLabel = "N", description = "output throughput must be >= N tok/s")
    Double minThroughput;

    @Option(names = "--max-failure-rate", paramLabel = "X", description = "failed/total requests must be <= X (0..1)")
    Double maxFailureRate;

    @Option(names = "--metric", paramLabel = "NAME<=VALUE", description = "any metric budget, e.g. latency_p95_ms<=200 "
            + "or throughput_tokens_per_sec>=300 (repeatable)")
    List<String> expressions;

    List<Budget> budgets() {
        List<Budget> out = new ArrayList<>();
        try {
            if (latencyMs != null) {
                out.add(Budget.atMost(Metric.LATENCY_MS, latencyMs));
            }
            if (ttftMs != null) {
                out.add(Budget.atMost(Metric.TTFT_MS, ttftMs));
            }
            if (minThroughput != null) {
                out.add(Budget.atLeast(Metric.THROUGHPUT_TOKENS_PER_SEC, minThroughput));
            }
            if (maxFailureRate != null) {
                out.add(Budget.atMost(Metric.FAILURE_RATE, maxFailureRate));
            }
            for (String e : expressions == null ? List.<String>of() : expressions) {
                out.add(Budget.parse(e));
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        return out;
    }
}
