package dev.cpr.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.sandbox.slack.SimMessage;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import dev.cpr.sandbox.testing.SlackSimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * notifier as the reader of {@code cpr.backups}: backup-service's events in, Slack messages (as the simulator
 * recorded them) out. A FAILED or CORRUPT backup is told once; a successful one is not told at all. Each test uses
 * its own cluster id, and a later event of the same cluster (same partition) proves the earlier ones were consumed.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SlackSimulatorResource.class)
class BackupAlertFlowTest {

    private static final Duration AT_MOST = Duration.ofSeconds(30);
    private static final EventCodec BACKUP_SERVICE = new EventCodec("/cpr/backup-service", Clock.systemUTC());
    private static final Instant T0 = Instant.parse("2026-12-03T04:00:00Z");

    @Test
    void aFailedBackupIsOneMessageSayingWhyAndItsSuccessfulNeighboursPostNothing() {
        String cluster = "backup-failed-" + shortId();

        send(cluster, backup("b1-" + cluster, cluster, BackupStatus.IN_PROGRESS, null, 1));
        send(cluster, backup("b1-" + cluster, cluster, BackupStatus.VERIFIED, "restore drill: 1200 keys", 2));
        send(cluster, backup("b2-" + cluster, cluster, BackupStatus.FAILED, "no member answered within PT3S", 2));

        SimMessage message = awaitSingleMessage(cluster);
        assertThat(message.text()).contains("b2-" + cluster).contains("backup failed")
                .contains("no member answered within PT3S");
        assertThat(message.blocks().toString()).contains("\"type\":\"header\"").contains("b2-" + cluster);
    }

    @Test
    void aCorruptBackupIsOneMessageAndARedeliveryOrAnotherDrillWithTheSameFindingAddsNone() {
        String cluster = "backup-corrupt-" + shortId();
        CloudEvent corrupt = BACKUP_SERVICE.wrap(EventTypes.BACKUP_UPDATED, cluster,
                backup("b1-" + cluster, cluster, BackupStatus.CORRUPT, "sha256 differs from the catalog", 3));

        send(cluster, corrupt);
        awaitSingleMessage(cluster);
        send(cluster, corrupt);
        send(cluster, backup("b1-" + cluster, cluster, BackupStatus.CORRUPT, "sha256 differs from the catalog", 4));
        // a later failure of another backup of the same cluster proves the three before it were consumed
        send(cluster, backup("b2-" + cluster, cluster, BackupStatus.FAILED, "disk full", 1));

        await().atMost(AT_MOST).untilAsserted(() -> assertThat(messages(cluster)).hasSize(2));
        assertThat(messages(cluster)).filteredOn(m -> m.text().contains("b1-" + cluster)).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("backup is corrupt"));
    }

    @Test
    void malformedBackupRecordsGoToTheDeadLetterTopicAndTheNextEventIsStillTold() {
        String cluster = "backup-dlq-" + shortId();
        String notJson = "this is not a cloud event " + cluster;
        String noBackupId = EventCodec.encode(BACKUP_SERVICE.wrap(EventTypes.BACKUP_UPDATED, cluster,
                Map.of("clusterId", cluster, "status", "failed")));

        Kafka.sendRaw(Topics.BACKUPS, cluster, notJson);
        Kafka.sendRaw(Topics.BACKUPS, cluster, noBackupId);
        send(cluster, backup("b1-" + cluster, cluster, BackupStatus.FAILED, "etcdctl exited 1", 2));

        awaitSingleMessage(cluster);
        assertThat(Kafka.rawValues(Topics.deadLetter(Topics.BACKUPS, "notifier"), cluster, 2, AT_MOST))
                .containsExactly(notJson, noBackupId);
    }

    // ------------------------------------------------------------------ helpers

    private static SimMessage awaitSingleMessage(String cluster) {
        await().atMost(AT_MOST).untilAsserted(() -> assertThat(messages(cluster)).hasSize(1));
        return messages(cluster).get(0);
    }

    /** The messages about this cluster (every message cpr writes names the cluster). */
    private static List<SimMessage> messages(String cluster) {
        return SlackSimulatorResource.simulator().messages().stream()
                .filter(m -> m.text().contains(cluster))
                .toList();
    }

    private static void send(String cluster, BackupUpdate backup) {
        send(cluster, BACKUP_SERVICE.wrap(EventTypes.BACKUP_UPDATED, cluster, backup));
    }

    private static void send(String cluster, CloudEvent event) {
        Kafka.send(Topics.BACKUPS, cluster, event);
    }

    private static BackupUpdate backup(String id, String cluster, BackupStatus status, String verification,
            long sequence) {
        return new BackupUpdate(id, cluster, "etcd-v3-snapshot", status, "scheduled", T0, null, "etcd-1", null, "none",
                null, null, null, null, T0, T0.plusSeconds(sequence), null, verification, sequence);
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
