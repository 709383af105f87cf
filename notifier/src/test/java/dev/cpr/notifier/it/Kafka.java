package dev.cpr.notifier.it;

import static org.awaitility.Awaitility.await;

import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.sandbox.testing.KafkaResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test-side Kafka: produce events as the other services do, read what notifier published. */
final class Kafka {

    private static KafkaProducer<String, String> producer;

    private Kafka() {
    }

    static void send(String topic, String key, CloudEvent event) {
        sendRaw(topic, key, EventCodec.encode(event));
    }

    /** Produces {@code value} as it is, e.g. a record that is not a CloudEvent. */
    static synchronized void sendRaw(String topic, String key, String value) {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(p);
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce to " + topic, e);
        }
    }

    /** A consumer of {@code topic} from its beginning, in a group of its own. */
    static KafkaConsumer<String, String> reader(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "notifier-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Polls {@code consumer} until {@code count} records with {@code key} were read (at most {@code atMost}). */
    static List<CloudEvent> readUntil(KafkaConsumer<String, String> consumer, String key, int count, Duration atMost,
            List<CloudEvent> into) {
        await().atMost(atMost).until(() -> {
            poll(consumer, key, into);
            return into.size() >= count;
        });
        return into;
    }

    static void poll(KafkaConsumer<String, String> consumer, String key, List<CloudEvent> into) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
            if (key.equals(record.key())) {
                into.add(EventCodec.decode(record.value()));
            }
        }
    }

    /** The values of {@code key}'s records in {@code topic}, read until {@code count} came (at most {@code atMost}). */
    static List<String> rawValues(String topic, String key, int count, Duration atMost) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = reader(topic)) {
            await().atMost(atMost).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                    if (key.equals(record.key())) {
                        values.add(record.value());
                    }
                }
                return values.size() >= count;
            });
        }
        return values;
    }

    static List<CloudEvent> newList() {
        return new ArrayList<>();
    }
}
