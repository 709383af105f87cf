package dev.cpr.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.recovery.PlanState;
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
import org.junit.jupiter.api.Test;

/**
 * {@code /cpr} as Slack sends it (signed form posts from the simulator). backup-service and restore-service are not
 * configured in this test (their calls are tested against stubs in {@code SlashCommandsCallTest}).
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SlackSimulatorResource.class)
class SlashCommandTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void statusAnswersFromWhatNotifierHasShownToAnyone() {
        String cluster = "status-" + ApprovalFlowTest.shortId();
        ApprovalFlowTest.planWaitingForApproval(cluster);

        AppResponse reply = slack().slashCommand(url(), "U0ANYONE", "status " + cluster, Signing.VALID);

        assertThat(reply.status()).isEqualTo(200);
        JsonPath body = JsonPath.from(reply.body());
        assertThat(body.getString("response_type")).isEqualTo("ephemeral");
        assertThat(body.getString("text")).isEqualTo("*" + cluster + "*: incident `inc-" + cluster
                + "` OPEN (QUORUM_LOST) · plan `plan-" + cluster + "` etcd-quorum-restore "
                + PlanState.AWAITING_APPROVAL.name());
    }

    @Test
    void statusOfAClusterNeverSeenSaysSo() {
        AppResponse reply = slack().slashCommand(url(), "U0ANYONE", "status nowhere", Signing.VALID);

        assertThat(JsonPath.from(reply.body()).getString("text")).isEqualTo("cpr has not seen any incident or plan on *nowhere*.");
    }

    @Test
    void forgedAndStaleCommandsAre401() {
        assertThat(slack().slashCommand(url(), ApprovalFlowTest.APPROVER, "status", Signing.FORGED).status()).isEqualTo(401);
        assertThat(slack().slashCommand(url(), ApprovalFlowTest.APPROVER, "backup sandbox", Signing.STALE).status())
                .isEqualTo(401);
    }

    @Test
    void backupAndRecoverAreForApproversOnlyAndAudited() {
        String cluster = "cmd-" + ApprovalFlowTest.shortId();

        AppResponse stranger = slack().slashCommand(url(), ApprovalFlowTest.STRANGER, "recover " + cluster + " etcd-quorum-restore",
                Signing.VALID);
        AppResponse approver = slack().slashCommand(url(), ApprovalFlowTest.APPROVER, "backup " + cluster, Signing.VALID);

        assertThat(stranger.status()).isEqualTo(403);
        assertThat(JsonPath.from(stranger.body()).getString("text")).startsWith("You are not allowed");
        assertThat(approver.status()).isEqualTo(200);
        assertThat(JsonPath.from(approver.body()).getString("text"))
                .isEqualTo(":warning: backup-service is not configured for Slack commands (cpr.notifier.backup-service-url).");
        JsonPath audit = Api.viewer().queryParam("limit", "50").when().get("/api/v1/approvals/audit")
                .then().statusCode(200).extract().jsonPath();
        assertThat(audit.getList("findAll { it.clusterId == '" + cluster + "' }.outcome", String.class))
                .containsExactly("FAILED", "NOT_ALLOWED");
        assertThat(audit.getList("findAll { it.clusterId == '" + cluster + "' }.decision", String.class))
                .containsExactly("backup", "recover");
    }

    @Test
    void anUnknownCommandGetsTheUsage() {
        AppResponse reply = slack().slashCommand(url(), "U0ANYONE", "reboot everything", Signing.VALID);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(JsonPath.from(reply.body()).getString("text")).startsWith("unknown command `reboot`. Usage: `/cpr status");
    }

    private static SlackSimulator slack() {
        return SlackSimulatorResource.simulator();
    }

    private String url() {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
