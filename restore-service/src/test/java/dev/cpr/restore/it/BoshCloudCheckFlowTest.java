package dev.cpr.restore.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshDirectorConfig;
import dev.cpr.bosh.BoshInstance;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.contracts.recovery.StepView;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator;
import dev.cpr.sandbox.bosh.InstanceRecord;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.testing.BoshDirectorResource;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed 001 against the BOSH director simulator over a real 3-member etcd cluster, with Kafka and PostgreSQL:
 * the inventory's members are BOSH masters ({@code access: bosh}), restore-service reaches them through the
 * director (stop, start, cloud check) and their persistent disk through the local VM shell.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(BoshDirectorResource.class)
@WithTestResource(BoshMembersResource.class)
class BoshCloudCheckFlowTest {

    private static final EventCodec HEALTH_MONITOR = new EventCodec("/cpr/health-monitor", Clock.systemUTC());

    @BeforeAll
    static void viewerToken() {
        io.restassured.RestAssured.authentication = io.restassured.RestAssured.oauth2(QuorumRestoreFlowTest.VIEWER);
    }

    @AfterAll
    static void noToken() {
        io.restassured.RestAssured.authentication = io.restassured.RestAssured.DEFAULT_AUTH;
    }

    @Test
    void aMasterThatLostItsWalAndItsVmIsRecreatedThenItsMemberReplacedWithoutTouchingTheHealthyMasters()
            throws Exception {
        // given 10,000 keys, and a follower master whose WAL and then VM are deleted (seed 001). A follower: the
        // leader remembers how far it had replicated to it, so the member cannot come back on a fresh WAL (raft:
        // "tocommit is out of range") and stays broken after a recreate, as in the seed; a lost leader's
        // successor starts from scratch and the member may recover by itself (then the replace is skipped)
        EtcdCluster cluster = EtcdResource.cluster();
        cluster.awaitHealthy(Duration.ofSeconds(30));
        BoshDirectorSimulator director = BoshDirectorResource.director();
        cluster.putKeys("/bosh-it/", 10_000);
        long keys = cluster.countKeys();
        String target = follower(cluster);
        List<String> healthy = cluster.members().stream().map(m -> m.name()).filter(n -> !n.equals(target)).toList();
        InstanceRecord master = director.instance(target);
        String instance = master.group() + "/" + master.id();
        long healthyPidA = cluster.pid(healthy.get(0)).orElseThrow();
        long healthyPidB = cluster.pid(healthy.get(1)).orElseThrow();
        cluster.deleteWal(target);
        director.deleteVm(instance);
        assertThat(describe(director, instance).hasVm()).isFalse();

        // when health-monitor reports the missing VM
        IncidentOpened incident = new IncidentOpened("inc-" + UUID.randomUUID(), "sandbox", FailureKind.BOSH_VM_MISSING,
                List.of(instance), List.of(new MemberHealth(instance, null, false, "no VM")),
                "BOSH VM missing: " + instance, Instant.now(), Instant.now());
        KafkaTopics.send("cpr.incidents", "sandbox", EventCodec.encode(
                HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, "sandbox", incident)));

        // then bosh-cloud-check runs to the end
        RestoreFlowTest.Plan plan = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> planOf(incident.incidentId()), p -> p.isPresent() && p.get().state().isFinal())
                .orElseThrow();
        assertThat(plan.state()).as(plan.message() + " " + plan.steps()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(plan.plan()).isEqualTo("bosh-cloud-check");
        assertThat(plan.targetMember()).isEqualTo(target);
        assertThat(step(plan, "scan").output()).contains("missing_vm").contains(instance);
        assertThat(step(plan, "resolve").state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(step(plan, "resolve").output()).as("the recreate kept the broken disk")
                .contains("is not running after update").contains("the VM is back");
        assertThat(plan.steps().subList(4, 11)).extracting(StepView::state).containsOnly(StepState.SUCCEEDED);
        assertThat(step(plan, "stop-member").output()).contains("stopped " + target);

        // and every member is healthy with every key, the healthy masters never restarted, the director shows it running
        cluster.awaitHealthy(Duration.ofSeconds(30));
        assertThat(cluster.countKeys()).isEqualTo(keys);
        assertThat(cluster.pid(healthy.get(0)).orElseThrow()).isEqualTo(healthyPidA);
        assertThat(cluster.pid(healthy.get(1)).orElseThrow()).isEqualTo(healthyPidB);
        BoshInstance after = describe(director, instance);
        assertThat(after.hasVm()).isTrue();
        assertThat(after.state()).isEqualTo("started");
        assertThat(after.jobState()).isEqualTo("running");
        assertThat(after.isHealthy()).isTrue();
    }

    @Test
    void aCloudCheckCanBeTriggeredByHandForAMasterAndADryRunShowsItsSteps() {
        io.restassured.response.Response shown = given().auth().oauth2(QuorumRestoreFlowTest.OPERATOR)
                .contentType(io.restassured.http.ContentType.JSON)
                .body("{\"cluster\":\"sandbox\",\"plan\":\"bosh-cloud-check\",\"member\":\"etcd-3\",\"dryRun\":true}")
                .post("/api/v1/recoveries");

        shown.then().statusCode(200);
        assertThat(shown.jsonPath().getString("plan")).isEqualTo("bosh-cloud-check");
        assertThat(shown.jsonPath().getString("state")).isEqualTo("PROPOSED");
        assertThat(shown.jsonPath().getList("steps.name", String.class)).startsWith("scan", "resolve", "await-vm",
                "safety-snapshot").endsWith("verify-cluster");
        given().auth().oauth2(QuorumRestoreFlowTest.OPERATOR).contentType(io.restassured.http.ContentType.JSON)
                .body("{\"cluster\":\"sandbox\",\"plan\":\"bosh-cloud-check\"}").post("/api/v1/recoveries")
                .then().statusCode(400).contentType("application/problem+json");
    }

    /** A member that is not the leader, by etcd's own status ({@code POST /v3/maintenance/status}). */
    private static String follower(EtcdCluster cluster) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (var member : cluster.members()) {
            var response = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(member.clientUrl() + "/v3/maintenance/status"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            var status = json.readTree(response.body());
            if (!status.path("header").path("member_id").asText().equals(status.path("leader").asText())) {
                return member.name();
            }
        }
        throw new IllegalStateException("every member claims to lead");
    }

    /** The instance as {@code bosh is} shows it, through the director's API. */
    private static BoshInstance describe(BoshDirectorSimulator director, String instance) {
        BoshDirectorClient client = new BoshDirectorClient(BoshDirectorConfig.of(director.url(),
                director.options().client(), director.options().clientSecret())
                .withTaskPolling(Duration.ofMillis(50), Duration.ofSeconds(30)));
        return client.instances(director.deployment()).stream().filter(i -> i.name().equals(instance)).findFirst()
                .orElseThrow();
    }

    private static Optional<RestoreFlowTest.Plan> planOf(String incidentId) {
        return List.of(given().get("/api/v1/recoveries?cluster=sandbox").as(RestoreFlowTest.Plan[].class)).stream()
                .filter(p -> p.incidentId().equals(incidentId)).findFirst();
    }

    private static StepView step(RestoreFlowTest.Plan plan, String name) {
        return plan.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
