package dev.autotune.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.util.Map;
import java.util.TreeMap;

/** The one Jackson setup for stored events and projection columns: ISO instants, sorted keys. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final TypeReference<TreeMap<String, Object>> OBJECT_MAP = new TypeReference<>() {
    };
    private static final TypeReference<TreeMap<String, Double>> DOUBLE_MAP = new TypeReference<>() {
    };
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    public static TreeMap<String, Object> objectMap(String json) {
        return read(json, OBJECT_MAP);
    }

    public static TreeMap<String, Double> doubleMap(String json) {
        return read(json, DOUBLE_MAP);
    }

    public static TreeMap<String, String> stringMap(String json) {
        return read(json, STRING_MAP);
    }

    private static <T extends Map<?, ?>> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getOriginalMessage(), e);
        }
    }
}
