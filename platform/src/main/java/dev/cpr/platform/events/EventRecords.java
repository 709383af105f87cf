package dev.cpr.platform.events;

import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The one way a cpr event becomes a Kafka record: the CloudEvents SDK's Kafka binding writes it in structured JSON
 * mode, so the record carries {@code content-type: application/cloudevents+json} and any CloudEvents consumer reads
 * it. Keyed by the event's subject, the cluster id, so one cluster's events stay in order.
 */
public final class EventRecords {

    /** The Kafka header the structured mode sets, and the value it sets it to. */
    public static final String CONTENT_TYPE_HEADER = "content-type";
    public static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE;

    private static final JsonFormat FORMAT = new JsonFormat();

    private EventRecords() {
    }

    /** The record as the SDK writes it for {@code topic}; the value is the event's structured JSON. */
    public static ProducerRecord<String, byte[]> record(String topic, CloudEvent event) {
        return KafkaMessageFactory.createWriter(topic, event.subject()).writeStructured(EventCodec.toSdk(event), FORMAT);
    }

    /** A message for an emitter whose channel writes {@code topic} with string values. */
    public static Message<String> message(String topic, CloudEvent event) {
        ProducerRecord<String, byte[]> record = record(topic, event);
        return Message.of(new String(record.value(), StandardCharsets.UTF_8)).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).withHeaders(record.headers()).build());
    }
}
