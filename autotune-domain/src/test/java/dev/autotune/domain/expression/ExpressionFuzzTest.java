package dev.autotune.domain.expression;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.Where;
import dev.autotune.domain.search.Expression;
import dev.autotune.domain.search.SpaceError;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Coverage-guided fuzz target for the expression language, as the list filter ({@code --where}, {@code where=}) and
 * a space's constraints parse it. Whatever the text, parsing ends in a result or in the language's own one-line error
 * ({@link Where.Invalid}, {@link SpaceError}) of bounded length, and evaluating a parsed expression ends in a value or
 * an {@link IllegalArgumentException} naming the expression (under 1,500 characters whatever the input: the
 * longest is the list of metric names an unknown one gets): never a StackOverflowError, an arithmetic or index
 * exception, or anything else. Seeds: the filters and constraints of the docs and tests. In `mvn verify` the seeds
 * run once; {@code .ci/fuzz ExpressionFuzzTest#parse} mutates them.
 */
class ExpressionFuzzTest {
    static final List<String> KNOBS = List.of("serve.tensor_parallel_size", "serve.pp", "kv_cache_dtype");
    static final ExperimentSummary ROW = new ExperimentSummary(1, "exp-1", "chat", "vllm", ExperimentStatus.COMPLETED,
            "ingest", null, new TreeMap<>(Map.of("serve.tensor_parallel_size", 2L, "kv_cache_dtype", "fp8")),
            new TreeMap<>(Map.of("ttft_ms", 40.0)), null, Instant.parse("2026-11-02T10:00:00Z"), null, null,
            new TreeMap<>(Map.of("gpu", "H100")), null, null, null);
    static final Map<String, Object> CONFIG = Map.of("serve.tensor_parallel_size", 4L, "serve.pp", 2L,
            "kv_cache_dtype", "auto");

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void parse(@NotNull String text) {
        Where where = null;
        try {
            where = Where.parse(text, KNOBS);
        } catch (Where.Invalid e) {
            oneShortLine(e.getMessage());
        }
        if (where != null) {
            try {
                where.test(ROW);
            } catch (IllegalArgumentException e) {
                oneShortLine(e.getMessage());
            }
        }
        Expression constraint = null;
        try {
            constraint = Expression.parse(text, "constraints[0]", KNOBS);
        } catch (SpaceError e) {
            oneShortLine(e.getMessage());
        }
        if (constraint != null) {
            try {
                constraint.evaluate(CONFIG);
            } catch (IllegalArgumentException e) {
                oneShortLine(e.getMessage());
            }
        }
    }

    private static void oneShortLine(String message) {
        if (message == null || message.contains("\n") || message.contains("\r") || message.length() > 1_500) {
            throw new AssertionError("not one short line: " + (message == null ? null
                    : message.substring(0, Math.min(200, message.length()))));
        }
    }

    static Stream<Arguments> seeds() {
        return Stream.of("knob.tensor_parallel_size >= 2 and metric.ttft_ms < 50 and tag.gpu = 'H100'",
                "tag.gpu == \"A100\" or (knob.tp = 1 and not metric.ttft_ms > 35)",
                "recorded < 2026-11-05T00:00:00Z and status = 'completed'",
                "serve.tensor_parallel_size * serve.pp <= 8", "!(kv_cache_dtype == 'fp8') || -serve.pp < -1",
                "((((serve.pp))))/0 > 1e308 * 10").map(s -> arguments(s));
    }
}
