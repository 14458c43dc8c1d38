package dev.autotune.api.app.studies;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
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

    public static String pretty(Object value) {
        try {
            return mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
