package dev.cpr.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.events.Topics;
import dev.cpr.sandbox.testing.KafkaResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    private static KafkaBroker broker;

    /** The broker every test class of this JVM shares (KafkaResource's), as the services' tests use it. */
    @BeforeAll
    static void startBroker() {
        long t0 = System.nanoTime();
        broker = KafkaResource.broker();
        System.out.printf("[timing] Kafka ready with topics in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void createsTheCprTopicsWithThreePartitions() throws Exception {
        try (Admin admin = broker.admin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(KafkaBroker.TOPICS).allTopicNames()
                    .get(10, TimeUnit.SECONDS);

            assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(KafkaBroker.TOPICS);
            assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(3));
        }
    }

    @Test
    void aRecordProducedOnIncidentsIsConsumedBack() throws Exception {
        RecordMetadata sent;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            sent = producer.send(new ProducerRecord<>(Topics.INCIDENTS, "sandbox", "{\"hello\":\"kafka\"}"))
                    .get(10, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "sandbox-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(Topics.INCIDENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }

        assertThat(sent.topic()).isEqualTo(Topics.INCIDENTS);
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("sandbox");
            assertThat(r.value()).isEqualTo("{\"hello\":\"kafka\"}");
        });
    }

    @Test
    void autoCreatesOtherTopicsSuchAsDeadLetterTopics() throws Exception {
        String dlq = Topics.deadLetter(Topics.INCIDENTS, "sandbox-test");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>(dlq, "sandbox", "not json")).get(20, TimeUnit.SECONDS);
        }

        try (Admin admin = broker.admin()) {
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains(dlq);
        }
    }

    @Test
    void aStoppedStaticMemberIsTakenOutOfItsGroupSoThatItsPartitionsAreFreeAtOnce() throws Exception {
        // given a static member (group.instance.id) that joined a group and stopped: it stays until its session ends
        String group = "static-members-" + System.nanoTime();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "svc-1-incidents",
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 45_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(Topics.INCIDENTS));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.assignment().isEmpty() && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200));
            }
            assertThat(consumer.assignment()).as("joined the group").isNotEmpty();
        }
        assertThat(members(group)).containsExactly("svc-1-incidents");

        // when its replica's members are removed
        List<String> removed = broker.removeStaticMembers("svc-1-");

        // then it is gone from the group, and nothing of it is left to remove
        assertThat(removed).containsExactly(group + "/svc-1-incidents");
        assertThat(members(group)).isEmpty();
        assertThat(broker.removeStaticMembers("svc-1-")).isEmpty();
    }

    private static List<String> members(String group) throws Exception {
        try (Admin admin = broker.admin()) {
            return admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group).members()
                    .stream().flatMap(m -> m.groupInstanceId().stream()).toList();
        }
    }
}
