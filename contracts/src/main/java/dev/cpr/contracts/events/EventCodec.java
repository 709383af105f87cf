package dev.cpr.contracts.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * Writes and reads cpr's CloudEvents. Decoding checks every required attribute and names the one
 * that is missing, so a dead-lettered record says why it was refused.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String source;
    private final Clock clock;

    /** @param source the CloudEvents source of events this service emits, e.g. {@code /cpr/health-monitor} */
    public EventCodec(String source, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A new event with a random id. */
    public CloudEvent wrap(String type, String clusterId, Object payload) {
        return wrap(UUID.randomUUID().toString(), type, clusterId, payload);
    }

    /** A new event with a caller-chosen id, for events whose identity is derived (idempotent re-publish). */
    public CloudEvent wrap(String id, String type, String clusterId, Object payload) {
        return new CloudEvent(CloudEvent.SPEC_VERSION, id, source, type, clusterId, clock.instant(),
                "application/json", MAPPER.valueToTree(payload));
    }

    public static String encode(CloudEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode event " + event.id(), e);
        }
    }

    /** Parses and validates an envelope; throws {@link MalformedEventException} naming what is wrong. */
    public static CloudEvent decode(String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("empty record: expected a CloudEvents JSON object");
        }
        CloudEvent event;
        try {
            event = MAPPER.readValue(json, CloudEvent.class);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not a CloudEvents JSON object: " + e.getOriginalMessage(), e);
        }
        require(event.specversion(), "specversion");
        if (!CloudEvent.SPEC_VERSION.equals(event.specversion())) {
            throw new MalformedEventException("unsupported specversion '" + event.specversion() + "', expected 1.0");
        }
        require(event.id(), "id");
        require(event.source(), "source");
        require(event.type(), "type");
        require(event.subject(), "subject");
        if (event.data() == null || event.data().isNull()) {
            throw new MalformedEventException("event " + event.id() + " has no data");
        }
        return event;
    }

    /** The payload as the record type its event type promises. */
    public static <T> T data(CloudEvent event, Class<T> type) {
        try {
            T value = MAPPER.treeToValue(event.data(), type);
            if (value instanceof Validatable v) {
                v.validate();
            }
            return value;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String reason = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new MalformedEventException("event " + event.id() + " (" + event.type() + "): data is not a valid "
                    + type.getSimpleName() + ": " + reason, e);
        }
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    private static void require(String value, String attribute) {
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("CloudEvents attribute '" + attribute + "' is missing");
        }
    }

    /** Payloads that can say whether their fields make sense together. */
    public interface Validatable {
        /** @throws IllegalArgumentException naming the bad field */
        void validate();
    }
}
