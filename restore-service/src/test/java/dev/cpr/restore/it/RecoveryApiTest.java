package dev.cpr.restore.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The REST API's rules: tokens and roles, manual triggers and their 4xx answers, dry runs, reject and cancel. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(BackupServiceStandIn.class)
class RecoveryApiTest {

    private static final String VIEWER = QuorumRestoreFlowTest.VIEWER;
    private static final String OPERATOR = QuorumRestoreFlowTest.OPERATOR;

    private static io.restassured.response.Response trigger(String token, String json) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(json).post("/api/v1/recoveries");
    }

    @Test
    void withoutATokenTheApiAnswers401AndAViewerMayNotTrigger() {
        given().get("/api/v1/recoveries").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2("not-a-configured-token").get("/api/v1/recoveries").then().statusCode(401);
        trigger(VIEWER, "{\"cluster\":\"sandbox\",\"plan\":\"etcd-member-replace\",\"member\":\"etcd-2\"}")
                .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        given().get("/q/health/ready").then().statusCode(200);
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
    void aNulByteInAQueryOrPathParameterIsA400NamingItNotADatabaseError() {
        given().auth().oauth2(VIEWER).urlEncodingEnabled(false).get("/api/v1/recoveries?cluster=sandbox%00")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad request parameter 'cluster'"))
                .body("detail", org.hamcrest.Matchers.containsString("U+0000"));
        given().auth().oauth2(VIEWER).urlEncodingEnabled(false).get("/api/v1/recoveries/%00")
                .then().statusCode(400).body("title", equalTo("Bad request parameter 'id'"));
        given().auth().oauth2(VIEWER).get("/api/v1/recoveries?cluster=No Such Cluster!")
                .then().statusCode(400).body("title", equalTo("Bad request parameter 'cluster'"));
    }

    @Test
    void badTriggersAre400sThatSayWhatIsWrong() {
        trigger(OPERATOR, "{\"cluster\":\"nowhere\",\"plan\":\"etcd-member-replace\",\"member\":\"etcd-2\"}")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("cluster 'nowhere' is not in the inventory"));
        trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"reboot-everything\"}")
                .then().statusCode(400).body("detail", containsString("known plans: [etcd-member-replace, etcd-quorum-restore, kubespray-recover-control-plane"))
                .body("detail", containsString("bosh-cloud-check"))
                .body("detail", containsString("bbr-deployment-restore, bbr-director-restore"));
        trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"bbr-deployment-restore\"}")
                .then().statusCode(400).body("detail", containsString("cluster sandbox is not kind: bosh"));
        trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"kubespray-recover-control-plane\"}")
                .then().statusCode(400).body("detail", containsString("'member' names the broken node(s)"));
        trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"kubespray-recover-control-plane\",\"member\":\"etcd-2,etcd-7\"}")
                .then().statusCode(400).body("detail", containsString("not in cluster sandbox: [etcd-7]"));
        trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"bosh-cloud-check\",\"member\":\"etcd-2\"}")
                .then().statusCode(400).body("detail", containsString("member 'etcd-2' of cluster sandbox has no BOSH instance"));
        trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"etcd-member-replace\"}")
                .then().statusCode(400).body("detail", containsString("'member' is required"));
        trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"etcd-member-replace\",\"member\":\"etcd-9\"}")
                .then().statusCode(400).body("detail", containsString("member 'etcd-9' is not in cluster sandbox"));
        trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"etcd-quorum-restore\",\"snapshotId\":\"nope\"}")
                .then().statusCode(400).body("detail", containsString("snapshot nope is not a verified snapshot"));
        trigger(OPERATOR, "not json").then().statusCode(400);
    }

    @Test
    void reviveAndSurvivorRebuildTriggersAre400sWhenTheSurveyContradictsThem() {
        // every member of the sandbox is up with its data: nothing to revive
        trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"etcd-quorum-revive\"}")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Nothing to revive"))
                .body("detail", containsString("down with their data directory intact"))
                .body("detail", containsString("etcd-2: up, data intact"));
        trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"etcd-quorum-revive\",\"member\":\"etcd-2\"}")
                .then().statusCode(400).body("detail", containsString("not so: [etcd-2]"));
        trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"etcd-survivor-rebuild\",\"member\":\"etcd-9\"}")
                .then().statusCode(400).body("detail", containsString("[etcd-9] not in cluster sandbox"));
        trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"etcd-survivor-rebuild\",\"member\":\"etcd-1,etcd-2\"}")
                .then().statusCode(400).body("detail", containsString("names one survivor"));
    }

    @Test
    void aSurvivorRebuildDryRunNamesTheSurvivorAndWhatEachOptionLoses() {
        trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"etcd-survivor-rebuild\",\"member\":\"etcd-3\","
                + "\"dryRun\":true}").then().statusCode(200)
                .body("plan", equalTo("etcd-survivor-rebuild")).body("targetMember", equalTo("etcd-3"))
                .body("steps[2].name", equalTo("restore-survivor")).body("steps[2].destructive", equalTo(true))
                .body("options.size()", equalTo(3))
                .body("options[0].plan", equalTo("etcd-quorum-revive")).body("options[0].viable", equalTo(false))
                .body("options[1].plan", equalTo("etcd-survivor-rebuild")).body("options[1].viable", equalTo(true))
                .body("options[1].loses", containsString("a one-member cluster from"));
    }

    @Test
    void aDryRunShowsTheStepsAndStoresNothing() {
        var shown = trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"etcd-member-replace\",\"member\":\"etcd-2\","
                + "\"dryRun\":true}").then().statusCode(200)
                .body("state", equalTo("PROPOSED")).body("dryRun", equalTo(true))
                .body("steps.size()", equalTo(8)).body("steps[2].name", equalTo("member-remove"))
                .extract().path("id").toString();

        given().auth().oauth2(VIEWER).get("/api/v1/recoveries/" + shown).then().statusCode(404);
    }

    @Test
    void aSecondPlanOnABusyClusterIs409NamingTheActivePlanAndRejectAndCancelEndWaitingPlans() throws Exception {
        EtcdResource.cluster().awaitHealthy(Duration.ofSeconds(30));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                List.of(given().auth().oauth2(VIEWER).get("/api/v1/recoveries?cluster=sandbox")
                        .as(QuorumRestoreFlowTest.Plan[].class)).stream().noneMatch(p -> !p.state().isFinal()));
        var snapshot = QuorumRestoreFlowTest.snapshotOf(EtcdResource.cluster());
        BackupServiceStandIn.add(snapshot, QuorumRestoreFlowTest.snapshotFile(snapshot.backupId()));

        String waiting = trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"etcd-quorum-restore\",\"snapshotId\":\""
                + snapshot.backupId() + "\"}").then().statusCode(201)
                .body("state", equalTo("AWAITING_APPROVAL")).body("snapshot.id", equalTo(snapshot.backupId()))
                .extract().path("id").toString();
        trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"etcd-member-replace\",\"member\":\"etcd-2\"}")
                .then().statusCode(409).body("detail", containsString(waiting))
                .body("detail", containsString("etcd-quorum-restore, AWAITING_APPROVAL"));

        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body("{\"reason\":\"only a drill\"}")
                .post("/api/v1/recoveries/" + waiting + "/reject").then().statusCode(200)
                .body("state", equalTo("REJECTED")).body("plan.decidedBy", equalTo("rs-operator"));
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/recoveries/" + waiting + "/approve").then().statusCode(409);
        given().auth().oauth2(OPERATOR).post("/api/v1/recoveries/" + waiting + "/cancel").then().statusCode(409);

        String another = trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"etcd-quorum-restore\"}")
                .then().statusCode(201).extract().path("id").toString();
        given().auth().oauth2(OPERATOR).post("/api/v1/recoveries/" + another + "/cancel").then().statusCode(200)
                .body("state", equalTo("CANCELLED")).body("detail", containsString("cancelled by rs-operator"));
        given().auth().oauth2(VIEWER).get("/api/v1/recoveries/" + another).then().statusCode(200)
                .body("state", equalTo("CANCELLED"));
        assertThat(EtcdResource.cluster().isHealthy("etcd-1")).isTrue();
    }

    @Test
    void aSignedSlackDecisionOnCprApprovalsIsAppliedAndAMalformedOneGoesToTheDeadLetterTopic() throws Exception {
        EtcdResource.cluster().awaitHealthy(Duration.ofSeconds(30));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                List.of(given().auth().oauth2(VIEWER).get("/api/v1/recoveries?cluster=sandbox")
                        .as(QuorumRestoreFlowTest.Plan[].class)).stream().noneMatch(p -> !p.state().isFinal()));
        var snapshot = QuorumRestoreFlowTest.snapshotOf(EtcdResource.cluster());
        BackupServiceStandIn.add(snapshot, QuorumRestoreFlowTest.snapshotFile(snapshot.backupId()));
        String waiting = trigger(OPERATOR, "{\"cluster\":\"sandbox\",\"plan\":\"etcd-quorum-restore\"}")
                .then().statusCode(201).extract().path("id").toString();
        String garbage = "not an approval " + java.util.UUID.randomUUID();
        String digest = given().auth().oauth2(VIEWER).get("/api/v1/recoveries/" + waiting).then().statusCode(200)
                .extract().path("digest");
        var decided = TestApprovalKey.signed(new dev.cpr.contracts.approval.ApprovalDecided(waiting, "sandbox",
                dev.cpr.contracts.approval.Decision.REJECTED, "U0SLACKER", dev.cpr.contracts.approval.ApprovalChannel.SLACK,
                "not during business hours", java.time.Instant.now(), java.util.UUID.randomUUID().toString(), digest,
                null));
        String event = TestApprovalKey.event(decided);

        KafkaTopics.send("cpr.approvals", "sandbox", garbage);
        KafkaTopics.send("cpr.approvals", "sandbox", event);
        KafkaTopics.send("cpr.approvals", "sandbox", event);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().auth().oauth2(VIEWER).get("/api/v1/recoveries/" + waiting).then()
                        .statusCode(200).body("state", equalTo("REJECTED")).body("decidedBy", equalTo("U0SLACKER"))
                        .body("message", containsString("rejected by U0SLACKER via SLACK: not during business hours")));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(KafkaTopics.readAll("cpr.approvals.dlq.restore-service")).extracting(r -> r.value())
                        .contains(garbage).doesNotContain(event));
    }
}
