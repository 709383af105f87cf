package dev.cpr.restore.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.cpr.contracts.approval.ApprovalChannel;
import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.approval.ApprovalSignatures;
import dev.cpr.contracts.approval.Decision;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Anyone who can write to {@code cpr.approvals} can put a decision there; restore-service acts only on one a trusted
 * key signed, fresh, never seen, naming the plan as it is now; over REST only an operator decides. Every attempt,
 * accepted or refused, is in {@code GET /api/v1/approvals}, and a refused one changes nothing else.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(BackupServiceStandIn.class)
class ApprovalAuditTest {

    private static final String VIEWER = QuorumRestoreFlowTest.VIEWER;
    private static final String OPERATOR = QuorumRestoreFlowTest.OPERATOR;

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Attempt(String channel, String claimedChannel, String approvalId, String planId, String decision,
            String decidedBy, String planDigest, boolean signed, String outcome, String refusal, String reason) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Waiting(String id, PlanState state, long sequence, String digest, String decidedBy) {
    }

    @BeforeEach
    void clusterIsHealthyAndIdle() {
        EtcdResource.cluster().awaitHealthy(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                List.of(given().auth().oauth2(VIEWER).get("/api/v1/recoveries?cluster=sandbox")
                        .as(QuorumRestoreFlowTest.Plan[].class)).stream().noneMatch(p -> !p.state().isFinal()));
    }

    private static Waiting aRestoreWaitingForApproval() throws Exception {
        var snapshot = QuorumRestoreFlowTest.snapshotOf(EtcdResource.cluster());
        BackupServiceStandIn.add(snapshot, QuorumRestoreFlowTest.snapshotFile(snapshot.backupId()));
        String id = given().auth().oauth2(OPERATOR).contentType(ContentType.JSON)
                .body("{\"cluster\":\"sandbox\",\"plan\":\"etcd-quorum-restore\",\"snapshotId\":\"" + snapshot.backupId()
                        + "\"}").post("/api/v1/recoveries").then().statusCode(201)
                .body("state", equalTo("AWAITING_APPROVAL")).extract().path("id").toString();
        return plan(id);
    }

    private static Waiting plan(String id) {
        return given().auth().oauth2(VIEWER).get("/api/v1/recoveries/" + id).then().statusCode(200).extract()
                .as(Waiting.class);
    }

    private static List<Attempt> audit(String planId) {
        return List.of(given().auth().oauth2(VIEWER).get("/api/v1/approvals?plan=" + planId).then().statusCode(200)
                .extract().as(Attempt[].class));
    }

    private static ApprovalDecided approval(Waiting plan, String by, Instant at, String digest) {
        return new ApprovalDecided(plan.id(), "sandbox", Decision.APPROVED, by, ApprovalChannel.SLACK,
                "clicked Approve in Slack", at, UUID.randomUUID().toString(), digest, null);
    }

