package dev.autotune.domain;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The same-run duplicate rule: a report is the same benchmark run as an earlier experiment of its scenario (found by
 * the run fingerprint its tool wrote, maybe in another of the tool's formats) when both ran the same config. The
 * load settings are left out of the comparison: they are the run's own, and one format states them (AIPerf's JSON)
 * where another does not (its CSV). Knobs are compared by their canonical names and values.
 */
public final class SameRun {
    private SameRun() {
    }

    /**
     * The first earlier experiment with the same config, by its number.
     *
     * @param earlier the experiments with the same run fingerprint, number to knobs, in the order to search them
     */
    public static Optional<Integer> earlier(Map<Integer, ? extends Map<String, ?>> earlier, Map<String, ?> knobs) {
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> config = withoutLoad(knobs);
        return earlier.entrySet().stream().filter(e -> withoutLoad(e.getValue()).equals(config))
                .map(Map.Entry::getKey).findFirst();
    }

    /** The config by canonical knob names and values, without the load settings. */
    static Map<String, Object> withoutLoad(Map<String, ?> knobs) {
        TreeMap<String, Object> config = new TreeMap<>(CanonicalValues.config(KnobNames.config(knobs)));
        config.remove(KnobNames.CONCURRENCY);
        config.remove(KnobNames.REQUEST_RATE);
        return config;
    }
}
