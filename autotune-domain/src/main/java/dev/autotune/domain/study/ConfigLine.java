package dev.autotune.domain.study;

import dev.autotune.domain.analysis.Numbers;
import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.SearchSpace;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A config of a study's space in one line, each knob by its shortest unambiguous name: how `tune`'s progress and
 * the study texts name a trial's config.
 */
public final class ConfigLine {
    private ConfigLine() {
    }

    public static String of(SearchSpace space, Map<String, Object> config) {
        List<String> paths = space.knobs().stream().map(Knob::path).toList();
        StringJoiner out = new StringJoiner(" ");
        for (String p : paths) {
            String last = p.substring(p.lastIndexOf('.') + 1);
            boolean unique = paths.stream().filter(q -> q.endsWith("." + last) || q.equals(last)).count() == 1;
            out.add((unique ? last : p) + "=" + Numbers.format(config.get(p)));
        }
        return out.toString();
    }
}
