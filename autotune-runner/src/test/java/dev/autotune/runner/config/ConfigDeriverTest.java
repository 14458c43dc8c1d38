package dev.autotune.runner.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlWriteOptions;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigDeriverTest {
    @TempDir
    Path tmp;
    final ConfigDeriver deriver = new ConfigDeriver();
    Path vllmScenario;
    Path dynamoTest;
    Path aiconfTest;

    static Path resource(String name) {
        try {
            return Path.of(ConfigDeriverTest.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }

    /** Every real CloudAI TOML copied into the test resources (the invalid upstream-bug file excluded). */
    static Stream<Path> realTomls() throws IOException {
        List<Path> roots = List.of(resource("cloudai-conf"), resource("cloudai-fixtures"));
        return roots.stream().flatMap(r -> {
            try {
                return Files.walk(r).filter(p -> p.toString().endsWith(".toml"))
                        .filter(p -> !p.getFileName().toString().equals("vllm.dse.1node.toml")).sorted().toList()
                        .stream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @BeforeEach
    void setUp() throws IOException {
        vllmScenario = copy("cloudai-conf/experimental/vllm/test_scenario/vllm.toml", "vllm_scenario.toml");
        dynamoTest = copy("cloudai-conf/experimental/ai_dynamo/test/vllm.toml", "dynamo_test.toml");
        aiconfTest = copy("cloudai-conf/experimental/aiconfigurator/test/dse_aiconfigurator_disagg.toml", "aiconf.toml");
    }

    private Path copy(String res, String name) throws IOException {
        return Files.copy(resource(res), tmp.resolve(name));
    }

    @ParameterizedTest
    @MethodSource("realTomls")
    void deriveWithoutOverridesReparsesToAnEqualTable(Path base) throws Exception {
        Path out = tmp.resolve("out.toml");
        ConfigDeriver.Derived d = deriver.derive(base, out, Map.of(), false, false);

        TomlParseResult original = Toml.parse(base);
        TomlParseResult derived = Toml.parse(out);
        assertThat(derived.errors()).isEmpty();
        assertThat(Toml.equals(original, derived)).isTrue();
        assertThat(Flattener.flatten(derived)).isEqualTo(Flattener.flatten(original));
        assertThat(d.sha256()).isEqualTo(Hashing.sha256(out));
        assertThat(d.applied()).isEmpty();
        // tomlj 2.2.0 writes source-preserving, so even comments survive
        assertThat(Files.readString(out)).isEqualTo(Files.readString(base));

        // and tomlj's writer, when it has to lay a table out from scratch (what happens to edited parts), is correct
        TomlParseResult fresh = Toml.parse(base);
        fresh.reformat(TomlWriteOptions.Keep.NOTHING);
        String text = fresh.toToml();
        TomlParseResult reparsed = Toml.parse(text);
        assertThat(reparsed.errors()).isEmpty();
        assertThat(Toml.equals(original, reparsed)).as(text).isTrue();
    }

    @Test
    void overridesKeepTheirTomlTypesAndEverythingElseSurvives() throws Exception {
        Path out = tmp.resolve("derived.toml");
        Map<String, String> o = new LinkedHashMap<>();
        o.put("Tests.1.cmd_args.decode.tensor_parallel_size", "8");
        o.put("Tests.1.cmd_args.decode.max_num_batched_tokens", "[1024, 2048]");
        o.put("Tests.1.cmd_args.decode.enforce_eager", "yes");
        o.put("Tests.1.extra_env_vars.CUDA_VISIBLE_DEVICES", "0,1");
        o.put("Tests.1.time_limit", "00:20:00");
        o.put("Tests.1.num_nodes", "2");
        o.put("Tests.1.cmd_args.decode.gpu_memory_utilization", "0.9");
        o.put("Tests.1.cmd_args.decode.served_model_name", "\"8\"");
        o.put("Tests.1.cmd_args.decode.enable_prefix_caching", "true");
        ConfigDeriver.Derived d = deriver.derive(vllmScenario, out, o, true, false);

        TomlParseResult t = Toml.parse(out);
        assertThat(t.errors()).isEmpty();
        TomlArray tests = t.getArray("Tests");
        assertThat(tests.size()).isEqualTo(5);
        var decode = tests.getTable(1).getTable("cmd_args.decode");
        assertThat(decode.get("tensor_parallel_size")).isEqualTo(8L);
        assertThat(decode.getArray("max_num_batched_tokens").toList()).containsExactly(1024L, 2048L);
        assertThat(decode.get("enforce_eager")).isEqualTo("yes");
        assertThat(decode.get("gpu_memory_utilization")).isEqualTo(0.9);
        assertThat(decode.get("served_model_name")).isEqualTo("8");
        assertThat(decode.get("enable_prefix_caching")).isEqualTo(true);
        assertThat(tests.getTable(1).get("extra_env_vars.CUDA_VISIBLE_DEVICES")).isEqualTo("0,1");
        assertThat(tests.getTable(1).get("time_limit")).isEqualTo("00:20:00");
        assertThat(tests.getTable(1).get("num_nodes")).isEqualTo(2L);
        assertThat(d.applied()).containsEntry("Tests.1.cmd_args.decode.tensor_parallel_size", 8L)
                .containsEntry("Tests.1.cmd_args.decode.max_num_batched_tokens", List.of(1024L, 2048L))
                .containsEntry("Tests.1.time_limit", "00:20:00");

        // every other key and table is unchanged
        Map<String, Object> before = new LinkedHashMap<>(Flattener.flatten(Toml.parse(vllmScenario)));
        Map<String, Object> after = Flattener.flatten(t);
        assertThat(((List<?>) after.get("Tests")).get(0)).isEqualTo(((List<?>) before.get("Tests")).get(0));
        for (int i : new int[] {0, 2, 3, 4}) {
            assertThat(TomlValues.toJava(tests.getTable(i))).isEqualTo(TomlValues.toJava(
                    Toml.parse(vllmScenario).getArray("Tests").getTable(i)));
        }
        assertThat(t.get("name")).isEqualTo("vllm");
        // the SPDX comment block of the base is still there
        assertThat(Files.readString(out)).startsWith("# SPDX-FileCopyrightText: NVIDIA CORPORATION & AFFILIATES");
    }

    @Test
    void floatsBooleansAndArraysOfTablesKeepTheirShape() throws Exception {
        Path out = tmp.resolve("d.toml");
        deriver.derive(dynamoTest, out, Map.of(
                "cmd_args.aiperf.health-check-between-phases", "False",
                "cmd_args.aiperf_phases.1.args.concurrency", "16",
                "cmd_args.dynamo.prefill_worker.args.gpu-memory-utilization", "1",
                "extra_env_vars.UCX_TLS", "rc,cuda_copy"), false, false);
        TomlParseResult t = Toml.parse(out);
        assertThat(t.errors()).isEmpty();
        assertThat(t.get("cmd_args.aiperf.health-check-between-phases")).isEqualTo(false);
        assertThat(t.get("cmd_args.dynamo.prefill_worker.args.gpu-memory-utilization")).isEqualTo(1.0);
        assertThat(t.get("extra_env_vars.UCX_TLS")).isEqualTo("rc,cuda_copy");
        TomlArray phases = t.getArray("cmd_args.aiperf_phases");
        assertThat(phases.size()).isEqualTo(2);
        assertThat(phases.getTable(0).get("args.concurrency")).isEqualTo(2L);
        assertThat(phases.getTable(0).get("name")).isEqualTo("round_1");
        assertThat(phases.getTable(1).get("args.concurrency")).isEqualTo(16L);
        assertThat(phases.getTable(1).get("args.streaming")).isEqualTo(false);
        // the multi-line literal string survived
        assertThat(t.getString("cmd_args.aiperf_accuracy.cli")).contains("--accuracy-benchmark mmlu\n");

        Path out2 = tmp.resolve("d2.toml");
        deriver.derive(aiconfTest, out2, Map.of("cmd_args.disagg.prefill_correction_scale", "2",
                "cmd_args.disagg.p_workers", "[1, 2, 4]"), false, false);
        TomlParseResult t2 = Toml.parse(out2);
        assertThat(t2.get("cmd_args.disagg.prefill_correction_scale")).isEqualTo(2.0);
        assertThat(t2.getArray("cmd_args.disagg.p_workers").toList()).containsExactly(1L, 2L, 4L);
    }

    @Test
    void keysThatNeedQuotingAndStringsThatNeedEscaping() throws Exception {
        Path base = tmp.resolve("base.toml");
        Files.writeString(base, "[\"a b\"]\n\"c.d\" = 1\n[t]\ns = \"x\"\n");
        Path out = tmp.resolve("o.toml");
        deriver.derive(base, out, Map.of("\"a b\".\"c.d\"", "2", "t.s", "\"tab\\there \\\"q\\\" back\\\\ é\"",
                "t.new key", "1"), true, false);
        TomlParseResult t = Toml.parse(out);
        assertThat(t.errors()).isEmpty();
        assertThat(t.get(List.of("a b", "c.d"))).isEqualTo(2L);
        assertThat(t.get(List.of("t", "s"))).isEqualTo("tab\there \"q\" back\\ é");
        assertThat(t.get(List.of("t", "new key"))).isEqualTo(1L);
    }

    @Test
    void aMissingKeyNeedsCreate() throws Exception {
        Path out = tmp.resolve("o.toml");
        assertThatThrownBy(() -> deriver.derive(vllmScenario, out, Map.of("Tests.0.cmd_args.decode.new_knob", "1"),
                false, false))
                .isInstanceOf(ConfigException.class)
                .hasMessage(vllmScenario + ": key 'Tests.0.cmd_args.decode.new_knob': does not exist (derive --create"
                        + " adds it)");
        assertThat(out).doesNotExist();
        assertThatThrownBy(() -> deriver.derive(vllmScenario, out, Map.of("serving.batch_size", "4"), false, false))
                .hasMessage(vllmScenario + ": key 'serving.batch_size': 'serving' does not exist (derive --create adds"
                        + " it)");

        deriver.derive(vllmScenario, out, Map.of("serving.batch_size", "4"), true, false);
        assertThat(Toml.parse(out).get("serving.batch_size")).isEqualTo(4L);
    }

    @Test
    void anExistingOutputNeedsForce() throws Exception {
        Path out = tmp.resolve("o.toml");
        Files.writeString(out, "keep = 1\n");
        assertThatThrownBy(() -> deriver.derive(vllmScenario, out, Map.of(), false, false))
                .isInstanceOf(ConfigException.class)
                .hasMessage(out + ": already exists; pass --force to overwrite it");
        assertThat(Files.readString(out)).isEqualTo("keep = 1\n");

        deriver.derive(vllmScenario, out, Map.of("Tests.0.num_nodes", "8"), false, true);
        assertThat(Toml.parse(out).getArray("Tests").getTable(0).get("num_nodes")).isEqualTo(8L);
    }

    @Test
    void badValuesAndPathsAreOneLineErrorsNamingFileAndKey() {
        Path out = tmp.resolve("o.toml");
        record Case(String key, String value, String message) {
        }
        List<Case> cases = List.of(
                new Case("Tests.0.num_nodes", "[1, 2", "'[1, 2' is not a valid TOML value"),
                new Case("Tests.0.num_nodes", "\"four", "'\"four' is not a valid TOML value"),
                new Case("Tests.0.num_nodes", "four", "'four' is not a valid integer"),
                new Case("Tests.0.num_nodes", "4.5", "'4.5' is a float but the existing value is an integer"),
                new Case("name.sub", "1", "'name' is a string, not a table, so it has no sub-keys"),
                new Case("Tests.0.time_limit.x", "1", "'Tests.0.time_limit' is a string, not a table"),
                new Case("Tests.cmd_args.decode.x", "1", "'Tests' is an array of tables; index it with a number"),
                new Case("Tests.9.num_nodes", "1", "index 9 is out of range: 'Tests' has 5 entries"),
                new Case("Tests.0.cmd_args", "1", "is a table"),
                new Case("Tests", "1", "is an array of tables"),
                new Case("a..b", "1", "not a valid dotted key"));
        for (Case c : cases) {
            assertThatThrownBy(() -> deriver.derive(vllmScenario, out, Map.of(c.key(), c.value()), true, false))
                    .as(c.key() + "=" + c.value())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(vllmScenario + ": key '" + c.key() + "': ")
                    .hasMessageContaining(c.message())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
                    .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(c.key()));
        }
        assertThat(out).doesNotExist();
    }

    @Test
    void invalidOrMissingBaseIsAnError() throws IOException {
        Path broken = Files.copy(resource(
                "cloudai-fixtures/real_cli_runs/fake_slurm_vllm_dse/vllm.dse.1node/0/vllm.dse.1node.toml"),
                tmp.resolve("vllm.dse.1node.toml"));
        assertThatThrownBy(() -> deriver.derive(broken, tmp.resolve("o.toml"), Map.of(), false, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(broken + ": invalid TOML at line 14, column 30: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> deriver.derive(tmp.resolve("nope.toml"), tmp.resolve("o.toml"), Map.of(), false,
                false)).hasMessage(tmp.resolve("nope.toml") + ": file does not exist");
        Path binary = tmp.resolve("bin.toml");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> deriver.derive(binary, tmp.resolve("o.toml"), Map.of(), false, false))
                .hasMessageContaining("not UTF-8");
        assertThat(Files.readString(broken, StandardCharsets.UTF_8)).contains("PosixPath(");
    }
}
