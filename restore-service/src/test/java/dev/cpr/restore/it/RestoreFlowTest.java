package dev.cpr.restore.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.contracts.recovery.StepView;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.etcd.jetcd.cluster.Member;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * restore-service against real servers: a 3-member etcd cluster (sandbox), a Kafka broker and PostgreSQL.
 * Incidents go in through {@code cpr.incidents} as health-monitor would send them.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(dev.cpr.restore.it.BackupServiceStandIn.class)
class RestoreFlowTest {

    private static final EventCodec HEALTH_MONITOR = new EventCodec("/cpr/health-monitor", Clock.systemUTC());

    private EtcdCluster cluster;

    @org.junit.jupiter.api.BeforeAll
    static void viewerToken() {
        io.restassured.RestAssured.authentication = io.restassured.RestAssured.oauth2(QuorumRestoreFlowTest.VIEWER);
    }

    @org.junit.jupiter.api.AfterAll
    static void noToken() {
        io.restassured.RestAssured.authentication = io.restassured.RestAssured.DEFAULT_AUTH;
    }

    @BeforeEach
    void clusterIsHealthyAndIdle() {
        cluster = EtcdResource.cluster();
        cluster.awaitHealthy(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                List.of(given().get("/api/v1/recoveries?cluster=sandbox").as(Plan[].class)).stream()
                        .noneMatch(p -> p.state() == PlanState.RUNNING));
    }

    @Test
    void aMemberThatLostItsWalIsReplacedAndTheClusterKeepsEveryKey() throws Exception {
        cluster.putKeys("/restore-it/replace/", 10_000);
        long keys = cluster.countKeys();
        long oldId = memberId("etcd-2").orElseThrow();

        cluster.kill("etcd-2");
        cluster.deleteWal("etcd-2");
        long faultAt = System.nanoTime();
        IncidentOpened incident = incident("etcd-2");
        KafkaTopics.send("cpr.incidents", "sandbox", EventCodec.encode(
                HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, "sandbox", incident)));

