package dev.autotune.api.app;

import java.util.List;
import java.util.Objects;

/**
 * The budgets a user typed, as typed: the CLI's options and the HTTP parameters carry the same five, and the
 * application parses them once ({@link Inputs#budgets}). Null or blank means not given.
 *
 * @param metrics expressions such as {@code latency_p95_ms<=200}
 */
public record BudgetInput(String latencyBudgetMs, String ttftBudgetMs, String minThroughputTokensPerSec,
                          String maxFailureRate, List<String> metrics) {
    public static final BudgetInput NONE = new BudgetInput(null, null, null, null, List.of());

    public BudgetInput {
        metrics = metrics == null ? List.of() : metrics.stream().filter(Objects::nonNull).toList();
    }
}
