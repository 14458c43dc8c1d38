package dev.autotune.runner.cloudai;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PyLiteralAndTrajectoryTest {
    @TempDir
    Path tmp;

    @Test
    void pythonReprsOfPlainData() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("decode.max_num_batched_tokens", 1024L);
        expected.put("extra_env_vars.FOO", "a");
        expected.put("flag", true);
        expected.put("off", false);
        expected.put("none", null);
        expected.put("ratio", 0.9);
        expected.put("tiny", 1e-05);
        expected.put("neg", -3L);
        expected.put("list", List.of(1L, "x", List.of(2.5)));
        expected.put("tuple", List.of(1L, 2L));
        expected.put("quote", "it's \"here\"\n\tok");
        expected.put("NUM_NODES", 2L);
        Map<String, Object> parsed = PyLiteral.parseDict("{'decode.max_num_batched_tokens': 1024, "
                + "'extra_env_vars.FOO': 'a', 'flag': True, 'off': False, 'none': None, 'ratio': 0.9, "
                + "'tiny': 1e-05, 'neg': -3, 'list': [1, 'x', [2.5]], 'tuple': (1, 2), "
                + "'quote': \"it's \\\"here\\\"\\n\\tok\", \"NUM_NODES\": 2}");
        assertThat(parsed).containsExactlyEntriesOf(expected);
        assertThat(PyLiteral.parse("[1672.0, 418.0]")).isEqualTo(List.of(1672.0, 418.0));
        assertThat(PyLiteral.parse("inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat((Double) PyLiteral.parse("nan")).isNaN();
        assertThat(PyLiteral.parse("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(PyLiteral.parse("'\\x41\\u00e9'")).isEqualTo("Aé");
        assertThat(PyLiteral.parse("{}")).isEqualTo(Map.of());
        assertThat(PyLiteral.parse("[1, 2,]")).isEqualTo(List.of(1L, 2L));
        assertThat(PyLiteral.parse("123456789012345678901234567890")).isEqualTo(1.2345678901234568e29);
    }

    @Test
    void malformedReprsAreErrors() {
        for (String bad : List.of("{'a': 1", "{'a' 1}", "[1 2]", "'open", "nope", "{'a': 1} x", "")) {
            assertThatThrownBy(() -> PyLiteral.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not a Python literal:");
        }
        assertThatThrownBy(() -> PyLiteral.parseDict("[1]")).hasMessageContaining("expected a dict");
        assertThatThrownBy(() -> PyLiteral.parse("[".repeat(100_000))).hasMessageContaining("levels deep");
        assertThat(PyLiteral.parse("[".repeat(50) + "]".repeat(50))).isInstanceOf(List.class);
    }

    @Test
    void realTrajectoriesFromCloudai() throws Exception {
        Trajectory vllm = Trajectory.read(FakeCloudai.resource(
                "cloudai-fixtures/real_cli_runs/fake_slurm_vllm_dse/vllm.dse.1node/0/trajectory.csv"));
        assertThat(vllm.problems()).isEmpty();
        assertThat(vllm.rows()).extracting(Trajectory.Row::step).containsExactly(1, 2, 3);
        assertThat(vllm.step(2).action()).containsExactly(Map.entry("decode.max_num_batched_tokens", 2048L));
        assertThat(vllm.step(2).reward()).isEqualTo(2184.0);
        assertThat(vllm.step(2).observation()).containsExactly(2184.0, 546.0);

        Trajectory sleep = Trajectory.read(FakeCloudai.resource(
                "cloudai-fixtures/real_cli_runs/standalone_sleep_dse/dse.sleep/0/trajectory.csv"));
        assertThat(sleep.rows()).hasSize(4);
        assertThat(sleep.step(3).action()).containsExactly(Map.entry("extra_env_vars.FOO", "b"),
                Map.entry("extra_env_vars.BAR", "x"));
        assertThat(sleep.step(3).observation()).containsExactly(-1.0);

        Trajectory unit = Trajectory.read(FakeCloudai.resource(
                "cloudai-fixtures/extracted_from_tests/trajectory/trajectory.csv"));
        assertThat(unit.step(1).action()).containsExactly(Map.entry("x", 1L));
    }

    @Test
    void oddRowsAreReportedNotFatal() throws Exception {
        Path csv = tmp.resolve("trajectory.csv");
        Files.writeString(csv, """
                step,action,reward,observation
                1,"{'a': ""it's"", 'b': None, 'c': True}",0.5,"[1.0, -1.0]"
                two,{'a': 1},1.0,[1.0]
                3,{'a': 1,1.0,[1.0]
                4,"{'a': [1, 2]}",,
                """);
        Trajectory t = Trajectory.read(csv);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", "it's");
        expected.put("b", null);
        expected.put("c", true);
        assertThat(t.step(1).action()).containsExactlyEntriesOf(expected);
        assertThat(t.step(4).action()).containsEntry("a", List.of(1L, 2L));
        assertThat(t.step(4).reward()).isNull();
        assertThat(t.rows()).hasSize(2);
        assertThat(t.problems()).hasSize(2).allSatisfy(p -> assertThat(p).startsWith(csv.toString()));
        assertThat(Arrays.asList(t.problems().get(0).split(" line "))).hasSize(2);
    }
}
