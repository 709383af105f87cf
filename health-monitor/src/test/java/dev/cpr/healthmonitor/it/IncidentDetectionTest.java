package dev.cpr.healthmonitor.it;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.testing.BoshDirectorResource;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * health-monitor against a real 3-member etcd cluster, Kafka and PostgreSQL: members are killed
 * for real and the incidents must appear on {@code cpr.incidents} and in the REST API.
 * The app polls every second with 2-poll debouncing (test profile).
 *
 * <p>The resources are the same as {@link BoshDetectionTest}'s (one Quarkus start for the module: the sandbox's
 * PostgreSQL resource cannot start twice in one JVM), so the cluster is {@code kind: bosh} here too and a killed
 * member also opens BOSH incidents; these tests look at the etcd ones.
 */
@QuarkusTest
@WithTestResource(EtcdResource.class)
@WithTestResource(BoshDirectorResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IncidentDetectionTest {

    private static final Duration DETECTION = Duration.ofSeconds(10);
    private static final Duration RECOVERY = Duration.ofSeconds(20);

    private static IncidentTopic topic;
    private static final EventCodec RESTORE_SERVICE = new EventCodec("/cpr/restore-service", Clock.systemUTC());

    /** The viewer token of the test profile's cpr.auth.tokens. */
    private static final String VIEWER_TOKEN = "hm-test-viewer-token";

    @BeforeAll
    static void consume() {
        topic = new IncidentTopic(KafkaResource.bootstrapServers());
        RestAssured.authentication = RestAssured.oauth2(VIEWER_TOKEN);
    }

    @AfterAll
    static void close() {
        topic.close();
        RestAssured.reset();
    }

    @BeforeEach
    void givenAHealthyCluster() {
        EtcdCluster cluster = EtcdResource.cluster();
        // a test that failed half-way may have left a member down: started again here, one failure stays one failure
        // instead of failing every test after it (and the other test classes sharing this cluster)
        cluster.restartStopped();
        cluster.awaitHealthy(RECOVERY);
        await("the monitor sees the cluster healthy with no open incident").atMost(RECOVERY).untilAsserted(() ->
                given().get("/api/v1/clusters").then().statusCode(200)
                        .body("[0].id", equalTo("sandbox"))
                        .body("[0].status", equalTo("HEALTHY"))
                        .body("[0].healthyMembers", equalTo(3))
                        .body("[0].openIncidents.size()", equalTo(0)));
    }

    @Test
    @Order(1)
    void clustersShowEveryMembersHealthAndTheLeader() {
        // when
        List<Map<String, Object>> clusters = given().get("/api/v1/clusters")
                .then().statusCode(200).contentType(ContentType.JSON)
                .extract().jsonPath().getList("");
        // then
        assertThat(clusters).singleElement().satisfies(c -> {
            assertThat(c.get("quorum")).isEqualTo(2);
            assertThat(c.get("leader")).isIn("etcd-1", "etcd-2", "etcd-3");
            assertThat((List<?>) c.get("members")).hasSize(3)
                    .allSatisfy(m -> assertThat(((Map<?, ?>) m).get("healthy")).isEqualTo(true));
        });
        // and, the member streams being on, that this replica's stream to every member is open
        await("every member's stream open").atMost(RECOVERY).untilAsserted(() ->
                assertThat(given().get("/api/v1/clusters").then().statusCode(200).extract().jsonPath()
                        .getList("[0].members.streamOpen")).containsExactly(true, true, true));
    }

    @Test
    @Order(1)
    void clustersShowEachMembersDatabaseSizeAgainstTheQuotaTheMembersReport() {
        // then: the sizes come from each member's status, the quota from a member's metrics (etcd's 2 GiB default:
        // the test cluster runs without --quota-backend-bytes), read on the hash-check interval
        await("the quota read from a member and every member's database size").atMost(RECOVERY).untilAsserted(() -> {
            Map<String, Object> cluster = given().get("/api/v1/clusters").then().statusCode(200)
                    .extract().jsonPath().getMap("[0]");
            assertThat(((Number) cluster.get("quotaBytes")).longValue()).isEqualTo(2L * 1024 * 1024 * 1024);
            assertThat((List<?>) cluster.get("members")).hasSize(3).allSatisfy(m -> {
                Map<?, ?> member = (Map<?, ?>) m;
                assertThat(((Number) member.get("dbSize")).longValue()).isPositive();
                assertThat(((Number) member.get("dbSizeInUse")).longValue()).isPositive()
                        .isLessThanOrEqualTo(((Number) member.get("dbSize")).longValue());
                // a plain-HTTP member has no certificate to end
                assertThat(member.get("certificateNotAfter")).isNull();
            });
        });
    }

    @Test
    @Order(2)
    void theApiRefusesACallerWithoutATokenButHealthStaysOpen() {
        given().auth().none().get("/api/v1/incidents")
                .then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2("not-a-configured-token").get("/api/v1/clusters")
                .then().statusCode(401);
        given().auth().none().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    @Order(2)
    void unknownIncidentIs404ProblemJson() {
        given().get("/api/v1/incidents/no-such-id")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("detail", containsString("no-such-id"));
    }

    @Test
    @Order(3)
    void badStateIs400ProblemJsonNamingTheParameter() {
        given().queryParam("state", "BROKEN").get("/api/v1/incidents")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", containsString("'state'"))
                .body("detail", containsString("OPEN"));
    }

    @Test
    void swaggerUiIsServedWhereTheReadmeSaysAndIsPartOfEveryBuild() {
        io.restassured.RestAssured.given().auth().none().redirects().follow(true).get("/q/swagger-ui/")
                .then().statusCode(200).contentType(org.hamcrest.Matchers.containsString("text/html"))
                .body(org.hamcrest.Matchers.containsString("swagger-ui"));
        // not only in dev and test: a prod build keeps it only with this build-time setting
        org.assertj.core.api.Assertions.assertThat(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.swagger-ui.always-include", Boolean.class)).contains(true);
    }

    @Test
    @Order(3)
    void aNulByteOrAMalformedClusterIdIs400ProblemJsonNotADatabaseError() {
        given().urlEncodingEnabled(false).get("/api/v1/incidents?cluster=sandbox%00")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Bad request parameter 'cluster'"))
                .body("detail", containsString("U+0000"));
        given().urlEncodingEnabled(false).get("/api/v1/incidents/inc%00")
                .then().statusCode(400)
                .body("title", equalTo("Bad request parameter 'id'"));
        given().queryParam("cluster", "Sandbox;DROP").get("/api/v1/incidents")
                .then().statusCode(400)
                .body("detail", containsString("must be a cluster id"));
    }

    @Test
    @Order(4)
    void readinessMetricsAndOpenApiAreServed() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("cpr_monitor_members_healthy{cluster=\"sandbox\"} 3.0"))
                .body(containsString("cpr_monitor_incidents_opened_total{cluster=\"sandbox\",failure=\"QUORUM_LOST\"}"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/incidents"));
    }

    @Test
    @Order(10)
    void oneMemberKilledOpensMemberUnhealthyAndItsRestartResolvesIt() {
        EtcdCluster cluster = EtcdResource.cluster();
        // when
        java.time.Instant killed = java.time.Instant.now();
        cluster.kill("etcd-2");
        // then
        IncidentTopic.Received opened = await("incident.opened for etcd-2").atMost(DETECTION)
                .until(() -> topic.find(r -> isOpened(r, FailureKind.MEMBER_UNHEALTHY)), java.util.Optional::isPresent)
                .get();
        IncidentOpened incident = EventCodec.data(opened.event(), IncidentOpened.class);
        System.out.printf("etcd-2 killed: first seen after %d ms, incident detected after %d ms%n",
                Duration.between(killed, incident.firstSeenAt()).toMillis(),
                Duration.between(killed, incident.detectedAt()).toMillis());
        // seen by its dropped stream first (the drop is confirmed by one poll, IncidentTrackerTest): how fast is the
        // benchmark's to measure, not this test's on a shared machine
        given().get("/q/metrics").then().statusCode(200).body(containsString(
                "cpr_monitor_member_drops_total{cluster=\"sandbox\",member=\"etcd-2\",signal=\"ended\"}"));
        assertThat(incident.firstSeenAt()).isAfterOrEqualTo(killed.minusMillis(1));
        assertThat(opened.key()).isEqualTo("sandbox");
        assertThat(opened.event().subject()).isEqualTo("sandbox");
        assertThat(opened.event().source()).isEqualTo("/cpr/health-monitor");
        assertThat(opened.event().id()).isEqualTo(incident.incidentId() + ":opened");
        assertThat(incident.failedMembers()).containsExactly("etcd-2");
        assertThat(incident.firstSeenAt()).isBefore(incident.detectedAt());
        assertThat(incident.members()).hasSize(3);
        given().queryParam("cluster", "sandbox").queryParam("state", "open").get("/api/v1/incidents")
                .then().statusCode(200)
                .body("find { it.failure == 'MEMBER_UNHEALTHY' }.id", equalTo(incident.incidentId()))
                .body("find { it.failure == 'MEMBER_UNHEALTHY' }.failedMembers", equalTo(List.of("etcd-2")));

        // when
        cluster.restart("etcd-2");
        // then
        IncidentTopic.Received resolved = await("incident.resolved").atMost(RECOVERY)
                .until(() -> topic.find(r -> isResolved(r, incident.incidentId())), java.util.Optional::isPresent)
                .get();
        assertThat(resolved.key()).isEqualTo("sandbox");
        assertThat(EventCodec.data(resolved.event(), IncidentResolved.class).resolvedAt())
                .isAfter(incident.detectedAt());
        given().get("/api/v1/incidents/" + incident.incidentId())
                .then().statusCode(200)
                .body("state", equalTo("RESOLVED"));
    }

    @Test
    @Order(20)
    void twoMembersKilledOpenQuorumLost() {
        EtcdCluster cluster = EtcdResource.cluster();
        // when
        cluster.kill("etcd-1");
        cluster.kill("etcd-3");
        // then
        IncidentTopic.Received opened = await("incident.opened QUORUM_LOST").atMost(DETECTION)
                .until(() -> topic.find(r -> isOpened(r, FailureKind.QUORUM_LOST)), java.util.Optional::isPresent)
                .get();
        IncidentOpened incident = EventCodec.data(opened.event(), IncidentOpened.class);
        assertThat(opened.key()).isEqualTo("sandbox");
        assertThat(incident.failedMembers()).contains("etcd-1", "etcd-3");

        // and when the members come back, the incident resolves (leaving the cluster clean)
        cluster.restart("etcd-1");
        cluster.restart("etcd-3");
        await("QUORUM_LOST resolved").atMost(RECOVERY)
                .until(() -> topic.find(r -> isResolved(r, incident.incidentId())), java.util.Optional::isPresent);
        await("no incident left open").atMost(RECOVERY).untilAsserted(() ->
                given().queryParam("state", "OPEN").get("/api/v1/incidents")
                        .then().statusCode(200).body("size()", equalTo(0)));
    }

    /**
     * CI21: a point-in-time restore's own {@code stop-members} was confirmed as QUORUM_LOST. While restore-service
     * says such a plan runs, what the polls see of the members is the plan's doing; once it ends, they are judged.
     */
    @Test
    @Order(25)
    void membersStoppedWhileARestoreOfCprsOwnRunsOpenNoIncidentUntilItEnds() throws Exception {
        EtcdCluster cluster = EtcdResource.cluster();
        String planId = "pitr-" + UUID.randomUUID();
        // given a point-in-time restore running on the cluster, as restore-service publishes it
        publishRecovery(planId, PlanState.RUNNING);
        await("the cluster shown as held by the plan").atMost(DETECTION).untilAsserted(() ->
                given().get("/api/v1/clusters").then().statusCode(200)
                        .body("[0].heldBy.planId", equalTo(planId))
                        .body("[0].heldBy.plan", equalTo("etcd-point-in-time-restore")));
        Instant since = Instant.now();

        // when its stop-members takes two members down, for longer than two polls' debounce
        cluster.killTogether(List.of("etcd-1", "etcd-3"));
        await("the polls see the quorum lost").atMost(DETECTION).untilAsserted(() ->
                given().get("/api/v1/clusters").then().statusCode(200).body("[0].status", equalTo("QUORUM_LOST")));

        // then nothing opens for it, for twice the two polls' debounce
        await("no member or quorum incident while the plan runs").during(Duration.ofSeconds(4))
                .atMost(Duration.ofSeconds(6)).until(() -> topic.find(r -> openedSince(r, since,
                        FailureKind.QUORUM_LOST) || openedSince(r, since, FailureKind.MEMBER_UNHEALTHY)).isEmpty());

        // and when the plan ends with the members still down, the quorum loss is judged and opens
        publishRecovery(planId, PlanState.FAILED);
        IncidentTopic.Received opened = await("incident.opened QUORUM_LOST after the plan ended").atMost(DETECTION)
                .until(() -> topic.find(r -> openedSince(r, since, FailureKind.QUORUM_LOST)),
                        java.util.Optional::isPresent)
                .get();
        given().get("/api/v1/clusters").then().statusCode(200).body("[0].heldBy", org.hamcrest.Matchers.nullValue());

        IncidentOpened incident = EventCodec.data(opened.event(), IncidentOpened.class);
        cluster.restart("etcd-1");
        cluster.restart("etcd-3");
        await("QUORUM_LOST resolved").atMost(RECOVERY)
                .until(() -> topic.find(r -> isResolved(r, incident.incidentId())), java.util.Optional::isPresent);
    }

    private static boolean openedSince(IncidentTopic.Received r, Instant since, FailureKind failure) {
        return isOpened(r, failure) && EventCodec.data(r.event(), IncidentOpened.class).detectedAt().isAfter(since);
    }

    private static void publishRecovery(String planId, PlanState state) throws Exception {
        Instant now = Instant.now();
        RecoveryUpdate update = new RecoveryUpdate(planId, "manual-" + planId, "sandbox", "etcd-point-in-time-restore",
                state, state == PlanState.RUNNING ? 2 : 3, List.of(), "restore to revision 100", now, now, null, null);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(Topics.RECOVERIES, "sandbox", EventCodec.encode(RESTORE_SERVICE.wrap(
                    EventTypes.RECOVERY_UPDATED, "sandbox", update)))).get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(30)
    void everyIncidentRecordIsAStructuredCloudEventThatTheSdkReads() {
        // given the incidents the tests above opened and resolved
        List<IncidentTopic.Received> records = topic.received();

        // then each carries the structured mode's content type, and the SDK's Kafka deserializer reads what cpr wrote
        assertThat(records).isNotEmpty().allSatisfy(r -> {
            assertThat(r.contentType()).startsWith("application/cloudevents+json");
            assertThat(r.sdkEvent().getId()).isEqualTo(r.event().id());
            assertThat(r.sdkEvent().getType()).isEqualTo(r.event().type());
            assertThat(r.sdkEvent().getSubject()).isEqualTo(r.key());
            assertThat(r.sdkEvent().getSource()).hasToString("/cpr/health-monitor");
        });
    }

    private static boolean isOpened(IncidentTopic.Received r, FailureKind failure) {
        return r.event().type().equals(EventTypes.INCIDENT_OPENED)
                && EventCodec.data(r.event(), IncidentOpened.class).failure() == failure;
    }

    private static boolean isResolved(IncidentTopic.Received r, String incidentId) {
        return r.event().type().equals(EventTypes.INCIDENT_RESOLVED)
                && EventCodec.data(r.event(), IncidentResolved.class).incidentId().equals(incidentId);
    }
}
