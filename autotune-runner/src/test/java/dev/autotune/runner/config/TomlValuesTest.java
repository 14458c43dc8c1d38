package dev.autotune.runner.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TomlValuesTest {

    @Test
    void textIsTypedAsATomlValue() {
        assertThat(TomlValues.parse("8")).isEqualTo(8L);
        assertThat(TomlValues.parse("-3")).isEqualTo(-3L);
        assertThat(TomlValues.parse("1_000")).isEqualTo(1000L);
        assertThat(TomlValues.parse("0.9")).isEqualTo(0.9);
        assertThat(TomlValues.parse("1e3")).isEqualTo(1000.0);
        assertThat(TomlValues.parse("true")).isEqualTo(true);
        assertThat(TomlValues.parse("false")).isEqualTo(false);
        assertThat(TomlValues.parse("\"x\"")).isEqualTo("x");
        assertThat(TomlValues.parse("'lit\\eral'")).isEqualTo("lit\\eral");
        assertThat(TomlValues.parse("\"8\"")).isEqualTo("8");
        assertThat(TomlValues.parse("[1, 2]")).isEqualTo(List.of(1L, 2L));
        assertThat(TomlValues.parse("[\"a\", 'b']")).isEqualTo(List.of("a", "b"));
        assertThat(TomlValues.parse("{a = 1, b = \"c\"}")).isEqualTo(Map.of("a", 1L, "b", "c"));
        assertThat(TomlValues.parse("  8  ")).isEqualTo(8L);
    }

    @Test
    void bareWordsAreStrings() {
        assertThat(TomlValues.parse("x")).isEqualTo("x");
        assertThat(TomlValues.parse("Qwen/Qwen3-0.6B")).isEqualTo("Qwen/Qwen3-0.6B");
        assertThat(TomlValues.parse("0,1,2,3")).isEqualTo("0,1,2,3");
        assertThat(TomlValues.parse("True")).isEqualTo("True");
        assertThat(TomlValues.parse("1.2.3")).isEqualTo("1.2.3");
        assertThat(TomlValues.parse("")).isEqualTo("");
    }

    @Test
    void malformedStringsArraysAndTablesAreErrors() {
        for (String bad : List.of("\"abc", "[1, 2", "{a = ", "'x", "[1, 2] x", "1\nw = 2")) {
            assertThatThrownBy(() -> TomlValues.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a valid TOML value")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void theExistingTypeWinsWhereTheTextAllows() {
        assertThat(TomlValues.parseFor(4L, "8")).isEqualTo(8L);
        assertThat(TomlValues.parseFor("4", "8")).isEqualTo("8");
        assertThat(TomlValues.parseFor("all", "none")).isEqualTo("none");
        assertThat(TomlValues.parseFor("00:10:00", "00:20:00")).isEqualTo("00:20:00");
        assertThat(TomlValues.parseFor("on", "true")).isEqualTo("true");
        assertThat(TomlValues.parseFor(1.0, "2")).isEqualTo(2.0);
        assertThat(TomlValues.parseFor(4L, "8.0")).isEqualTo(8L);
        assertThat(TomlValues.parseFor(true, "False")).isEqualTo(false);
        assertThat(TomlValues.parseFor(4L, "[4, 8]")).isEqualTo(List.of(4L, 8L));
        assertThat(TomlValues.parseFor(List.of(4L, 8L), "4")).isEqualTo(4L);
        assertThat(TomlValues.parseFor(List.of("a", "b"), "c")).isEqualTo("c");
        assertThat(TomlValues.parseFor(4L, "\"eight\"")).isEqualTo("eight");
        assertThat(TomlValues.parseFor(null, "8")).isEqualTo(8L);
    }

    @Test
    void textThatDoesNotFitTheExistingTypeIsAnError() {
        assertThatThrownBy(() -> TomlValues.parseFor(4L, "eight"))
                .hasMessage("'eight' is not a valid integer (the existing value is an integer; quote it to force a"
                        + " string)");
        assertThatThrownBy(() -> TomlValues.parseFor(4L, "8.5")).hasMessageContaining("is a float");
        assertThatThrownBy(() -> TomlValues.parseFor(true, "yes")).hasMessageContaining("not a valid boolean");
        assertThatThrownBy(() -> TomlValues.parseFor(0.5, "half")).hasMessageContaining("not a valid float");
        assertThatThrownBy(() -> TomlValues.parseFor(4L, "true")).hasMessageContaining("not a valid integer");
        assertThatThrownBy(() -> TomlValues.parseFor(Map.of("a", 1L), "1")).hasMessageContaining("is a table");
    }

    @Test
    void renderIsReadBackAsTheSameValue() {
        for (Object v : List.of(8L, 0.5, true, "a \"quoted\" \\ value\nwith newline", List.of(1L, "x", 2.5),
                Map.of("k", List.of(true)))) {
            assertThat(TomlValues.parse(TomlValues.render(v))).as(String.valueOf(v)).isEqualTo(v);
        }
    }
}
