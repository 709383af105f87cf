package dev.cpr.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.sandbox.slack.SimMessage;
import dev.cpr.sandbox.slack.SlackSimulator;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import dev.cpr.sandbox.testing.SlackSimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Slack down for a while, or pushing back with 429s: nothing is lost, and a thread arrives in order. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SlackSimulatorResource.class)
class OutboxDeliveryTest {

    private static final Duration AT_MOST = Duration.ofSeconds(40);
    private static final EventCodec HEALTH_MONITOR = new EventCodec("/cpr/health-monitor", Clock.systemUTC());
    private static final EventCodec RESTORE_SERVICE = new EventCodec("/cpr/restore-service", Clock.systemUTC());
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");

    @AfterEach
    void slackBack() {
        SlackSimulatorResource.simulator().unavailable(false);
        SlackSimulatorResource.simulator().rateLimit(0);
    }

    @Test
    void messagesWrittenWhileSlackIsDownAreDeliveredInOrderWhenItReturns() {
        SlackSimulator slack = SlackSimulatorResource.simulator();
        String cluster = "outage-" + ApprovalFlowTest.shortId();
        slack.unavailable(true);

        publishIncidentWithPlanAndResolution(cluster);

        io.restassured.RestAssured.given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'slack-delivery' }.data.outboxPending", Matchers.greaterThan(0));
        io.restassured.RestAssured.given().when().get("/q/metrics").then().statusCode(200)
                .body(Matchers.containsString("cpr_notifier_outbox_pending"));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(about(slack, cluster)).isEmpty());

        slack.unavailable(false);

        assertWholeThreadInOrder(slack, cluster);
    }

    @Test
    void aSlackThatRateLimitsEveryOtherCallStillGetsEverythingInOrder() {
        SlackSimulator slack = SlackSimulatorResource.simulator();
        String cluster = "ratelimit-" + ApprovalFlowTest.shortId();
        slack.rateLimit(2);

        publishIncidentWithPlanAndResolution(cluster);

        assertWholeThreadInOrder(slack, cluster);
    }

    private static void publishIncidentWithPlanAndResolution(String cluster) {
        String incidentId = "inc-" + cluster;
        String planId = "plan-" + cluster;
        Kafka.send(Topics.INCIDENTS, cluster, HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, cluster,
                new IncidentOpened(incidentId, cluster, FailureKind.MEMBER_UNHEALTHY, List.of("etcd-2"), List.of(),
                        "etcd-2 lost its WAL", T0, T0.plusSeconds(3))));
        // the progress message must find its incident's row before it is written: wait for the incident's row
        await().atMost(AT_MOST).untilAsserted(() -> Api.viewer().queryParam("incidentId", incidentId)
                .when().get("/api/v1/notifications").then().statusCode(200).body("size()", Matchers.is(1)));
        for (int seq = 1; seq <= 3; seq++) {
            PlanState state = seq == 3 ? PlanState.SUCCEEDED : PlanState.RUNNING;
            Kafka.send(Topics.RECOVERIES, cluster, RESTORE_SERVICE.wrap(EventTypes.RECOVERY_UPDATED, cluster,
                    ApprovalFlowTest.update(planId, incidentId, cluster, state, seq)));
        }
        await().atMost(AT_MOST).untilAsserted(() -> Api.viewer().queryParam("incidentId", incidentId)
                .when().get("/api/v1/notifications").then().statusCode(200)
                .body("find { it.kind == 'PROGRESS' }.lastSequence", Matchers.is(3)));
        Kafka.send(Topics.INCIDENTS, cluster, HEALTH_MONITOR.wrap(EventTypes.INCIDENT_RESOLVED, cluster,
                new IncidentResolved(incidentId, cluster, FailureKind.MEMBER_UNHEALTHY, T0, T0.plusSeconds(60))));
        await().atMost(AT_MOST).untilAsserted(() -> Api.viewer().queryParam("incidentId", incidentId)
                .when().get("/api/v1/notifications").then().statusCode(200).body("size()", Matchers.is(3)));
    }

    private static void assertWholeThreadInOrder(SlackSimulator slack, String cluster) {
        await().atMost(AT_MOST).untilAsserted(() -> {
            List<SimMessage> top = about(slack, cluster).stream().filter(SimMessage::isTopLevel).toList();
            assertThat(top).singleElement().satisfies(m -> assertThat(m.text()).startsWith("Resolved: incident on " + cluster));
            assertThat(slack.replies(top.get(0).ts())).hasSize(2);
        });
        SimMessage top = about(slack, cluster).stream().filter(SimMessage::isTopLevel).findFirst().orElseThrow();
        List<SimMessage> replies = slack.replies(top.ts());
        SimMessage progress = replies.get(0);
        assertThat(progress.text()).contains("SUCCEEDED");
        assertThat(progress.updates()).extracting(SimMessage.Update::text)
                .satisfiesExactly(t -> assertThat(t).contains("RUNNING"), t -> assertThat(t).contains("SUCCEEDED"));
        assertThat(replies.get(1).text()).startsWith("Resolved: " + cluster + " is healthy again");
        assertThat(top.updates()).hasSize(1);
        assertThat(progress.postedAt()).isAfterOrEqualTo(top.postedAt());
    }

    private static List<SimMessage> about(SlackSimulator slack, String cluster) {
        return slack.messages().stream().filter(m -> m.text().contains(cluster)).toList();
    }
}
