package dev.cpr.backup.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.backup.adapters.kafka.OutboxPublisher;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.events.Topics;
import dev.cpr.platform.outbox.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A catalog change and its event commit together, and the event leaves from its outbox row whatever happens between
 * the commit and the publish. The relay is paused to stand for a backup-service that died right after the commit;
 * resuming it is the restart.
 */
@QuarkusTest
class OutboxFaultTest {

    @Inject
    OutboxPublisher publisher;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void authenticate() {
        Backups.asOperator();
    }

    @AfterAll
    static void forgetToken() {
        Backups.reset();
    }

    @BeforeEach
    void theOutboxIsDrained() {
        await("the outbox drained").atMost(Duration.ofSeconds(30)).until(() -> backlog() == 0);
    }

    @AfterEach
    void relayRuns() {
        publisher.relay().resume();
    }

    @Test
    void aBackupsChangesCommittedBeforeTheirPublishLeaveAfterTheRestartFromTheirOutboxRowsUnchanged() throws Exception {
        try (BackupEventsConsumer events = new BackupEventsConsumer()) {
            // given a backup-service that will die between each commit and its publish
            publisher.relay().pause();

            // when a backup runs to its end
            String id = Backups.trigger("sandbox", null);
            String status = Backups.awaitSettled(id).getString("status");

            // then every change is committed (the API reads the end state) and its event waits in the outbox
            assertThat(status).isEqualTo(BackupStatus.VERIFIED.wire());
            Map<String, String> rows = pendingRows(id);
            assertThat(rows).hasSizeGreaterThanOrEqualTo(3);
            assertThat(backlog()).isGreaterThanOrEqualTo(rows.size());
            await("nothing of it on cpr.backups").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> events.about(id).isEmpty());

            // when the service is back
            publisher.relay().resume();

            // then the records leave in order and unchanged: the stored CloudEvents, keyed by cluster, structured mode
            List<BackupEventsConsumer.Received> sent = await("the backup's events published")
                    .atMost(Duration.ofSeconds(30)).until(() -> events.about(id), r -> r.size() == rows.size());
            assertThat(sent).extracting(BackupEventsConsumer.Received::value).containsExactlyElementsOf(rows.values());
            assertThat(sent).extracting(r -> r.event().id()).containsExactlyElementsOf(rows.keySet());
            assertThat(sent).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo("sandbox");
                assertThat(r.contentType()).startsWith("application/cloudevents+json");
            });
            assertThat(sent.get(sent.size() - 1).update().status()).isEqualTo(BackupStatus.VERIFIED);
            await("the outbox drained").atMost(Duration.ofSeconds(30)).until(() -> backlog() == 0);
            assertThat(pendingRows(id)).isEmpty();
        }
    }

    private double backlog() {
        return registry.get(OutboxRelay.BACKLOG_GAUGE).tag("service", "backup-service").gauge().value();
    }

    /** The backup's unpublished dev.cpr.backup.updated rows: event id → the stored CloudEvent, in outbox order. */
    private Map<String, String> pendingRows(String backupId) throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select event_id, cloud_event from backup_service.event_outbox where published_at is null"
                        + " and topic = ? and event_id like ? order by seq")) {
            s.setString(1, Topics.BACKUPS);
            s.setString(2, backupId + "-%");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return rows;
    }
}
