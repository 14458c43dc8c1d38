package dev.autotune.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autotune.domain.OneLine;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.serialization.Revision;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an imported event must be before it is stored: one of the project's own events (a payload type the aggregates
 * publish, at a revision the log has had), whose payload reads as that event with every field it has (an older
 * revision with the fields its upcaster adds), with the aggregate it names, a timestamp the store can read back, the
 * next sequence number of its aggregate, and an experiment number in range. What a read model needs beyond that is
 * checked by projecting the import in its own transaction ({@link AxonStore#importAndProject}). Nothing here trusts
 * the file: a class name from it is only ever looked up among the event types, never loaded.
 */
final class EventCheck {
    /** The largest global index an import may carry: every later append numbers after it, so leave room. */
    static final long MAX_INDEX = 1L << 53;

    /** The aggregates whose events the log holds; their event types are the nested events of their API classes. */
    private static final Set<String> AGGREGATE_TYPES = Set.of("Experiment", "Study", "BudgetProfile");

    private static final ObjectMapper STRICT = Json.mapper().copy()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Map<String, Class<?>> types;
    /** Per type, the revisions the log has had: the class's own and every one an upcaster reads. */
    private final Map<String, Set<String>> revisions = new HashMap<>();
    private final Map<String, Long> nextSequence = new HashMap<>();

    EventCheck(List<Class<?>> aggregates) {
        types = new HashMap<>();
        for (Class<?> aggregate : aggregates) {
            for (Method m : aggregate.getDeclaredMethods()) {
                if (m.isAnnotationPresent(EventSourcingHandler.class) && m.getParameterCount() > 0
                        && m.getParameterTypes()[0].getEnclosingClass() != null) {
                    for (Class<?> c : m.getParameterTypes()[0].getEnclosingClass().getDeclaredClasses()) {
                        if (c.isRecord() && c.isAnnotationPresent(Revision.class)) {
                            types.put(c.getName(), c);
                            revisions.computeIfAbsent(c.getName(), k -> new LinkedHashSet<>())
                                    .add(c.getAnnotation(Revision.class).value());
                        }
                    }
                }
            }
        }
        for (var u : AddedFieldsUpcaster.ALL) {
            if (u instanceof AddedFieldsUpcaster a && revisions.containsKey(a.type())) {
                revisions.get(a.type()).add(a.from());
            }
        }
    }

    /**
     * Checks one event, given as the columns of its line; throws {@link IllegalArgumentException} with what is wrong
     * (the caller adds the line). Events must come in log order: the sequence of each aggregate is followed.
     */
    void check(Map<String, Object> e) {
        long index = (Long) e.get("globalIndex");
        if (index < 1 || index > MAX_INDEX) {
            throw new IllegalArgumentException("globalIndex " + index + " is outside 1.." + MAX_INDEX);
        }
        String payloadType = (String) e.get("payloadType");
        Class<?> type = types.get(payloadType);
        if (type == null) {
            throw new IllegalArgumentException("payloadType '" + OneLine.first(payloadType, "") + "' is not an autotune"
                    + " event");
        }
        String aggregate = (String) e.get("aggregateIdentifier");
        if (aggregate.isBlank() || aggregate.length() > 255 || ((String) e.get("eventIdentifier")).isBlank()
                || ((String) e.get("eventIdentifier")).length() > 255) {
            throw new IllegalArgumentException("aggregateIdentifier and eventIdentifier must be 1 to 255 characters");
        }
        if (!AGGREGATE_TYPES.contains(e.get("type"))) {
            throw new IllegalArgumentException("type '" + e.get("type") + "' is not an autotune aggregate ("
                    + String.join(", ", new java.util.TreeSet<>(AGGREGATE_TYPES)) + ")");
        }
        long sequence = (Long) e.get("sequenceNumber");
        long expected = nextSequence.getOrDefault(aggregate, 0L);
        if (sequence != expected) {
            throw new IllegalArgumentException("sequenceNumber " + sequence + " of aggregate " + aggregate
                    + " should be " + expected);
        }
        nextSequence.put(aggregate, sequence + 1);
        String revision = (String) e.get("payloadRevision");
        if (!revisions.get(payloadType).contains(revision)) {
            throw new IllegalArgumentException("payloadRevision '" + revision + "' of " + type.getSimpleName()
                    + " is not one autotune wrote (" + String.join(", ", revisions.get(payloadType)) + ")");
        }
        try {
            Instant.parse((String) e.get("timeStamp"));
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("timeStamp '" + OneLine.first((String) e.get("timeStamp"), "")
                    + "' is not an ISO-8601 instant");
        }
        payload(type, (String) e.get("payload"), aggregate);
        metaData((String) e.get("metaData"), type);
    }

    private static void payload(Class<?> type, String text, String aggregate) {
        JsonNode node;
        try {
            node = STRICT.readTree(text);
        } catch (IOException ex) {
            throw new IllegalArgumentException("payload is not JSON");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("payload is not a JSON object");
        }
        for (RecordComponent c : type.getRecordComponents()) {
            // an older revision's event lacks only the fields its upcaster adds
            if (!object.has(c.getName()) && !AddedFieldsUpcaster.adds(type.getName(), c.getName())) {
                throw new IllegalArgumentException("payload of " + type.getSimpleName() + " has no '" + c.getName()
                        + "'");
            }
        }
        Object event;
        try {
            event = STRICT.treeToValue(object, type);
        } catch (IOException | IllegalArgumentException ex) {
            throw new IllegalArgumentException("payload is not a " + type.getSimpleName() + ": "
                    + OneLine.first(ex instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage() : ex.getMessage(), "unreadable"));
        }
        // what every event has when autotune writes it: what it is about (its first field) and when (its last)
        RecordComponent[] components = type.getRecordComponents();
        for (RecordComponent c : components.length == 0 ? components
                : new RecordComponent[] {components[0], components[components.length - 1]}) {
            if (object.path(c.getName()).isNull() || object.path(c.getName()).isMissingNode()) {
                throw new IllegalArgumentException("payload of " + type.getSimpleName() + " has no " + c.getName());
            }
        }
        // the aggregate the event says it belongs to (its first field) is the one the log files it under
        for (RecordComponent c : List.of(type.getRecordComponents()).subList(0, Math.min(1, type.getRecordComponents().length))) {
            if (c.getName().equals("experimentId") || c.getName().equals("studyId")) {
                Object id;
                try {
                    id = c.getAccessor().invoke(event);
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
                if (!aggregate.equals(id)) {
                    throw new IllegalArgumentException("payload's " + c.getName() + " '" + id
                            + "' is not its aggregateIdentifier");
                }
            }
        }
    }

    private static void metaData(String text, Class<?> type) {
        if (text == null) {
            return;
        }
        JsonNode node;
        try {
            node = STRICT.readTree(text);
        } catch (IOException ex) {
            throw new IllegalArgumentException("metaData is not JSON");
        }
        if (!(node instanceof ObjectNode)) {
            throw new IllegalArgumentException("metaData is not a JSON object");
        }
        JsonNode number = node.get(AxonStore.NUMBER);
        if (number != null && (!number.canConvertToInt() || !number.isIntegralNumber() || number.asInt() < 1)) {
            throw new IllegalArgumentException("metaData " + AxonStore.NUMBER + " " + number + " of "
                    + type.getSimpleName() + " is not an experiment number (1.." + Integer.MAX_VALUE + ")");
        }
    }
}
