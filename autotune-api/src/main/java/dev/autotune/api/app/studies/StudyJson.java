package dev.autotune.api.app.studies;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autotune.domain.search.Importance;
import dev.autotune.store.Json;

/**
 * The JSON of the study use cases (CLI `--json` and HTTP alike): their records as they are, with snake_case keys
 * like the rest of autotune's JSON.
 */
public final class StudyJson {
    private StudyJson() {
    }

    private static final class Holder {
        static final ObjectMapper MAPPER = Json.mapper().copy()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }

    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    /**
     * {@code recommend --space --json}: the next config's fields as they are, with which knobs matter beside them
     * under {@code importance}, the same shape as in the study's JSON.
     */
    public static String pretty(Studies.Next next, java.util.List<Importance.Split> importance) {
        ObjectNode tree = mapper().valueToTree(next);
        tree.set("importance", mapper().valueToTree(importance));
        return pretty(tree);
    }

    public static String pretty(Object value) {
        try {
            return mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
