package dev.cpr.backup.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.sandbox.testing.KafkaResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The test inventory ({@link BackupWorld}) gives cluster {@code sandbox} an RPO of 1 h and {@code legacy} one of 15 s;
 * the app starts with an empty catalog and checks every second.
 */
@QuarkusTest
class RpoGuardTest {

    @org.junit.jupiter.api.BeforeAll
    static void authenticate() {
        Backups.asOperator();
    }

    @org.junit.jupiter.api.AfterAll
    static void forgetToken() {
        Backups.reset();
    }

    @Test
    void aClusterWithoutAVerifiedBackupIsInBreachUntilOneIsVerifiedAndIsNotHammered() {
        // sandbox starts with no backup: the first check (or the 0/20 cron slot, if it came first) starts one; the
        // breach metric goes back to 0 once it is verified, and RPO checks every second add at most one more attempt
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().when().get("/q/metrics").then().statusCode(200).extract().asString()
                        .contains("cpr_backup_rpo_breached{cluster=\"sandbox\"} 0.0"));

        List<Map<String, Object>> rpoBackups = given().when().get("/api/v1/backups?cluster=sandbox").then().statusCode(200)
                .extract().jsonPath().<Map<String, Object>>getList("$").stream()
                .filter(b -> "rpo".equals(b.get("trigger"))).toList();
        assertThat(rpoBackups).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void aStaleNewestVerifiedBackupOpensOneRpoIncidentAndTheNextVerifiedBackupResolvesIt() {
        List<CloudEvent> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "rpo-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.INCIDENTS));
            // legacy: verified backup at once (rpo trigger), 15 s later the RPO runs out -> incident + backup -> resolved
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (BackupWorld.LEGACY.equals(r.key())) {
                        CloudEvent event = EventCodec.decode(r.value());
                        if ("/cpr/backup-service".equals(event.source())) {
                            seen.add(event);
                        }
                    }
                }
                return seen.stream().anyMatch(e -> EventTypes.INCIDENT_RESOLVED.equals(e.type()));
            });
        }

        CloudEvent openedEvent = seen.stream().filter(e -> EventTypes.INCIDENT_OPENED.equals(e.type())).findFirst()
                .orElseThrow();
        IncidentOpened opened = EventCodec.data(openedEvent, IncidentOpened.class);
        assertThat(opened.failure()).isEqualTo(FailureKind.BACKUP_RPO_BREACHED);
        assertThat(opened.clusterId()).isEqualTo(BackupWorld.LEGACY);
        assertThat(opened.incidentId()).startsWith("backup-rpo-legacy-");
        assertThat(openedEvent.id()).isEqualTo(opened.incidentId() + "-opened");
        assertThat(opened.summary()).contains("older than the RPO");

        IncidentResolved resolved = seen.stream().filter(e -> EventTypes.INCIDENT_RESOLVED.equals(e.type()))
                .map(e -> EventCodec.data(e, IncidentResolved.class)).findFirst().orElseThrow();
        assertThat(resolved.incidentId()).isEqualTo(opened.incidentId());
        assertThat(seen.stream().filter(e -> EventTypes.INCIDENT_OPENED.equals(e.type()))
                .map(e -> EventCodec.data(e, IncidentOpened.class).incidentId()))
                .as("one open incident per cluster: each breach is opened once").doesNotHaveDuplicates();

        List<Map<String, Object>> legacyBackups = given().when().get("/api/v1/backups?cluster=legacy&status=verified")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(legacyBackups.stream().filter(b -> "rpo".equals(b.get("trigger"))))
                .as("the first check and the breach each started a backup at once").hasSizeGreaterThanOrEqualTo(2);
    }
}
