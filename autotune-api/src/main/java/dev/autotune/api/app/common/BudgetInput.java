package dev.autotune.api.app.common;

import java.util.List;
import java.util.Objects;

/**
 * The budgets a user typed, as typed: the CLI's options and the HTTP parameters carry the same ones, and the
 * application parses them once ({@link Inputs#budgets}). Null or blank means not given.
 *
 * @param metrics expressions such as {@code latency_p95_ms<=200}
 * @param max     upper bounds without shell quoting: {@code tpot_ms=10} means {@code tpot_ms<=10}
 * @param min     lower bounds: {@code throughput_tokens_per_sec=300} means {@code throughput_tokens_per_sec>=300}
 * @param profile the name of a saved budget profile whose budgets apply, each replaced by a budget given here on the
 *                same metric in the same direction
 */
public record BudgetInput(String latencyBudgetMs, String ttftBudgetMs, String minThroughputTokensPerSec,
                          String maxFailureRate, List<String> metrics, List<String> max, List<String> min,
                          String profile) {
    public static final BudgetInput NONE = new BudgetInput(null, null, null, null, List.of());

    public BudgetInput {
        metrics = given(metrics);
        max = given(max);
        min = given(min);
    }

    /** The five budgets every adapter had before the quoting-free forms and profiles. */
    public BudgetInput(String latencyBudgetMs, String ttftBudgetMs, String minThroughputTokensPerSec,
                       String maxFailureRate, List<String> metrics) {
        this(latencyBudgetMs, ttftBudgetMs, minThroughputTokensPerSec, maxFailureRate, metrics, null, null, null);
    }

    /** Whether any budget or profile was given at all. */
    public boolean isGiven() {
        return !(blank(latencyBudgetMs) && blank(ttftBudgetMs) && blank(minThroughputTokensPerSec)
                && blank(maxFailureRate) && blank(profile) && metrics.stream().allMatch(BudgetInput::blank)
                && max.stream().allMatch(BudgetInput::blank) && min.stream().allMatch(BudgetInput::blank));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static List<String> given(List<String> texts) {
        return texts == null ? List.of() : texts.stream().filter(Objects::nonNull).toList();
    }
}
