package dev.cpr.healthmonitor.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.healthmonitor.adapters.kafka.IncidentPublisher;
import dev.cpr.platform.outbox.OutboxRelay;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.testing.BoshDirectorResource;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An incident and its event commit together, and the event leaves from its outbox row whatever happens between the
 * commit and the publish. The relay is paused to stand for a health-monitor that died right after the commit;
 * resuming it is the restart. Same resources as {@link IncidentDetectionTest}, so the module keeps one Quarkus start.
 */
@QuarkusTest
@WithTestResource(EtcdResource.class)
@WithTestResource(BoshDirectorResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class OutboxFaultTest {

    private static final String VIEWER_TOKEN = "hm-test-viewer-token";
    private static final Duration DETECTION = Duration.ofSeconds(10);
    private static final Duration RECOVERY = Duration.ofSeconds(20);

    @Inject
    IncidentPublisher publisher;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    private IncidentTopic topic;

    @BeforeEach
    void givenAHealthyClusterAndAnEmptyOutbox() {
        RestAssured.authentication = RestAssured.oauth2(VIEWER_TOKEN);
        // a member an earlier test class left down (it failed half-way) is started: that failure is its own, not this
        EtcdResource.cluster().restartStopped();
        EtcdResource.cluster().awaitHealthy(RECOVERY);
        await("no incident left open").atMost(RECOVERY).untilAsserted(() ->
                given().queryParam("state", "OPEN").get("/api/v1/incidents")
                        .then().statusCode(200).body("size()", equalTo(0)));
        await("the outbox drained").atMost(RECOVERY).until(() -> backlog() == 0);
        topic = new IncidentTopic(KafkaResource.bootstrapServers());
    }

    @AfterEach
    void relayRunsAndTheClusterIsWhole() {
        publisher.relay().resume();
        topic.close();
        EtcdCluster cluster = EtcdResource.cluster();
        cluster.restartStopped();
        cluster.awaitHealthy(RECOVERY);
        RestAssured.reset();
    }

    @Test
    void anIncidentCommittedBeforeItsPublishLeavesAfterTheRestartFromItsOutboxRowWithTheSameId() throws Exception {
        // given a health-monitor that will die between the commit and the publish
        publisher.relay().pause();

        // when a member fails
        EtcdResource.cluster().kill("etcd-2");

        // then the incident is committed (the API reads it from the database) and its event waits in the outbox
        String incidentId = await("MEMBER_UNHEALTHY stored").atMost(DETECTION).until(() -> given()
                .queryParam("cluster", "sandbox").queryParam("state", "OPEN").get("/api/v1/incidents")
                .then().statusCode(200).extract().jsonPath()
                .<String>get("find { it.failure == 'MEMBER_UNHEALTHY' }.id"), id -> id != null);
        String eventId = incidentId + ":opened";
        String stored = pendingRow(eventId).orElseThrow(() -> new AssertionError("no pending outbox row " + eventId));
        // the gauge is counted at the start of each relay pass, so it may trail the commit by one pass
        await("the backlog gauge counts the row").atMost(RECOVERY).until(() -> backlog() >= 1);
        assertThat(topic.find(r -> r.event().id().equals(eventId))).isEmpty();

        // when the service is back
        publisher.relay().resume();

        // then the record leaves unchanged: the stored CloudEvent, keyed by cluster, in structured mode
        IncidentTopic.Received sent = await("incident.opened published").atMost(RECOVERY)
                .until(() -> topic.find(r -> r.event().id().equals(eventId)), Optional::isPresent).get();
        assertThat(sent.value()).isEqualTo(stored);
        assertThat(sent.key()).isEqualTo("sandbox");
        assertThat(sent.event().type()).isEqualTo(EventTypes.INCIDENT_OPENED);
        assertThat(sent.contentType()).startsWith("application/cloudevents+json");
        assertThat(sent.sdkEvent().getId()).isEqualTo(eventId);
        await("the outbox drained").atMost(RECOVERY).until(() -> backlog() == 0);
        assertThat(pendingRow(eventId)).isEmpty();
    }

    private double backlog() {
        return registry.get(OutboxRelay.BACKLOG_GAUGE).tag("service", "health-monitor").gauge().value();
    }

    /** The stored CloudEvent of an unpublished row of {@code cpr.incidents}. */
    private Optional<String> pendingRow(String eventId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select cloud_event from health_monitor.event_outbox where published_at is null"
                        + " and topic = ? and event_id = ?")) {
            s.setString(1, Topics.INCIDENTS);
            s.setString(2, eventId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
