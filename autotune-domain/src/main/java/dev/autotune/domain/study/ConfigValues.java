package dev.autotune.domain.study;

import dev.autotune.domain.CanonicalValues;
import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.SearchSpace;

import java.util.List;
import java.util.Map;

/**
 * The study's values in the one Java form {@link CanonicalValues} gives every knob value, and the space with its
 * values in that form. (The form itself lives beside the Experiment aggregate, which uses it too: the domain's
 * packages do not depend on each other in a circle.)
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    public static Object canonical(Object value) {
        return CanonicalValues.canonical(value);
    }

    /** A config (knob path -> value) in canonical form, sorted by path. */
    public static Map<String, Object> config(Map<?, ?> config) {
        return CanonicalValues.config(config);
    }

    /** The space with its knob values and candidate configs in canonical form. */
    public static SearchSpace space(SearchSpace space) {
        if (space == null) {
            return null;
        }
        List<Knob> knobs = space.knobs().stream()
                .map(k -> new Knob(k.path(), k.kind(), (List<Object>) canonical(k.values()), k.log()))
                .toList();
        List<Map<String, Object>> candidates = space.candidates() == null ? null
                : space.candidates().stream().map(ConfigValues::config).toList();
        return new SearchSpace(space.scenario(), knobs, space.constraints(), space.gpus(), space.objective(),
                space.budgets(), space.softSlos(), space.secondObjective(), candidates, space.baseTest());
    }
}
