package dev.autotune.domain.expression;

import dev.autotune.domain.query.Where;
import dev.autotune.domain.search.Expression;
import dev.autotune.domain.search.SpaceError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every expression (list filters, space constraints) is bounded at parse time: deep nesting, long chains and huge
 * text are one short error naming the limit, never a StackOverflowError; what is accepted evaluates within the stack.
 */
class FormulaLimitsTest {
    static final List<String> KNOBS = List.of("a", "b");

    static String repeat(String s, int n) {
        return s.repeat(n);
    }

    /** The inputs the security review sent, and each one a little past the limits. */
    static final List<String> HOSTILE = List.of(
            repeat("(", 10_000) + "a > 1" + repeat(")", 10_000),
            repeat("(", 1_300) + "a > 1" + repeat(")", 1_300),
            repeat("!", 50_000) + "a > 1",
            repeat("not ", 65) + "a > 1",
            repeat("-", 65) + "a > 1",
            "a > " + repeat("1 + ", 100_000) + "1",
            repeat("a > 1 && ", 30_000) + "a > 1",
            "a > " + repeat("1 + ", 600) + "1");

    @Test
    void aListFilterPastTheLimitsIsOneShortError() {
        for (String text : HOSTILE) {
            Throwable e = catchThrowable(() -> Where.parse(text, KNOBS));
            assertThat(e).as(text.substring(0, 20)).isInstanceOf(Where.Invalid.class);
            assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(200)
                    .containsAnyOf("nests deeper than 64", "more than 1000 terms", "longer than 10000");
        }
    }

    @Test
    void aSpaceConstraintPastTheLimitsIsOneShortErrorNamingItsField() {
        for (String text : HOSTILE) {
            Throwable e = catchThrowable(() -> Expression.parse(text, "constraints[0]", KNOBS));
            assertThat(e).isInstanceOf(SpaceError.class);
            assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(300);
        }
    }

    @Test
    void whatTheLimitsAcceptEvaluatesWithoutOverflowingTheStack() throws Exception {
        // the longest chain accepted, evaluated on a thread with a small stack
        String chain = "a > " + repeat("1 + ", 498) + "1";
        String nested = repeat("(", 63) + "a > 1" + repeat(")", 63);
        Object[] out = new Object[2];
        Thread t = new Thread(null, () -> {
            out[0] = Expression.parse(chain, "c", KNOBS).test(Map.of("a", 1000L, "b", 1L));
            out[1] = Expression.parse(nested, "c", KNOBS).test(Map.of("a", 2L, "b", 1L));
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        assertThat(out).containsExactly(true, true);
    }
}
