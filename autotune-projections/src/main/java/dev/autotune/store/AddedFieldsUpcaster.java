package dev.autotune.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autotune.domain.ExperimentApi.MetricsRecorded;
import dev.autotune.domain.ExperimentApi.ReportParsed;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import java.util.List;

/**
 * An event revision that only added fields: old events keep their stored form and are read with the new fields
 * null (an empty map for a map), which is what "not known when it was recorded" means for each of them.
 */
final class AddedFieldsUpcaster extends SingleEventUpcaster {
    /** Every revision step of the event log, oldest first per type. */
    static final List<EventUpcaster> ALL = List.of(
            // revision 2 linked the metrics to the report they came from
            new AddedFieldsUpcaster(MetricsRecorded.class, "1", "2", List.of("reportSha256"), List.of()),
            // revision 2 added what the report states beside its metrics (issue 12)
            new AddedFieldsUpcaster(ReportParsed.class, "1", "2", List.of("measuredAt", "runFingerprint"),
                    List.of("facts")));

    private final String type;
    private final String from;
    private final String to;
    private final List<String> nullFields;
    private final List<String> mapFields;

    AddedFieldsUpcaster(Class<?> type, String from, String to, List<String> nullFields, List<String> mapFields) {
        this.type = type.getName();
        this.from = from;
        this.to = to;
        this.nullFields = nullFields;
        this.mapFields = mapFields;
    }

    String type() {
        return type;
    }

    String from() {
        return from;
    }

    /** Whether an upcaster of {@code type} adds {@code field}: an event of an older revision may lack it. */
    static boolean adds(String type, String field) {
        return ALL.stream().anyMatch(u -> u instanceof AddedFieldsUpcaster a && a.type.equals(type)
                && (a.nullFields.contains(field) || a.mapFields.contains(field)));
    }

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return type.equals(representation.getType().getName()) && from.equals(representation.getType().getRevision());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(new SimpleSerializedType(type, to), JsonNode.class, payload -> {
            ObjectNode node = (ObjectNode) payload;
            nullFields.stream().filter(f -> !node.has(f)).forEach(node::putNull);
            mapFields.stream().filter(f -> !node.has(f)).forEach(node::putObject);
            return node;
        });
    }
}
