package dev.autotune.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autotune.domain.ExperimentApi.MetricsRecorded;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * MetricsRecorded revision 1 did not say which report the metrics came from; revision 2 added
 * {@code reportSha256}. Old events keep their stored form and are read with the link left empty.
 */
final class MetricsRecordedUpcaster extends SingleEventUpcaster {
    static final String TYPE = MetricsRecorded.class.getName();

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return TYPE.equals(representation.getType().getName())
                && "1".equals(representation.getType().getRevision());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(new SimpleSerializedType(TYPE, "2"), JsonNode.class, payload -> {
            ObjectNode node = (ObjectNode) payload;
            if (!node.has("reportSha256")) {
                node.putNull("reportSha256");
            }
            return node;
        });
    }
}
