package dev.cpr.healthmonitor.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshDirectorConfig;
import dev.cpr.bosh.InstanceState;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator;
import dev.cpr.sandbox.bosh.InstanceRecord;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.testing.BoshDirectorResource;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * health-monitor watching a {@code kind: bosh} cluster: the BOSH director simulator over a real 3-member etcd
 * cluster (3 masters + 1 worker), real Kafka and PostgreSQL. Faults are the simulator's (failing job, deleted VM,
 * director down, two masters at once); the incidents must appear on {@code cpr.incidents}. The test profile lowers
 * the meltdown guard to 2 instances and 40 %, so one master down is per-instance and two are a meltdown.
 */
@QuarkusTest
@WithTestResource(EtcdResource.class)
@WithTestResource(BoshDirectorResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BoshDetectionTest {

    private static final Duration DETECTION = Duration.ofSeconds(20);
    private static final Duration RECOVERY = Duration.ofSeconds(40);
    private static final String VIEWER_TOKEN = "hm-test-viewer-token";

    private static IncidentTopic topic;

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
    void givenEveryMasterRunningAndNoIncident() {
        EtcdResource.cluster().awaitHealthy(RECOVERY);
        await("every instance running, no open incident").atMost(RECOVERY).untilAsserted(() ->
                given().get("/api/v1/clusters").then().statusCode(200)
                        .body("[0].bosh.directorReachable", equalTo(true))
                        .body("[0].bosh.instances.processState", everyItem(equalTo("running")))
                        .body("[0].openIncidents.size()", equalTo(0)));
    }

    @Test
    @Order(1)
    void clustersShowTheDeploymentsInstancesAsBoshIsDoes() {
        BoshDirectorSimulator director = BoshDirectorResource.director();
        List<Map<String, Object>> instances = given().get("/api/v1/clusters").then().statusCode(200)
                .body("[0].kind", equalTo("bosh"))
                .body("[0].bosh.deployment", equalTo(director.deployment()))
                .body("[0].bosh.instanceGroup", equalTo("master"))
                .extract().jsonPath().getList("[0].bosh.instances");
        InstanceRecord master0 = director.instance("master/0");
        assertThat(instances).hasSize(4);
        assertThat(instances).filteredOn(i -> i.get("name").equals("master/" + master0.id())).singleElement()
                .satisfies(i -> {
                    assertThat(i.get("index")).isEqualTo(0);
                    assertThat(i.get("jobState")).isEqualTo("running");
                    assertThat(i.get("az")).isEqualTo(master0.az());
                    assertThat((List<?>) i.get("ips")).isNotEmpty();
                    assertThat(((Map<?, ?>) i.get("processes")).get("etcd")).isEqualTo("running");
                });
    }

    @Test
    @Order(10)
    void aFailingJobOpensJobFailingNamingTheInstanceAndResolvesWhenItRunsAgain() {
        BoshDirectorSimulator director = BoshDirectorResource.director();
        String instance = "master/" + director.instance("etcd-2").id();
        // when
        director.failJob("etcd-2");
        // then
        IncidentOpened incident = awaitOpened(FailureKind.BOSH_JOB_FAILING);
        assertThat(incident.clusterId()).isEqualTo("sandbox");
        assertThat(incident.failedMembers()).containsExactly(instance);
        assertThat(incident.summary()).contains(instance, "failing");
        // and when the job runs again
        EtcdResource.cluster().restart("etcd-2");
        awaitResolved(incident);
    }

    @Test
    @Order(20)
    void aDeletedVmOpensVmMissingAndResolvesWhenTheInstanceHasAVmAgain() throws Exception {
        BoshDirectorSimulator director = BoshDirectorResource.director();
        InstanceRecord record = director.instance("etcd-3");
        // when
        director.deleteVm("etcd-3");
        // then
        IncidentOpened incident = awaitOpened(FailureKind.BOSH_VM_MISSING);
        assertThat(incident.failedMembers()).containsExactly("master/" + record.id());
        given().get("/api/v1/clusters").then().statusCode(200)
                .body("[0].bosh.findings", org.hamcrest.Matchers.hasItem("BOSH_VM_MISSING"));
        // and when BOSH starts it again (a new VM on the same disk)
        client(director).changeInstanceState(director.deployment(), "master", record.id(), InstanceState.STARTED);
        awaitResolved(incident);
    }

    @Test
    @Order(30)
    void anUnreachableDirectorOpensDirectorUnreachableAndResolvesWhenItAnswers() {
        BoshDirectorSimulator director = BoshDirectorResource.director();
        // when
        director.directorDown();
        IncidentOpened incident;
        try {
            // then
            incident = awaitOpened(FailureKind.BOSH_DIRECTOR_UNREACHABLE);
            assertThat(incident.summary()).contains(director.url());
            // the etcd poll carries on meanwhile
            given().get("/api/v1/clusters").then().statusCode(200)
                    .body("[0].status", equalTo("HEALTHY"))
                    .body("[0].bosh.directorReachable", equalTo(false));
        } finally {
            director.directorUp();
        }
        awaitResolved(incident);
    }

    @Test
    @Order(32)
    void aRebuiltDirectorWithoutItsStateOpensDeploymentUnknownAndResolvesWhenTheStateIsBack() {
        BoshDirectorSimulator director = BoshDirectorResource.director();
        var saved = director.state();
        // when: the director lost its state (a new, empty director, seed 003)
        director.loseState();
        IncidentOpened incident;
        try {
            // then
            incident = awaitOpened(FailureKind.BOSH_DEPLOYMENT_UNKNOWN);
            assertThat(incident.summary()).contains(director.deployment(), "does not know");
        } finally {
            director.restoreState(saved);
        }
        awaitResolved(incident);
    }

    @Test
    @Order(35)
    void aHangingDirectorIsUnreachableAfterThePollTimeoutAndNeverStallsTheEtcdPoll() {
        BoshDirectorSimulator director = BoshDirectorResource.director();
        String before = given().get("/api/v1/clusters").then().extract().path("[0].polledAt");
        // when: the director accepts connections and never answers
        director.hang();
        IncidentOpened incident;
        try {
            // then
            incident = awaitOpened(FailureKind.BOSH_DIRECTOR_UNREACHABLE);
            // the client request timeout (5 s) or the whole poll timeout (6 s), whichever comes first
            assertThat(incident.summary()).contains("no answer within");
            // the etcd poll kept its pace meanwhile: polled again, still healthy
            String during = given().get("/api/v1/clusters").then().statusCode(200)
                    .body("[0].status", equalTo("HEALTHY"))
                    .extract().path("[0].polledAt");
            assertThat(java.time.Instant.parse(during)).isAfter(java.time.Instant.parse(before).plusSeconds(5));
        } finally {
            director.stopHanging();
        }
        awaitResolved(incident);
    }

    @Test
    @Order(40)
    void twoMastersDownAtOnceOpenOneMeltdownAndNoPerInstanceIncident() {
        BoshDirectorSimulator director = BoshDirectorResource.director();
        int before = topic.received().size();
        // when
        director.failJob("etcd-1");
        director.failJob("etcd-3");
        // then
        IncidentOpened meltdown = awaitOpened(FailureKind.BOSH_MELTDOWN);
        assertThat(meltdown.summary()).contains("do not act");
        assertThat(meltdown.failedMembers()).contains("master/" + director.instance("etcd-1").id(),
                "master/" + director.instance("etcd-3").id());
        // a few more polls: still no per-instance incident
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
        topic.find(r -> false);
        assertThat(topic.received().subList(before, topic.received().size()))
                .filteredOn(r -> r.event().type().equals(EventTypes.INCIDENT_OPENED))
                .extracting(r -> EventCodec.data(r.event(), IncidentOpened.class).failure())
                .doesNotContain(FailureKind.BOSH_JOB_FAILING, FailureKind.BOSH_VM_MISSING,
                        FailureKind.BOSH_AGENT_UNRESPONSIVE)
                .contains(FailureKind.BOSH_MELTDOWN);
        // and when the masters come back, the meltdown resolves (leaving the cluster clean)
        EtcdCluster cluster = EtcdResource.cluster();
        cluster.restart("etcd-1");
        cluster.restart("etcd-3");
        awaitResolved(meltdown);
    }

    private static BoshDirectorClient client(BoshDirectorSimulator director) {
        return new BoshDirectorClient(BoshDirectorConfig.of(director.url(), director.options().client(),
                director.options().clientSecret()).withTaskPolling(Duration.ofMillis(100), Duration.ofSeconds(60)));
    }

    private static IncidentOpened awaitOpened(FailureKind failure) {
        IncidentTopic.Received opened = await("incident.opened " + failure).atMost(DETECTION)
                .until(() -> topic.find(r -> r.event().type().equals(EventTypes.INCIDENT_OPENED)
                        && EventCodec.data(r.event(), IncidentOpened.class).failure() == failure
                        && isOpenNow(EventCodec.data(r.event(), IncidentOpened.class).incidentId())), Optional::isPresent)
                .get();
        assertThat(opened.key()).isEqualTo("sandbox");
        return EventCodec.data(opened.event(), IncidentOpened.class);
    }

    /** Earlier tests' incidents of the same kind are resolved; find this test's. */
    private static boolean isOpenNow(String incidentId) {
        return given().get("/api/v1/incidents/" + incidentId).then().extract().path("state").equals("OPEN");
    }

    private static void awaitResolved(IncidentOpened incident) {
        await("incident.resolved " + incident.failure()).atMost(RECOVERY)
                .until(() -> topic.find(r -> r.event().type().equals(EventTypes.INCIDENT_RESOLVED)
                        && EventCodec.data(r.event(), IncidentResolved.class).incidentId()
                        .equals(incident.incidentId())), Optional::isPresent);
    }
}
