package dev.cpr.healthmonitor.it;

import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.Topics;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A plain consumer of {@code cpr.incidents} from "now" on, remembering every record it read: as cpr decodes it, and
 * as any CloudEvents consumer would (the record's content-type header, the SDK's Kafka deserializer).
 */
final class IncidentTopic implements AutoCloseable {

    record Received(String key, CloudEvent event, String contentType, io.cloudevents.CloudEvent sdkEvent,
            String value) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final CloudEventDeserializer sdk = new CloudEventDeserializer();
    private final List<Received> received = new ArrayList<>();

    IncidentTopic(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "health-monitor-test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.INCIDENTS, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** Reads what arrived and returns the first record so far that matches. */
    synchronized Optional<Received> find(Predicate<Received> wanted) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            Header contentType = record.headers().lastHeader("content-type");
            String value = new String(record.value(), StandardCharsets.UTF_8);
            received.add(new Received(record.key(), EventCodec.decode(value),
                    contentType == null ? null : new String(contentType.value(), StandardCharsets.UTF_8),
                    sdk.deserialize(record.topic(), record.headers(), record.value()), value));
        }
        return received.stream().filter(wanted).findFirst();
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
