package dev.cpr.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.contracts.approval.ApprovalChannel;
import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.approval.ApprovalSignatures;
import dev.cpr.contracts.approval.Decision;
import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.contracts.recovery.StepView;
import dev.cpr.notifier.domain.ApprovalAction;
import dev.cpr.sandbox.slack.SimMessage;
import dev.cpr.sandbox.slack.SlackSimulator;
import dev.cpr.sandbox.slack.SlackSimulator.AppResponse;
import dev.cpr.sandbox.slack.SlackSimulator.Signing;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import dev.cpr.sandbox.testing.SlackSimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Approvals through Slack against a real Kafka, a real PostgreSQL and the simulator acting as Slack: a plan
 * waiting for approval gets buttons; only a signed, fresh, first-time click by an approver publishes
 * {@code ApprovalDecided}; every attempt is audited.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SlackSimulatorResource.class)
class ApprovalFlowTest {

    static final String APPROVER = "U0APPROVER";
    static final String ON_CALL = "U0ONCALL";
    static final String STRANGER = "U0STRANGER";
    private static final Duration AT_MOST = Duration.ofSeconds(30);
    private static final EventCodec HEALTH_MONITOR = new EventCodec("/cpr/health-monitor", Clock.systemUTC());
    private static final EventCodec RESTORE_SERVICE = new EventCodec("/cpr/restore-service", Clock.systemUTC());
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");

    /** What restore-service would publish as the waiting plan's digest. */
    static final String DIGEST = "sha256:" + "5ca1ab1e".repeat(8);
    /** The public half of the test profile's cpr.notifier.approval-signing-key. */
    static final java.security.PublicKey NOTIFIER_PUBLIC_KEY = ApprovalSignatures.publicKey(
            "MCowBQYDK2VwAyEAENt+Vxdy6G64uk3A35mA5At0+Y/hyuimA8jUJXInH3M=");

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void onCallGroup() {
        SlackSimulatorResource.simulator().defineUserGroup("S0ONCALL", ON_CALL);
    }

    @Test
    void onlyASignedFreshFirstClickByAnApproverPublishesTheApprovalAndEveryAttemptIsAudited() {
        String cluster = "approve-" + shortId();
        Waiting plan = planWaitingForApproval(cluster);
        SlackSimulator slack = SlackSimulatorResource.simulator();
        String value = ApprovalAction.value(plan.planId(), cluster, DIGEST);

        AppResponse forged = slack.click(url(), APPROVER, plan.message().ts(), ApprovalAction.APPROVE, value, Signing.FORGED);
        AppResponse stale = slack.click(url(), APPROVER, plan.message().ts(), ApprovalAction.APPROVE, value, Signing.STALE);
        AppResponse stranger = slack.click(url(), STRANGER, plan.message().ts(), ApprovalAction.APPROVE, value, Signing.VALID);
        AppResponse approved = slack.click(url(), APPROVER, plan.message().ts(), ApprovalAction.APPROVE, value, Signing.VALID);
        AppResponse replayed = slack.resend(approved.request());
        AppResponse again = slack.click(url(), ON_CALL, plan.message().ts(), ApprovalAction.REJECT, value, Signing.VALID);

        assertThat(forged.status()).isEqualTo(401);
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(approved.status()).isEqualTo(200);
        assertThat(replayed.status()).isEqualTo(401);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("already approved by <@" + APPROVER + ">");

        List<ApprovalDecided> decisions = decisionsFor(cluster, 1);
        assertThat(decisions).singleElement().satisfies(d -> {
            assertThat(d.planId()).isEqualTo(plan.planId());
            assertThat(d.decision()).isEqualTo(Decision.APPROVED);
            assertThat(d.decidedBy()).isEqualTo(APPROVER);
            assertThat(d.channel()).isEqualTo(ApprovalChannel.SLACK);
            assertThat(d.planDigest()).isEqualTo(DIGEST);
            assertThat(d.approvalId()).isNotBlank();
            assertThat(ApprovalSignatures.verify(d, List.of(NOTIFIER_PUBLIC_KEY))).as("signed by the notifier").isTrue();
        });
        assertThat(slack.message(plan.message().ts())).get().satisfies(m -> assertThat(m.blocks().toString())
                .contains("digest `" + DIGEST.substring(7, 19) + "`"));

        await().atMost(AT_MOST).untilAsserted(() -> assertThat(slack.message(plan.message().ts())).get()
                .satisfies(m -> {
                    assertThat(m.blocks().toString()).contains("*Approved* by <@" + APPROVER + ">")
                            .doesNotContain("\"actions\"");
                    assertThat(m.text()).endsWith("approved by " + APPROVER);
                }));

        JsonPath audit = Api.viewer().queryParam("planId", plan.planId()).when().get("/api/v1/approvals/audit")
                .then().statusCode(200).extract().jsonPath();
        assertThat(audit.getList("outcome", String.class))
                .containsExactly("IGNORED", "REPLAY", "ACCEPTED", "NOT_ALLOWED", "STALE", "BAD_SIGNATURE");
        assertThat(audit.getList("status", Integer.class)).containsExactly(200, 401, 200, 403, 401, 401);
        assertThat(audit.getList("slackUserId", String.class))
                .containsExactly(ON_CALL, APPROVER, APPROVER, STRANGER, APPROVER, APPROVER);
        assertThat(audit.getString("[2].decision")).isEqualTo("APPROVED");
        assertThat(audit.getString("[2].clusterId")).isEqualTo(cluster);
    }