        Plan plan = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> planOf(incident.incidentId()), p -> p.isPresent() && p.get().state().isFinal())
                .orElseThrow();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - faultAt);
        System.out.printf("MEASURED etcd-member-replace: incident produced -> plan %s in %d ms (plan rtoMillis %d)%n",
                plan.state(), tookMillis, plan.rtoMillis());

        assertThat(plan.state()).as(plan.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(plan.steps()).extracting(StepView::name).containsExactly("safety-snapshot", "stop-member",
                "member-remove", "wipe-data-dir", "member-add", "start-member", "wait-caught-up", "verify-cluster");
        assertThat(plan.steps()).extracting(StepView::state)
                .containsOnly(StepState.SUCCEEDED, StepState.SKIPPED);
        assertThat(step(plan, "member-remove").attempts()).isEqualTo(1);
        assertThat(step(plan, "member-remove").state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(plan.rtoMillis()).isPositive();
        assertThat(cluster.isHealthy("etcd-2")).isTrue();
        assertThat(memberId("etcd-2")).isPresent().get().isNotEqualTo(oldId);
        assertThat(cluster.countKeys()).isEqualTo(keys);

        List<RecoveryUpdate> updates = await().atMost(Duration.ofSeconds(10)).until(
                () -> updatesOf(plan.id()), u -> !u.isEmpty() && u.get(u.size() - 1).state() == PlanState.SUCCEEDED);
        assertThat(updates).extracting(RecoveryUpdate::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(updates.get(0).state()).isEqualTo(PlanState.RUNNING);
        assertThat(updates.get(updates.size() - 1).rtoMillis()).isEqualTo(plan.rtoMillis());

        given().get("/api/v1/recoveries/" + plan.id()).then().statusCode(200)
                .body("state", equalTo("SUCCEEDED"))
                .body("targetMember", equalTo("etcd-2"))
                .body("steps[2].name", equalTo("member-remove"))
                .body("steps[2].attempts", equalTo(1));
    }

    @Test
    void aMalformedRecordGoesToTheDeadLetterTopicAndTheNextIncidentIsStillHandled() {
        String garbage = "not json " + UUID.randomUUID();
        String noSubject = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID()
                + "\",\"source\":\"/x\",\"type\":\"dev.cpr.incident.opened\",\"data\":{}}";
        String badPayload = EventCodec.encode(HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, "sandbox",
                new IncidentOpened(null, "sandbox", FailureKind.MEMBER_UNHEALTHY, List.of("etcd-3"), List.of(), "no id",
                        Instant.now(), Instant.now())));
        IncidentOpened incident = incident("etcd-3");

        KafkaTopics.send("cpr.incidents", "sandbox", garbage);
        KafkaTopics.send("cpr.incidents", "sandbox", noSubject);
        KafkaTopics.send("cpr.incidents", "sandbox", badPayload);
        KafkaTopics.send("cpr.incidents", "sandbox", EventCodec.encode(
                HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, "sandbox", incident)));

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(KafkaTopics.readAll("cpr.incidents.dlq.restore-service"))
                        .extracting(r -> r.value()).contains(garbage, noSubject, badPayload));
        // acted on: etcd-3 is in fact up with its data, so the revive finds it back and touches nothing
        Plan plan = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> planOf(incident.incidentId()), p -> p.isPresent() && p.get().state().isFinal())
                .orElseThrow();
        assertThat(plan.state()).as(plan.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(plan.plan()).isEqualTo("etcd-member-revive");
        assertThat(step(plan, "stop-member").state()).isEqualTo(StepState.SKIPPED);
        assertThat(step(plan, "wipe-data-dir").state()).isEqualTo(StepState.SKIPPED);
        cluster.awaitHealthy(Duration.ofSeconds(10));
    }

    @Test
    void aRedeliveredIncidentMakesNoSecondPlan() {
        IncidentOpened incident = incident("etcd-1");
        CloudEvent event = HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, "sandbox", incident);
        KafkaTopics.send("cpr.incidents", "sandbox", EventCodec.encode(event));
        Plan first = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> planOf(incident.incidentId()), p -> p.isPresent() && p.get().state().isFinal())
                .orElseThrow();
        double duplicatesBefore = incidentsWithOutcome("duplicate");

        KafkaTopics.send("cpr.incidents", "sandbox", EventCodec.encode(event));

        await().atMost(Duration.ofSeconds(10)).until(() -> incidentsWithOutcome("duplicate") > duplicatesBefore);
        assertThat(List.of(given().get("/api/v1/recoveries?cluster=sandbox").as(Plan[].class)))
                .filteredOn(p -> p.incidentId().equals(incident.incidentId())).hasSize(1)
                .first().extracting(Plan::id).isEqualTo(first.id());
    }

    @Test
    void healthMetricsAndOpenApiAreServed() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200);
        assertThat(given().get("/q/openapi").asString()).contains("/api/v1/recoveries/{id}");
    }

    @Test
    void unknownPlansAndBadRequestsAreProblems() {
        given().get("/api/v1/recoveries/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
        given().get("/api/v1/recoveries/not-a-uuid").then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400));
        given().get("/api/v1/recoveries?limit=0").then().statusCode(400).contentType("application/problem+json");
        given().get("/api/v1/recoveries?cluster=nowhere").then().statusCode(200).contentType(ContentType.JSON)
                .body("size()", equalTo(0));
    }

    private static IncidentOpened incident(String member) {
        Instant now = Instant.now();
        return new IncidentOpened("inc-" + UUID.randomUUID(), "sandbox", FailureKind.MEMBER_UNHEALTHY,
                List.of(member), List.of(new MemberHealth(member, null, false, "connection refused")),
                member + " is down", now, now);
    }

    private static Optional<Plan> planOf(String incidentId) {
        return List.of(given().get("/api/v1/recoveries?cluster=sandbox").as(Plan[].class)).stream()
                .filter(p -> p.incidentId().equals(incidentId)).findFirst();
    }

    private static StepView step(Plan plan, String name) {
        return plan.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<RecoveryUpdate> updatesOf(String planId) {
        return KafkaTopics.events("cpr.recoveries").stream()
                .filter(e -> e.type().equals(EventTypes.RECOVERY_UPDATED))
                .map(e -> EventCodec.data(e, RecoveryUpdate.class))
                .filter(u -> u.planId().equals(planId))
                .toList();
    }

    private Optional<Long> memberId(String name) throws Exception {
        return cluster.client().getClusterClient().listMember().get(5, TimeUnit.SECONDS).getMembers().stream()
                .filter(m -> m.getName().equals(name)).map(Member::getId).findFirst();
    }

    private static double incidentsWithOutcome(String outcome) {
        String metrics = given().get("/q/metrics").asString();
        return metrics.lines()
                .filter(l -> l.startsWith("cpr_restore_incidents_total{") && l.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** The REST shape, read back. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Plan(String id, String incidentId, String clusterId, String plan, String targetMember, PlanState state,
            long sequence, String message, Long rtoMillis, List<StepView> steps) {
    }
}
