package dev.cpr.backup.it;

import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.sandbox.testing.KafkaResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads {@code cpr.backups} from the beginning, as a reader of the topic would. */
final class BackupEventsConsumer implements AutoCloseable {

    /** One record as read: its key, its envelope and its payload, its value as sent and its content-type header. */
    record Received(String key, CloudEvent event, BackupUpdate update, String value, String contentType) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Received> received = new ArrayList<>();

    BackupEventsConsumer() {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "backup-service-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        consumer.subscribe(List.of(Topics.BACKUPS));
    }

    /** Polls once more and returns every event about {@code backupId} read so far, in topic order. */
    List<Received> about(String backupId) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
            CloudEvent event = EventCodec.decode(record.value());
            if (EventTypes.BACKUP_UPDATED.equals(event.type())) {
                org.apache.kafka.common.header.Header contentType = record.headers().lastHeader("content-type");
                received.add(new Received(record.key(), event, EventCodec.data(event, BackupUpdate.class),
                        record.value(), contentType == null ? null
                                : new String(contentType.value(), java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        return received.stream().filter(r -> r.update().backupId().equals(backupId)).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
