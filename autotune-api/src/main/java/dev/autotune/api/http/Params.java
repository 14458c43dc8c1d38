package dev.autotune.api.http;

import dev.autotune.api.app.common.BudgetInput;
import io.javalin.http.Context;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reading query parameters into typed values, each failure a 400 that names the parameter. Unknown parameters
 * are refused too: a misspelt budget must not silently check nothing.
 */
final class Params {
    /** The budget parameters of check, recommendation, export and diff; the same budgets as the CLI's options. */
    static final Set<String> BUDGETS = Set.of("latency_budget_ms", "ttft_budget_ms", "min_throughput_tokens_per_sec",
            "max_failure_rate", "metric", "max", "min", "budget");

    private Params() {
    }

    /** Refuses any query parameter not in {@code allowed}. */
    static void only(Context ctx, Set<String> allowed) {
        Set<String> unknown = new TreeSet<>(ctx.queryParamMap().keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            String name = unknown.iterator().next();
            throw HttpProblem.badRequest(name, "unknown parameter '" + name + "'; this endpoint takes "
                    + String.join(", ", new TreeSet<>(allowed)));
        }
    }

    static Set<String> with(Set<String> a, String... more) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(List.of(more));
        return all;
    }

    /** The trimmed value, or null when absent or blank. */
    static String text(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** A true/false parameter; absent is false, anything but true or false is a 400 naming it. */
    static boolean flag(Context ctx, String name) {
        String v = text(ctx, name);
        if (v == null || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw HttpProblem.badRequest(name, "'" + name + "' must be true or false, got '" + v + "'");
    }

    static String required(Context ctx, String name) {
        String v = text(ctx, name);
        if (v == null) {
            throw HttpProblem.badRequest(name, "'" + name + "' is required");
        }
        return v;
    }

    static List<String> all(Context ctx, String name) {
        return ctx.queryParams(name).stream().filter(v -> !v.isBlank()).map(String::trim).toList();
    }

    static int integer(Context ctx, String name, int fallback, int min, int max) {
        String v = text(ctx, name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw HttpProblem.badRequest(name, "'" + name + "' must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest(name, "'" + name + "' must be a whole number, got '" + v + "'");
        }
    }

    /** The budget parameters as given; the application parses them and names the one that is wrong. */
    static BudgetInput budgets(Context ctx) {
        return new BudgetInput(text(ctx, "latency_budget_ms"), text(ctx, "ttft_budget_ms"),
                text(ctx, "min_throughput_tokens_per_sec"), text(ctx, "max_failure_rate"), all(ctx, "metric"),
                all(ctx, "max"), all(ctx, "min"), text(ctx, "budget"));
    }
}
