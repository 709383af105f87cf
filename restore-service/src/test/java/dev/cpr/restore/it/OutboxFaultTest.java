package dev.cpr.restore.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.platform.events.EventRecords;
import dev.cpr.platform.outbox.OutboxRelay;
import dev.cpr.restore.adapters.kafka.RecoveryPublisher;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plan's state change and its event commit together, and the event leaves from its outbox row whatever happens
 * between the commit and the publish. The relay is paused to stand for a service that died right after the commit
 * (the e2e crash tests halt the JVM for real); resuming it is the restart.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(BackupServiceStandIn.class)
class OutboxFaultTest {

    private static final String VIEWER = QuorumRestoreFlowTest.VIEWER;
    private static final String OPERATOR = QuorumRestoreFlowTest.OPERATOR;

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Stored(String id, PlanState state, long sequence) {
    }

    @Inject
    RecoveryPublisher publisher;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void clusterIsHealthyAndIdle() {
        EtcdResource.cluster().awaitHealthy(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                List.of(given().auth().oauth2(VIEWER).get("/api/v1/recoveries?cluster=sandbox")
                        .as(QuorumRestoreFlowTest.Plan[].class)).stream().noneMatch(p -> !p.state().isFinal()));
        // the table, not only the gauge: the gauge is counted at the start of a relay pass, so it can still read 0
        // while the rows of the test before (committed a moment ago) wait, and pausing then would keep them in the count
        await().atMost(Duration.ofSeconds(30)).until(() -> unpublishedRows() == 0 && backlog() == 0);
    }

    @AfterEach
    void relayRuns() {
        publisher.relay().resume();
    }

    @Test
    void aTransitionCommittedBeforeItsPublishLeavesAfterTheRestartFromItsOutboxRowWithTheSameId() throws Exception {
        publisher.relay().pause();

        Stored rejected = aRestoreRejectedOverRest();

        // the state change is committed: the API reads it from the database
        assertThat(plan(rejected.id()).state()).isEqualTo(PlanState.REJECTED);
        Map<String, String> rows = outboxRows(rejected.id());
        assertThat(rows.keySet()).containsExactly(rejected.id() + "-1", rejected.id() + "-2");
        assertThat(published(rejected.id())).isEmpty();

        publisher.relay().resume();

        List<ConsumerRecord<String, String>> records = await().atMost(Duration.ofSeconds(30))
                .until(() -> published(rejected.id()), r -> r.size() == 2);
        assertThat(records).extracting(ConsumerRecord::value).containsExactlyElementsOf(rows.values());
        assertThat(records).extracting(ConsumerRecord::key).containsOnly("sandbox");
        assertThat(records).allSatisfy(r -> assertThat(new String(r.headers()
                .lastHeader(EventRecords.CONTENT_TYPE_HEADER).value(), StandardCharsets.UTF_8))
                .startsWith(EventRecords.CONTENT_TYPE));
        assertThat(outboxRows(rejected.id())).isEmpty();
    }

    @Test
    void whileNothingCanBePublishedTheTransitionStillCommitsAndTheBacklogGaugeGrowsThenDrains() throws Exception {
        publisher.relay().pause();

        Stored rejected = aRestoreRejectedOverRest();

        assertThat(plan(rejected.id()).state()).isEqualTo(PlanState.REJECTED);
        // the proposal, then the rejection with its decision's dev.cpr.approval.decided (written in its transaction)
        await().atMost(Duration.ofSeconds(10)).until(() -> backlog() == 3);
        assertThat(outboxTypes(rejected.id())).containsExactly(EventTypes.RECOVERY_UPDATED,
                EventTypes.RECOVERY_UPDATED, EventTypes.APPROVAL_DECIDED);

        publisher.relay().resume();

        await().atMost(Duration.ofSeconds(30)).until(() -> backlog() == 0);
        assertThat(published(rejected.id())).hasSize(2);
    }

    private Stored aRestoreRejectedOverRest() throws Exception {
        var snapshot = QuorumRestoreFlowTest.snapshotOf(EtcdResource.cluster());
        BackupServiceStandIn.add(snapshot, QuorumRestoreFlowTest.snapshotFile(snapshot.backupId()));
        String id = given().auth().oauth2(OPERATOR).contentType(ContentType.JSON)
                .body("{\"cluster\":\"sandbox\",\"plan\":\"etcd-quorum-restore\",\"snapshotId\":\"" + snapshot.backupId()
                        + "\"}").post("/api/v1/recoveries").then().statusCode(201)
                .body("state", equalTo("AWAITING_APPROVAL")).extract().path("id").toString();
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body("{\"reason\":\"not now\"}")
                .post("/api/v1/recoveries/" + id + "/reject").then().statusCode(200)
                .body("state", equalTo("REJECTED"));
        return plan(id);
    }

    private static Stored plan(String id) {
        return given().auth().oauth2(VIEWER).get("/api/v1/recoveries/" + id).then().statusCode(200).extract()
                .as(Stored.class);
    }

    private double backlog() {
        return registry.get(OutboxRelay.BACKLOG_GAUGE).tag("service", "restore-service").gauge().value();
    }

    /** The plan's unpublished dev.cpr.recovery.updated rows: event id → the stored CloudEvent, in outbox order. */
    /** Every row of the outbox not yet published, whatever plan or topic. */
    private long unpublishedRows() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select count(*) from restore_service.event_outbox where published_at is null");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Map<String, String> outboxRows(String planId) throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select event_id, cloud_event from restore_service.event_outbox where published_at is null"
                        + " and topic = ? and event_id like ? order by seq")) {
            s.setString(1, Topics.RECOVERIES);
            s.setString(2, planId + "-%");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return rows;
    }

    /** The types of the unpublished rows about this plan (its transitions and its decision), in outbox order. */
    private List<String> outboxTypes(String planId) throws Exception {
        List<String> types = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select event_type from restore_service.event_outbox where published_at is null"
                        + " and cloud_event like ? order by seq")) {
            s.setString(1, "%" + planId + "%");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    types.add(rs.getString(1));
                }
            }
        }
        return types;
    }

    private static List<ConsumerRecord<String, String>> published(String planId) {
        return KafkaTopics.readAll(Topics.RECOVERIES).stream()
                .filter(r -> r.value().contains("\"id\":\"" + planId + "-")).toList();
    }
}
