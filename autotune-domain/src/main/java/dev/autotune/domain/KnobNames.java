package dev.autotune.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One name per knob. The same physical knob reaches the event log under several keys, depending on what recorded
 * it: {@code --set cmd_args.serve.tensor_parallel_size=8} or a test TOML ({@code cmd_args.*} paths),
 * {@code run}/{@code tune} from CloudAI's resolved {@code test-run.toml} ({@code serve.tensor_parallel_size},
 * {@code bench_cmd_args.max_concurrency}, {@code NUM_NODES}), and a report's load fact ({@code concurrency}).
 * Events keep the key as recorded; every view, study, recommendation, chart and export works on
 * {@link #canonical(String) the canonical knob}, and a name a person types ({@code tp}, {@code max_concurrency},
 * a suffix) is {@link #resolve resolved} to one of the knobs there are. docs/KNOBS.md has the table.
 */
public final class KnobNames {
    /** The canonical knob of the load a benchmark was run with: requests kept in flight. */
    public static final String CONCURRENCY = "concurrency";
    /** The canonical knob of the request rate the load generator was set to. */
    public static final String REQUEST_RATE = "request_rate";
    /** The canonical knob of the node count (CloudAI's DSE action name for {@code num_nodes}). */
    public static final String NUM_NODES = "NUM_NODES";

    /**
     * Recorded keys (after the prefixes are dropped) that are a knob under another name: the load as CloudAI's
     * {@code bench_cmd_args} (what vLLM's and SGLang's bench clients take) and the bare flag name set it, beside the
     * report fact; the node count as a test TOML writes it.
     */
    private static final Map<String, String> SYNONYMS = Map.of(
            "max_concurrency", CONCURRENCY,
            "bench_cmd_args.max_concurrency", CONCURRENCY,
            "bench_cmd_args.concurrency", CONCURRENCY,
            "bench_cmd_args.request_rate", REQUEST_RATE,
            "num_nodes", NUM_NODES);

    /**
     * The short names people write, each with the last path segments it stands for in vLLM, SGLang, TensorRT-LLM
     * and CloudAI test definitions ({@code tp * pp}, {@code --knob tp}, {@code --columns tp,concurrency}).
     */
    public static final Map<String, List<String>> SHORT_NAMES = Map.of(
            "tp", List.of("tensor_parallel_size", "tensor_parallel", "tp_size", "tp_degree"),
            "pp", List.of("pipeline_parallel_size", "pipeline_parallel", "pp_size"),
            "dp", List.of("data_parallel_size", "data_parallel", "dp_size"),
            "ep", List.of("expert_parallel_size", "expert_parallel", "ep_size"),
            "batch", List.of("batch_size", "max_batch_size"),
            "bs", List.of("batch_size", "max_batch_size"));

    private KnobNames() {
    }

    /**
     * The canonical knob a recorded key stands for: {@code test_definition.} and {@code cmd_args.} prefixes dropped
     * (CloudAI's DSE action names, what {@code run} records), {@code num_nodes} as {@code NUM_NODES}, and the load
     * under one name whether a report stated it or {@code bench_cmd_args} set it. Anything else is its own knob.
     */
    public static String canonical(String recorded) {
        String k = recorded;
        if (k.startsWith("test_definition.")) {
            k = k.substring("test_definition.".length());
        }
        if (k.startsWith("cmd_args.")) {
            k = k.substring("cmd_args.".length());
        }
        return SYNONYMS.getOrDefault(k, k);
    }

    /**
     * A recorded config under canonical knobs. When two recorded keys are one knob, the value written under a path
     * ({@code bench_cmd_args.max_concurrency}) wins over the one under the bare knob name ({@code concurrency}, the
     * load a report stated): the config value is what views use; the event keeps both.
     */
    public static Map<String, Object> config(Map<String, ?> recorded) {
        Map<String, Object> out = new TreeMap<>();
        Map<String, Boolean> fromPath = new HashMap<>();
        recorded.forEach((key, value) -> {
            String c = canonical(key);
            boolean path = !c.equals(key);
            if (!out.containsKey(c) || path || !fromPath.get(c)) {
                out.put(c, value);
                fromPath.put(c, path || fromPath.getOrDefault(c, false));
            }
        });
        return out;
    }

    /**
     * The recorded keys of a config that stand for one canonical knob twice, with the values: e.g. the load a report
     * states and the {@code bench_cmd_args.max_concurrency} a config set. Each entry is {@code canonical ->
     * (recorded key -> value)}.
     */
    public static Map<String, Map<String, Object>> sharedKnobs(Map<String, ?> recorded) {
        Map<String, Map<String, Object>> byKnob = new TreeMap<>();
        recorded.forEach((k, v) -> byKnob.computeIfAbsent(canonical(k), x -> new LinkedHashMap<>()).put(k, v));
        byKnob.values().removeIf(m -> m.size() < 2);
        return byKnob;
    }

    /**
     * The load knobs a report's facts state ({@code concurrency}, {@code request_rate}): a view adds them to an
     * experiment's knobs where no config value of that knob was recorded, so a run's measured load and an ingest's
     * are one column; a config value of the knob wins (see {@link #config}).
     */
    public static Map<String, Object> statedLoad(Map<String, ?> facts) {
        Map<String, Object> out = new TreeMap<>();
        for (String k : List.of(CONCURRENCY, REQUEST_RATE)) {
            if (facts != null && facts.get(k) != null) {
                out.put(k, facts.get(k));
            }
        }
        return out;
    }

    /** A parallel size ({@code tp}, {@code pp}, {@code dp}, {@code ep} by name or last segment): a GPU count. */
    public static boolean isParallelSize(String knob) {
        String leaf = leaf(canonical(knob));
        return List.of("tp", "pp", "dp", "ep").stream()
                .anyMatch(s -> s.equals(leaf) || SHORT_NAMES.get(s).contains(leaf));
    }

    /** The last segment of a dotted name. */
    public static String leaf(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** A name's knob: the knob or why there is none. */
    public record Resolved(String knob, String problem) {
        public String orElseThrow(Function<String, RuntimeException> error) {
            if (knob == null) {
                throw error.apply(problem);
            }
            return knob;
        }
    }

    /**
     * The knob a name means among {@code knobs}: the name itself; the one knob with the same canonical name
     * ({@code cmd_args.serve.tensor_parallel_size} for {@code serve.tensor_parallel_size}, {@code concurrency} for
     * {@code max_concurrency}); the one ending in it on a dot boundary; or the one a {@link #SHORT_NAMES short
     * name} stands for. Otherwise the problem, listing what it could be.
     */
    public static Resolved resolve(String name, Collection<String> knobs) {
        List<String> all = new ArrayList<>(knobs);
        if (all.contains(name)) {
            return new Resolved(name, null);
        }
        String c = canonical(name);
        List<String> matches = all.stream().filter(k -> canonical(k).equals(c)).toList();
        if (matches.isEmpty()) {
            matches = all.stream().filter(k -> k.endsWith("." + name) || canonical(k).endsWith("." + c)).toList();
        }
        if (matches.isEmpty() && SHORT_NAMES.containsKey(name)) {
            matches = all.stream().filter(k -> SHORT_NAMES.get(name).contains(leaf(k))).toList();
        }
        if (matches.size() == 1) {
            return new Resolved(matches.get(0), null);
        }
        if (matches.isEmpty()) {
            return new Resolved(null, "unknown knob '" + name + "' (knobs: " + String.join(", ", all) + ")");
        }
        return new Resolved(null, "'" + name + "' is ambiguous (" + String.join(", ", matches) + ")");
    }

    /**
     * Whether two names are one knob: equal canonical names, or a bare name ({@code tensor_parallel_size},
     * {@code tp}) and a path whose last segment it is or stands for. How a study finds a space's
     * {@code cmd_args.serve.tensor_parallel_size} in an experiment that recorded {@code tensor_parallel_size} from
     * a file name.
     */
    public static boolean sameKnob(String a, String b) {
        String x = canonical(a);
        String y = canonical(b);
        if (x.equals(y)) {
            return true;
        }
        return bareFor(x, y) || bareFor(y, x);
    }

    private static boolean bareFor(String bare, String path) {
        if (bare.contains(".") || !path.contains(".")) {
            return false;
        }
        String leaf = leaf(path);
        return leaf.equals(bare) || SHORT_NAMES.getOrDefault(bare, List.of()).contains(leaf)
                || SHORT_NAMES.entrySet().stream().anyMatch(e -> e.getValue().contains(bare) && e.getValue().contains(leaf)
                && !Set.of("batch", "bs").contains(e.getKey()));
    }

    /** The canonical knobs of several configs, sorted. */
    public static Set<String> knobsOf(Collection<? extends Map<String, ?>> configs) {
        Set<String> out = new TreeSet<>();
        configs.forEach(c -> c.keySet().forEach(k -> out.add(canonical(k))));
        return out;
    }
}
