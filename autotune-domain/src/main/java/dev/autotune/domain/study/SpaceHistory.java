package dev.autotune.domain.study;

import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.SearchSpace;
import dev.autotune.domain.search.Spaces;

import dev.autotune.domain.CanonicalValues;
import dev.autotune.domain.KnobNames;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which experiments of a scenario's history a search space learns from, and why the others are left out. A space
 * names its knobs by the CloudAI test's paths ({@code cmd_args.serve.tensor_parallel_size},
 * {@code bench_cmd_args.max_concurrency}); an experiment records them under whatever name recorded them, which the
 * views read as canonical knobs ({@link KnobNames}): {@code serve.tensor_parallel_size}, {@code concurrency}, or a
 * bare {@code tensor_parallel_size} taken from a file name. Every experiment whose canonical config lies in the space
 * counts, whoever recorded it.
 */
public final class SpaceHistory {
    private SpaceHistory() {
    }

    /**
     * An experiment's config as the space names it, or why it is not in the space ({@code leftOut}: "no value for
     * KNOB", "KNOB outside the space", "outside the constraints", ...; one phrase, for counting).
     */
    public record Fit(Map<String, Object> config, String leftOut, String detail) {
        public boolean fits() {
            return config != null;
        }
    }

    /** The fit of one recorded config (canonical or as recorded) in the space. */
    public static Fit fit(SearchSpace space, Map<String, ?> recorded) {
        Map<String, Object> config = new LinkedHashMap<>();
        for (Knob k : space.knobs()) {
            Optional<Object> v = valueOf(k.path(), recorded);
            if (v.isEmpty()) {
                return new Fit(null, "record no value for " + k.path(), "records no value for it");
            }
            config.put(k.path(), CanonicalValues.canonical(v.get()));
        }
        Optional<Map<String, Object>> in = Spaces.normalize(space, config);
        if (in.isPresent()) {
            return new Fit(CanonicalValues.config(in.get()), null, null);
        }
        for (Knob k : space.knobs()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put(k.path(), config.get(k.path()));
            SearchSpace single = new SearchSpace(space.scenario(), List.of(k), List.of(), null, space.objective(),
                    List.of(), List.of(), null, null, null);
            if (Spaces.normalize(single, one).isEmpty()) {
                return new Fit(null, "have " + k.path() + " outside the space",
                        "has " + config.get(k.path()) + ", not one of " + k.values());
            }
        }
        return new Fit(null, space.candidates() != null ? "are not among the space's candidates"
                : "break the space's constraints", "is not one the space allows");
    }

    /**
     * The value recorded for a space knob: under a name that is the same canonical knob, else under a bare name that
     * is its last segment or short name ({@code tensor_parallel_size}, {@code tp}).
     */
    static Optional<Object> valueOf(String spaceKnob, Map<String, ?> recorded) {
        String canonical = KnobNames.canonical(spaceKnob);
        Object exact = null;
        Object bare = null;
        for (Map.Entry<String, ?> e : recorded.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (KnobNames.canonical(e.getKey()).equals(canonical)) {
                exact = e.getValue();
            } else if (bare == null && KnobNames.sameKnob(spaceKnob, e.getKey())) {
                bare = e.getValue();
            }
        }
        return Optional.ofNullable(exact != null ? exact : bare);
    }

    /**
     * The values of a trial's config that did not take effect: a trial's experiment records what CloudAI resolved,
     * so a proposed value it does not hold ran at another value (CloudAI kept the base value, or the test has no such
     * key). Empty when every value took effect. The experiment still counts, for the config that did run.
     */
    public static Optional<String> notTakenEffect(Map<String, ?> proposed, Map<String, ?> recorded) {
        List<String> wrong = new ArrayList<>();
        proposed.forEach((knob, value) -> {
            Optional<Object> ran = valueOf(knob, recorded);
            if (ran.isEmpty()) {
                wrong.add(knob + "=" + value + " (the run records no value for it)");
            } else if (!dev.autotune.domain.analysis.KnobValues.same(CanonicalValues.canonical(ran.get()),
                    CanonicalValues.canonical(value))) {
                wrong.add(knob + "=" + value + " (CloudAI ran " + ran.get() + ")");
            }
        });
        return wrong.isEmpty() ? Optional.empty()
                : Optional.of("error: did not take effect: " + String.join(", ", wrong));
    }

    /**
     * How many experiments a space used and, when some were left out, how many and why, in words: "used 8 of 16
     * experiments of scenario gpt-oss; left out 8: 6 record no value for bench_cmd_args.max_concurrency, 2 have
     * cmd_args.serve.tensor_parallel_size outside the space".
     *
     * @param leftOut reason -> how many experiments it left out (reasons from {@link Fit#leftOut}, or the caller's
     *                own, such as "are still running")
     */
    public static String summary(String scenario, int used, Map<String, Integer> leftOut) {
        int out = leftOut.values().stream().mapToInt(Integer::intValue).sum();
        if (used + out == 0) {
            // "used 0 of 0" reads like a failure; an empty history is the normal start of a search
            return "no experiments of scenario " + scenario + " recorded yet";
        }
        String head = "used " + used + " of " + (used + out) + " experiment" + (used + out == 1 ? "" : "s")
                + " of scenario " + scenario;
        if (out == 0) {
            return head;
        }
        return head + "; left out " + out + ": " + new TreeMap<>(leftOut).entrySet().stream()
                .sorted((a, b) -> b.getValue() - a.getValue())
                .map(e -> e.getValue() + " " + singular(e.getKey(), e.getValue())).collect(Collectors.joining(", "));
    }

    /** "record no value" for several, "records no value" for one. */
    private static String singular(String reason, int n) {
        if (n != 1) {
            return reason;
        }
        List<String> words = new ArrayList<>(List.of(reason.split(" ", 2)));
        String verb = switch (words.get(0)) {
            case "record" -> "records";
            case "have" -> "has";
            case "break" -> "breaks";
            case "are" -> "is";
            case "were" -> "was";
            default -> words.get(0);
        };
        return words.size() == 1 ? verb : verb + " " + words.get(1);
    }
}
