package dev.autotune.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * The one Jackson setup for stored events and projection columns: ISO instants, sorted keys. Projection columns
 * are read with the streaming parser: building an ObjectMapper costs more than a whole `list` of results.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    private static final class Holder {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    public static String write(Object value) {
        try {
            return mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * The SHA-256 of JSON text as lower-case hex. The mapper sorts map keys, so equal maps written by it hash
     * equally: a read model can look a config up by this instead of parsing and comparing every candidate.
     */
    public static String sha256(String json) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** A JSON object of scalars and arrays, as Jackson would bind it to a Map. */
    public static TreeMap<String, Object> objectMap(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("corrupt JSON column: expected an object");
            }
            return object(p);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getMessage(), e);
        }
    }

    public static TreeMap<String, Double> doubleMap(String json) {
        TreeMap<String, Double> out = new TreeMap<>();
        objectMap(json).forEach((k, v) -> out.put(k, v == null ? null : ((Number) v).doubleValue()));
        return out;
    }

    public static TreeMap<String, String> stringMap(String json) {
        TreeMap<String, String> out = new TreeMap<>();
        objectMap(json).forEach((k, v) -> out.put(k, v == null ? null : v.toString()));
        return out;
    }

    /** A JSON array of strings. */
    public static List<String> stringList(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalStateException("corrupt JSON column: expected an array");
            }
            List<String> out = new ArrayList<>();
            for (Object v : array(p)) {
                out.add(v == null ? null : v.toString());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getMessage(), e);
        }
    }

    private static TreeMap<String, Object> object(JsonParser p) throws IOException {
        TreeMap<String, Object> out = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            out.put(key, value(p));
        }
        return out;
    }

    private static List<Object> array(JsonParser p) throws IOException {
        List<Object> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(value(p));
        }
        return out;
    }

    private static Object value(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> object(p);
            case START_ARRAY -> array(p);
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IllegalStateException("corrupt JSON column: unexpected " + p.currentToken());
        };
    }
}
