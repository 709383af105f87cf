package dev.cpr.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class EventRecordsTest {

    private final EventCodec codec = new EventCodec("/cpr/restore-service",
            Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC));
    private final CloudEvent event = codec.wrap("p-1-3", EventTypes.RECOVERY_UPDATED, "prod-etcd", Map.of("planId", "p-1"));

    @Test
    void aMessageIsKeyedByClusterAndCarriesTheStructuredCloudEventsContentType() {
        Message<String> message = EventRecords.message(Topics.RECOVERIES, event);

        @SuppressWarnings("unchecked")
        OutgoingKafkaRecordMetadata<String> metadata = message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        Header contentType = metadata.getHeaders().lastHeader(EventRecords.CONTENT_TYPE_HEADER);
        assertThat(metadata.getKey()).isEqualTo("prod-etcd");
        assertThat(new String(contentType.value(), StandardCharsets.UTF_8)).startsWith("application/cloudevents+json");
        assertThat(EventCodec.decode(message.getPayload())).isEqualTo(event);
    }

    @Test
    void theSdksKafkaDeserializerReadsTheRecordAsWritten() {
        var record = EventRecords.record(Topics.RECOVERIES, event);

        try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
            io.cloudevents.CloudEvent read = deserializer.deserialize(Topics.RECOVERIES, record.headers(), record.value());

            assertThat(read.getId()).isEqualTo("p-1-3");
            assertThat(read.getSubject()).isEqualTo("prod-etcd");
            assertThat(read.getType()).isEqualTo(EventTypes.RECOVERY_UPDATED);
        }
    }
}
