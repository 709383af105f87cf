package dev.cpr.backup.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.sandbox.testing.KafkaResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Safety snapshots driven by real events on cpr.incidents. */
@QuarkusTest
class IncidentSnapshotTest {

    @org.junit.jupiter.api.BeforeAll
    static void authenticate() {
        Backups.asOperator();
    }

    @org.junit.jupiter.api.AfterAll
    static void forgetToken() {
        Backups.reset();
    }

    private static final EventCodec CODEC = new EventCodec("/cpr/health-monitor", Clock.systemUTC());

    @Test
    void anIncidentWithQuorumIntactGetsExactlyOneVerifiedSafetySnapshotEvenWhenRedelivered() throws Exception {
        String quorumLost = "inc-" + UUID.randomUUID();
        String memberDown = "inc-" + UUID.randomUUID();
        String memberDownEvent = EventCodec.encode(CODEC.wrap(EventTypes.INCIDENT_OPENED, "sandbox",
                incident(memberDown, FailureKind.MEMBER_UNHEALTHY)));
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.INCIDENTS, "sandbox", EventCodec.encode(CODEC.wrap(
                    EventTypes.INCIDENT_OPENED, "sandbox", incident(quorumLost, FailureKind.QUORUM_LOST))))).get();
            producer.send(new ProducerRecord<>(Topics.INCIDENTS, "sandbox", memberDownEvent)).get();
            producer.send(new ProducerRecord<>(Topics.INCIDENTS, "sandbox", memberDownEvent)).get();
        }

        List<Map<String, Object>> snapshots = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> backupsOf(memberDown), list -> list.stream().anyMatch(b -> "verified".equals(b.get("status"))));

        assertThat(snapshots).hasSize(1);
        assertThat(snapshots.get(0)).containsEntry("trigger", "incident").containsEntry("incidentId", memberDown);
        assertThat(backupsOf(quorumLost)).as("no snapshot when quorum is lost").isEmpty();
    }

    @Test
    void aRecordThatIsNotAnEventEndsInTheDeadLetterTopicAndTheConsumerCarriesOn() throws Exception {
        String garbage = "not an event " + UUID.randomUUID();
        String after = "inc-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.INCIDENTS, "sandbox", garbage)).get();
            producer.send(new ProducerRecord<>(Topics.INCIDENTS, "sandbox", EventCodec.encode(CODEC.wrap(
                    EventTypes.INCIDENT_OPENED, "sandbox", incident(after, FailureKind.MEMBER_UNHEALTHY))))).get();
        }
        String dlq = Topics.deadLetter(Topics.INCIDENTS, "backup-service");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(dlq));
            List<String> seen = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(r.value());
                }
                return seen.contains(garbage);
            });
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> backupsOf(after), list -> !list.isEmpty());
    }

    private static List<Map<String, Object>> backupsOf(String incidentId) {
        return given().when().get("/api/v1/backups?cluster=sandbox&incident=" + incidentId)
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static IncidentOpened incident(String id, FailureKind kind) {
        Instant now = Instant.now();
        return new IncidentOpened(id, "sandbox", kind, List.of("etcd-3"), List.of(), "etcd-3 down", now, now);
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }
}