    @Test
    void forgedStaleReplayedAndOutdatedApprovalsAreRefusedAuditedAndChangeNothingThenASignedOneRunsThePlan()
            throws Exception {
        Waiting waiting = aRestoreWaitingForApproval();
        ApprovalDecided unsigned = approval(waiting, "U0MALLORY", Instant.now(), waiting.digest());
        ApprovalDecided signedForAlice = TestApprovalKey.signed(approval(waiting, "U0ALICE", Instant.now(),
                waiting.digest()));
        ApprovalDecided tampered = new ApprovalDecided(waiting.id(), "sandbox", Decision.APPROVED, "U0MALLORY",
                ApprovalChannel.SLACK, null, signedForAlice.decidedAt(), signedForAlice.approvalId(),
                waiting.digest(), signedForAlice.signature());
        ApprovalDecided wrongKey = ApprovalSignatures.sign(approval(waiting, "U0MALLORY", Instant.now(),
                waiting.digest()), ApprovalSignatures.generate().getPrivate());
        ApprovalDecided stale = TestApprovalKey.signed(approval(waiting, "U0ALICE",
                Instant.now().minus(Duration.ofMinutes(11)), waiting.digest()));
        ApprovalDecided ofAnOlderPlan = TestApprovalKey.signed(approval(waiting, "U0ALICE", Instant.now(),
                "sha256:" + "0".repeat(64)));

        for (ApprovalDecided forged : List.of(unsigned, tampered, wrongKey, stale, ofAnOlderPlan, ofAnOlderPlan)) {
            KafkaTopics.send("cpr.approvals", "sandbox", TestApprovalKey.event(forged));
        }
        given().auth().oauth2(VIEWER).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/recoveries/" + waiting.id() + "/approve").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("operator role is required"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(audit(waiting.id()))
                .extracting(Attempt::refusal).containsExactlyInAnyOrder("UNSIGNED", "BAD_SIGNATURE", "BAD_SIGNATURE",
                        "STALE", "DIGEST_MISMATCH", "REPLAY", "NOT_OPERATOR"));
        assertThat(audit(waiting.id())).allSatisfy(a -> assertThat(a.outcome()).isEqualTo("REFUSED"))
                .anySatisfy(a -> assertThat(a).extracting(Attempt::channel, Attempt::decidedBy, Attempt::refusal)
                        .containsExactly("REST", "rs-viewer", "NOT_OPERATOR"))
                .anySatisfy(a -> assertThat(a).extracting(Attempt::channel, Attempt::claimedChannel, Attempt::decidedBy,
                        Attempt::signed, Attempt::refusal).containsExactly("BUS", "SLACK", "U0MALLORY", false, "UNSIGNED"))
                .anySatisfy(a -> assertThat(a.reason()).contains("changed after it was shown"));
        Waiting still = plan(waiting.id());
        assertThat(still.state()).isEqualTo(PlanState.AWAITING_APPROVAL);
        assertThat(still.sequence()).isEqualTo(waiting.sequence());
        assertThat(still.decidedBy()).isNull();

        // when: the notifier's signed approval of the plan as it is
        ApprovalDecided genuine = TestApprovalKey.signed(approval(waiting, "U0ALICE", Instant.now(), waiting.digest()));
        KafkaTopics.send("cpr.approvals", "sandbox", TestApprovalKey.event(genuine));

        await().atMost(Duration.ofSeconds(60)).until(() -> plan(waiting.id()).state().isFinal());
        assertThat(plan(waiting.id())).extracting(Waiting::state, Waiting::decidedBy)
                .containsExactly(PlanState.SUCCEEDED, "U0ALICE");
        assertThat(audit(waiting.id())).filteredOn(a -> "ACCEPTED".equals(a.outcome())).singleElement()
                .extracting(Attempt::approvalId, Attempt::signed, Attempt::planDigest)
                .containsExactly(genuine.approvalId(), true, waiting.digest());
    }

    @Test
    void anOperatorDecidesOverRestOnlyOnThePlanAsTheyReadItAndTheBusEchoIsNotARefusal() throws Exception {
        Waiting waiting = aRestoreWaitingForApproval();

        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON)
                .body("{\"reason\":\"looked at it\",\"digest\":\"sha256:" + "1".repeat(64) + "\"}")
                .post("/api/v1/recoveries/" + waiting.id() + "/reject").then().statusCode(409)
                .body("detail", containsString("changed after it was shown"));
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON)
                .body("{\"reason\":\"looked at it\",\"digest\":\"" + waiting.digest() + "\"}")
                .post("/api/v1/recoveries/" + waiting.id() + "/reject").then().statusCode(200)
                .body("state", equalTo("REJECTED")).body("plan.decidedBy", equalTo("rs-operator"));

        List<Attempt> attempts = await().atMost(Duration.ofSeconds(20)).until(() -> audit(waiting.id()),
                rows -> rows.size() >= 2);
        assertThat(attempts).extracting(Attempt::channel, Attempt::decision, Attempt::outcome, Attempt::refusal)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("REST", "REJECTED", "ACCEPTED", null),
                        org.assertj.core.groups.Tuple.tuple("REST", "REJECTED", "REFUSED", "DIGEST_MISMATCH"));
        // the REST decision's own record on cpr.approvals is read back without a refusal
        await().atMost(Duration.ofSeconds(20)).until(() -> KafkaTopics.readAll("cpr.approvals").stream()
                .anyMatch(r -> r.value().contains(attempts.get(0).approvalId())));
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/recoveries/" + waiting.id() + "/approve").then().statusCode(409);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(audit(waiting.id()))
                .hasSize(3).noneMatch(a -> "UNSIGNED".equals(a.refusal())));
        given().auth().oauth2(VIEWER).get("/api/v1/approvals?limit=0").then().statusCode(400)
                .body("detail", containsString("limit"));
    }
}
