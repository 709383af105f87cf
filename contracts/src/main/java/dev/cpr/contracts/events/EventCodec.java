package dev.cpr.contracts.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;

/**
 * Writes and reads cpr's CloudEvents through the CloudEvents SDK's structured JSON format, so any
 * CloudEvents consumer reads them and cpr reads any CloudEvents producer's. Decoding first checks
 * the attributes cpr needs and names the one that is missing, so a dead-lettered record says why it
 * was refused; what passes is then read by the SDK, which has the last word on the format.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final JsonFormat FORMAT = new JsonFormat();
    /** Reads a JSON tree already checked by {@link #decode} into the SDK's event. */
    private static final ObjectMapper SDK_MAPPER = new ObjectMapper().registerModule(JsonFormat.getCloudEventJacksonModule());

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

    /** The event in structured JSON mode, as the SDK writes it: the value of a cpr Kafka record. */
    public static String encode(CloudEvent event) {
        try {
            return new String(FORMAT.serialize(toSdk(event)), StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot encode event " + event.id(), e);
        }
    }

    /** The same event as the CloudEvents SDK's type, for the SDK's protocol bindings (Kafka headers). */
    public static io.cloudevents.CloudEvent toSdk(CloudEvent event) {
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(event.id())
                .withSource(URI.create(event.source()))
                .withType(event.type())
                .withSubject(event.subject())
                .withDataContentType(event.datacontenttype());
        if (event.time() != null) {
            builder.withTime(event.time().atOffset(ZoneOffset.UTC));
        }
        if (event.data() != null) {
            builder.withData(JsonCloudEventData.wrap(event.data()));
        }
        return builder.build();
    }

    /** An event the SDK read (from any binding) as cpr's envelope, checked as {@link #decode} checks. */
    public static CloudEvent fromSdk(io.cloudevents.CloudEvent event) {
        CloudEvent envelope = new CloudEvent(event.getSpecVersion().toString(), event.getId(),
                event.getSource() == null ? null : event.getSource().toString(), event.getType(), event.getSubject(),
                event.getTime() == null ? null : event.getTime().toInstant(), event.getDataContentType(),
                dataTree(event.getId(), event.getData()));
        if (envelope.data() == null || envelope.data().isNull()) {
            throw new MalformedEventException("event " + envelope.id() + " has no data");
        }
        return envelope;
    }

    /** Parses and validates an envelope; throws {@link MalformedEventException} naming what is wrong. */
    public static CloudEvent decode(String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("empty record: expected a CloudEvents JSON object");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not a CloudEvents JSON object: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new MalformedEventException("not a CloudEvents JSON object: the record is JSON but not an object");
        }
        String specversion = require(tree, "specversion");
        if (!CloudEvent.SPEC_VERSION.equals(specversion)) {
            throw new MalformedEventException("unsupported specversion '" + specversion + "', expected 1.0");
        }
        String id = require(tree, "id");
        require(tree, "source");
        require(tree, "type");
        require(tree, "subject");
        JsonNode data = tree.get("data");
        if ((data == null || data.isNull()) && !tree.hasNonNull("data_base64")) {
            throw new MalformedEventException("event " + id + " has no data");
        }
        io.cloudevents.CloudEvent read;
        try {
            read = SDK_MAPPER.treeToValue(tree, io.cloudevents.CloudEvent.class);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("event " + id + " is not a valid CloudEvent: " + e.getOriginalMessage(), e);
        } catch (EventDeserializationException | CloudEventRWException | IllegalArgumentException | IllegalStateException e) {
            throw new MalformedEventException("event " + id + " is not a valid CloudEvent: " + e.getMessage(), e);
        }
        return fromSdk(read);
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

    private static String require(JsonNode envelope, String attribute) {
        JsonNode value = envelope.get(attribute);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new MalformedEventException("CloudEvents attribute '" + attribute + "' is missing");
        }
        return value.asText();
    }

    /** cpr's payloads are JSON; data the SDK kept as bytes (another producer's base64 or string) is read as JSON too. */
    private static JsonNode dataTree(String eventId, CloudEventData data) {
        if (data == null) {
            return null;
        }
        if (data instanceof JsonCloudEventData json) {
            return json.getNode();
        }
        try {
            return MAPPER.readTree(data.toBytes());
        } catch (IOException e) {
            throw new MalformedEventException("event " + eventId + ": data is not JSON: " + e.getMessage(), e);
        }
    }

    /** Payloads that can say whether their fields make sense together. */
    public interface Validatable {
        /** @throws IllegalArgumentException naming the bad field */
        void validate();
    }
}