    @Test
    void aMemberOfTheApproverGroupCanRejectAndTheMessageSaysSo() {
        String cluster = "reject-" + shortId();
        Waiting plan = planWaitingForApproval(cluster);
        SlackSimulator slack = SlackSimulatorResource.simulator();

        int status = slack.clickButton(url(), ON_CALL, plan.message().ts(), ApprovalAction.REJECT,
                ApprovalAction.value(plan.planId(), cluster));

        assertThat(status).isEqualTo(200);
        assertThat(decisionsFor(cluster, 1)).singleElement().satisfies(d -> {
            assertThat(d.decision()).isEqualTo(Decision.REJECTED);
            assertThat(d.decidedBy()).isEqualTo(ON_CALL);
        });
        await().atMost(AT_MOST).untilAsserted(() -> assertThat(slack.message(plan.message().ts())).get()
                .satisfies(m -> assertThat(m.blocks().toString()).contains("*Rejected* by <@" + ON_CALL + ">")));
    }

    @Test
    void refusedClicksPublishNothing() {
        String cluster = "refused-" + shortId();
        Waiting plan = planWaitingForApproval(cluster);
        SlackSimulator slack = SlackSimulatorResource.simulator();
        String value = ApprovalAction.value(plan.planId(), cluster);

        assertThat(slack.click(url(), APPROVER, plan.message().ts(), ApprovalAction.APPROVE, value, Signing.FORGED)
                .status()).isEqualTo(401);
        assertThat(slack.click(url(), APPROVER, plan.message().ts(), ApprovalAction.APPROVE, value, Signing.STALE)
                .status()).isEqualTo(401);
        assertThat(slack.clickButton(url(), STRANGER, plan.message().ts(), ApprovalAction.APPROVE, value))
                .isEqualTo(403);
        assertThat(slack.clickButton(url(), APPROVER, plan.message().ts(), "cpr_delete", value)).isEqualTo(400);

        try (KafkaConsumer<String, String> reader = Kafka.reader(Topics.APPROVALS)) {
            List<CloudEvent> seen = Kafka.newList();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> {
                        Kafka.poll(reader, cluster, seen);
                        assertThat(seen).isEmpty();
                    });
        }
        assertThat(slack.message(plan.message().ts())).get()
                .satisfies(m -> assertThat(m.blocks().toString()).contains("\"actions\""));
        assertThat(Api.viewer().queryParam("planId", plan.planId()).when().get("/api/v1/approvals/audit")
                .then().statusCode(200).extract().jsonPath().getList("outcome", String.class))
                .containsExactly("NOT_ALLOWED", "STALE", "BAD_SIGNATURE");
    }

    @Test
    void aClickOnAPlanThatNoLongerWaitsIsIgnored() {
        String cluster = "moved-on-" + shortId();
        Waiting plan = planWaitingForApproval(cluster);
        Kafka.send(Topics.RECOVERIES, cluster, RESTORE_SERVICE.wrap(EventTypes.RECOVERY_UPDATED, cluster,
                update(plan.planId(), "inc-" + cluster, cluster, PlanState.EXPIRED, 2)));
        SlackSimulator slack = SlackSimulatorResource.simulator();
        await().atMost(AT_MOST).untilAsserted(() -> assertThat(slack.message(plan.message().ts())).get()
                .satisfies(m -> assertThat(m.text()).contains("EXPIRED")));

        AppResponse late = slack.click(url(), APPROVER, plan.message().ts(), ApprovalAction.APPROVE,
                ApprovalAction.value(plan.planId(), cluster), Signing.VALID);

        assertThat(late.status()).isEqualTo(200);
        assertThat(late.body()).contains("is EXPIRED, no longer waiting for approval");
        assertThat(Api.viewer().queryParam("planId", plan.planId()).when().get("/api/v1/approvals/audit")
                .then().statusCode(200).extract().jsonPath().getList("outcome", String.class))
                .containsExactly("IGNORED");
    }

    @Test
    void theAuditListNeedsAViewerToken() {
        io.restassured.RestAssured.given().when().get("/api/v1/approvals/audit")
                .then().statusCode(401).contentType("application/problem+json");
        io.restassured.RestAssured.given().header("Authorization", "Bearer not-a-token")
                .when().get("/api/v1/approvals/audit").then().statusCode(401);
        Api.viewer().when().get("/api/v1/approvals/audit").then().statusCode(200);
    }

    // ------------------------------------------------------------------ helpers

    record Waiting(String planId, SimMessage message) {
    }

    /** An incident and its plan waiting for approval, as restore-service would publish them; the plan's message. */
    static Waiting planWaitingForApproval(String cluster) {
        String incidentId = "inc-" + cluster;
        String planId = "plan-" + cluster;
        Kafka.send(Topics.INCIDENTS, cluster, HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, cluster,
                new IncidentOpened(incidentId, cluster, FailureKind.QUORUM_LOST, List.of("etcd-1", "etcd-2"), List.of(),
                        "2 of 3 members lost", T0, T0.plusSeconds(3))));
        Kafka.send(Topics.RECOVERIES, cluster, RESTORE_SERVICE.wrap(EventTypes.RECOVERY_UPDATED, cluster,
                update(planId, incidentId, cluster, PlanState.AWAITING_APPROVAL, 1)));
        SlackSimulator slack = SlackSimulatorResource.simulator();
        await().atMost(AT_MOST).until(() -> approvalMessage(slack, planId) != null);
        return new Waiting(planId, approvalMessage(slack, planId));
    }

    /** The message whose buttons name {@code planId}, or null. */
    static SimMessage approvalMessage(SlackSimulator slack, String planId) {
        return slack.messages().stream()
                .filter(m -> m.blocks() != null && StreamSupport.stream(m.blocks().spliterator(), false)
                        .filter(b -> "actions".equals(b.path("type").asText()))
                        .flatMap(b -> StreamSupport.stream(b.path("elements").spliterator(), false))
                        .map(e -> e.path("value").asText())
                        .anyMatch(v -> v.contains("\"" + planId + "\"")))
                .findFirst().orElse(null);
    }

    static RecoveryUpdate update(String planId, String incidentId, String cluster, PlanState state, long sequence) {
        List<StepView> steps = List.of(
                new StepView(0, "safety-snapshot", "snapshot the survivor", false, StepState.PENDING, 0, null, null, null),
                new StepView(1, "restore-quorum", "restore a one-member cluster", true, StepState.PENDING, 0, null, null, null));
        return new RecoveryUpdate(planId, incidentId, cluster, "etcd-quorum-restore", state, sequence, steps, null,
                T0, T0.plusSeconds(5), null, null, DIGEST);
    }

    private List<ApprovalDecided> decisionsFor(String cluster, int count) {
        try (KafkaConsumer<String, String> reader = Kafka.reader(Topics.APPROVALS)) {
            List<CloudEvent> seen = Kafka.readUntil(reader, cluster, count, AT_MOST, Kafka.newList());
            // anything more would arrive right behind: look a little longer
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
                Kafka.poll(reader, cluster, seen);
                assertThat(seen).hasSize(count);
            });
            assertThat(seen).allSatisfy(e -> assertThat(e.type()).isEqualTo(EventTypes.APPROVAL_DECIDED));
            return seen.stream().map(e -> EventCodec.data(e, ApprovalDecided.class)).toList();
        }
    }

    private String url() {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

}
