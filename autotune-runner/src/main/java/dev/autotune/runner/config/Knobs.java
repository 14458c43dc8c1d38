package dev.autotune.runner.config;

import org.tomlj.TomlTable;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Knob naming, identical to the action names CloudAI's DSE writes into {@code trajectory.csv}:
 * <ul>
 *   <li>{@code cmd_args} leaves lose the {@code cmd_args.} prefix: {@code [cmd_args.decode] max_num_batched_tokens}
 *       is {@code decode.max_num_batched_tokens}; {@code [cmd_args] model} is {@code model};</li>
 *   <li>{@code extra_env_vars} keep their prefix: {@code extra_env_vars.CUDA_VISIBLE_DEVICES};</li>
 *   <li>the node count is {@code NUM_NODES};</li>
 *   <li>{@code bench_cmd_args} keep their prefix: {@code bench_cmd_args.max_concurrency}. CloudAI does not sweep
 *       them, but they shape the measurement (concurrency, number of prompts) as much as any serving knob.</li>
 * </ul>
 * Nested keys are joined with dots like CloudAI's {@code flatten_dict}; arrays are leaves (a list-valued knob in a
 * scenario is a sweep).
 */
public final class Knobs {
    public static final String EXTRA_ENV_PREFIX = "extra_env_vars.";
    public static final String NUM_NODES = "NUM_NODES";
    public static final String BENCH_PREFIX = "bench_cmd_args.";

    private Knobs() {
    }

    /**
     * The knobs of a (possibly partial) test definition in plain Java nested form: its {@code cmd_args},
     * {@code extra_env_vars} and {@code bench_cmd_args}, named as above. {@code num_nodes} is added when given.
     */
    public static Map<String, Object> of(Map<?, ?> cmdArgs, Map<?, ?> extraEnvVars, Map<?, ?> benchCmdArgs,
                                         Object numNodes) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (cmdArgs != null) {
            out.putAll(Flattener.flatten(cmdArgs));
        }
        if (extraEnvVars != null) {
            Flattener.flatten(extraEnvVars).forEach((k, v) -> out.put(EXTRA_ENV_PREFIX + k, v));
        }
        if (benchCmdArgs != null) {
            Flattener.flatten(benchCmdArgs).forEach((k, v) -> out.put(BENCH_PREFIX + k, v));
        }
        if (numNodes != null) {
            out.put(NUM_NODES, TomlValues.toJava(numNodes));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The name an experiment records for a value at {@code path} inside a test definition (how a search space
     * names it): {@code cmd_args.decode.tp} is {@code decode.tp}, {@code num_nodes} is {@code NUM_NODES}, and
     * {@code extra_env_vars.X} and any other path keep their name.
     */
    public static String recordedName(String path) {
        if (path.startsWith("cmd_args.")) {
            return path.substring("cmd_args.".length());
        }
        return path.equals("num_nodes") ? NUM_NODES : path;
    }

    /** The knobs of a CloudAI {@code [test_definition]} table (as found in {@code test-run.toml}). */
    public static Map<String, Object> ofTestDefinition(TomlTable testDefinition, Object numNodes) {
        Map<?, ?> cmd = testDefinition.get("cmd_args") instanceof TomlTable t ? (Map<?, ?>) TomlValues.toJava(t) : null;
        Map<?, ?> env = testDefinition.get("extra_env_vars") instanceof TomlTable t
                ? (Map<?, ?>) TomlValues.toJava(t) : null;
        Map<?, ?> bench = testDefinition.get("bench_cmd_args") instanceof TomlTable t
                ? (Map<?, ?>) TomlValues.toJava(t) : null;
        return of(cmd, env, bench, numNodes);
    }
}
