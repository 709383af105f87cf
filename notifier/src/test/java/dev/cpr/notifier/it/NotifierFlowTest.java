package dev.cpr.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.contracts.recovery.StepView;
import dev.cpr.sandbox.postgres.PostgresServer;
import dev.cpr.sandbox.slack.SimMessage;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import dev.cpr.sandbox.testing.SlackSimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * notifier against a real Kafka broker, a real PostgreSQL and the sandbox's Slack simulator: events in,
 * Slack messages (as the simulator recorded them) out. Each test uses its own cluster id, so tests share
 * the simulator without seeing each other's messages.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SlackSimulatorResource.class)
class NotifierFlowTest {

    private static final Duration AT_MOST = Duration.ofSeconds(30);
    private static final EventCodec HEALTH_MONITOR = new EventCodec("/cpr/health-monitor", Clock.systemUTC());
    private static final EventCodec RESTORE_SERVICE = new EventCodec("/cpr/restore-service", Clock.systemUTC());
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");

    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p);
    }

    @AfterAll
    static void closeProducer() {
        producer.close(Duration.ofSeconds(5));
    }

    @Test
    void incidentProgressAndResolutionAreOneTopMessageWithOneProgressMessageUpdatedInPlace() {
        String cluster = "flow-" + shortId();
        String incidentId = "inc-" + cluster;

        send(Topics.INCIDENTS, cluster, HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, cluster, opened(incidentId, cluster)));
        SimMessage top = awaitSingleTopLevel(cluster);
        assertThat(top.text()).startsWith("Incident on " + cluster);
        assertThat(top.blocks().get(0).path("type").asText()).isEqualTo("header");

        String planId = "plan-" + cluster;
        send(Topics.RECOVERIES, cluster, RESTORE_SERVICE.wrap(EventTypes.RECOVERY_UPDATED, cluster,
                update(planId, incidentId, cluster, PlanState.RUNNING, 1, StepState.RUNNING, StepState.PENDING, StepState.PENDING)));
        send(Topics.RECOVERIES, cluster, RESTORE_SERVICE.wrap(EventTypes.RECOVERY_UPDATED, cluster,
                update(planId, incidentId, cluster, PlanState.RUNNING, 2, StepState.SUCCEEDED, StepState.RUNNING, StepState.PENDING)));
        send(Topics.RECOVERIES, cluster, RESTORE_SERVICE.wrap(EventTypes.RECOVERY_UPDATED, cluster,
                update(planId, incidentId, cluster, PlanState.SUCCEEDED, 3, StepState.SUCCEEDED, StepState.SKIPPED, StepState.SUCCEEDED)));

        await().atMost(AT_MOST).untilAsserted(() -> assertThat(replies(top)).singleElement()
                .satisfies(progress -> assertThat(progress.text()).contains("SUCCEEDED")));
        SimMessage progress = replies(top).get(0);
        assertThat(progress.updates()).hasSize(2);
        assertThat(progress.updates().get(0).text()).contains("RUNNING", "▰▱▱ 1/3");
        assertThat(progress.text()).contains("▰▰▰ 3/3");

        send(Topics.INCIDENTS, cluster, HEALTH_MONITOR.wrap(EventTypes.INCIDENT_RESOLVED, cluster,
                new IncidentResolved(incidentId, cluster, FailureKind.MEMBER_UNHEALTHY, T0, T0.plusSeconds(100))));

        await().atMost(AT_MOST).untilAsserted(() -> assertThat(topLevel(cluster)).singleElement()
                .satisfies(m -> assertThat(m.text()).startsWith("Resolved: incident on " + cluster)));
        await().atMost(AT_MOST).untilAsserted(() -> assertThat(replies(top)).hasSize(2));
        assertThat(replies(top).get(1).text()).isEqualTo("Resolved: " + cluster + " is healthy again after 1m 40s");
        assertThat(topLevel(cluster).get(0).updates()).hasSize(1);

        Api.viewer().queryParam("incidentId", incidentId).when().get("/api/v1/notifications")
                .then().statusCode(200)
                .body("size()", equalTo(3))
                .body("find { it.kind == 'INCIDENT' }.ts", equalTo(top.ts()))
                .body("find { it.kind == 'INCIDENT' }.state", equalTo("RESOLVED"))
                .body("find { it.kind == 'PROGRESS' }.threadTs", equalTo(top.ts()))
                .body("find { it.kind == 'PROGRESS' }.lastSequence", equalTo(3));
    }

    @Test
    void aStaleProgressUpdateDoesNotRewindTheMessage() {
        String cluster = "stale-" + shortId();
        String incidentId = "inc-" + cluster;
        send(Topics.INCIDENTS, cluster, HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, cluster, opened(incidentId, cluster)));
        SimMessage top = awaitSingleTopLevel(cluster);
        String planId = "plan-" + cluster;

        send(Topics.RECOVERIES, cluster, RESTORE_SERVICE.wrap(EventTypes.RECOVERY_UPDATED, cluster,
                update(planId, incidentId, cluster, PlanState.SUCCEEDED, 5, StepState.SUCCEEDED, StepState.SUCCEEDED, StepState.SUCCEEDED)));
        send(Topics.RECOVERIES, cluster, RESTORE_SERVICE.wrap(EventTypes.RECOVERY_UPDATED, cluster,
                update(planId, incidentId, cluster, PlanState.RUNNING, 4, StepState.SUCCEEDED, StepState.RUNNING, StepState.PENDING)));
        // a later plan on the same key: once its message is there, the stale update has been consumed
        send(Topics.RECOVERIES, cluster, RESTORE_SERVICE.wrap(EventTypes.RECOVERY_UPDATED, cluster,
                update(planId + "-b", incidentId, cluster, PlanState.RUNNING, 1, StepState.RUNNING, StepState.PENDING, StepState.PENDING)));

        await().atMost(AT_MOST).untilAsserted(() -> assertThat(replies(top)).hasSize(2));
        SimMessage first = replies(top).get(0);
        assertThat(first.text()).contains("SUCCEEDED");
        assertThat(first.updates()).isEmpty();
    }

    @Test
    void progressOfAnIncidentNotSeenYetIsPostedTopLevelAndThenUpdatedInPlace() {
        String cluster = "orphan-" + shortId();
        String planId = "plan-" + cluster;

        send(Topics.RECOVERIES, cluster, RESTORE_SERVICE.wrap(EventTypes.RECOVERY_UPDATED, cluster,
                update(planId, "inc-unknown-" + cluster, cluster, PlanState.RUNNING, 1, StepState.RUNNING, StepState.PENDING, StepState.PENDING)));
        SimMessage progress = awaitSingleTopLevel(cluster);
        send(Topics.RECOVERIES, cluster, RESTORE_SERVICE.wrap(EventTypes.RECOVERY_UPDATED, cluster,
                update(planId, "inc-unknown-" + cluster, cluster, PlanState.SUCCEEDED, 2, StepState.SUCCEEDED, StepState.SUCCEEDED, StepState.SUCCEEDED)));

        await().atMost(AT_MOST).untilAsserted(() -> assertThat(topLevel(cluster)).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("SUCCEEDED")));
        assertThat(topLevel(cluster).get(0).ts()).isEqualTo(progress.ts());
    }

    @Test
    void aProgressMessageDeletedInSlackIsPostedAgainInTheThread() {
        String cluster = "deleted-" + shortId();
        String incidentId = "inc-" + cluster;
        String planId = "plan-" + cluster;
        send(Topics.INCIDENTS, cluster, HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, cluster, opened(incidentId, cluster)));
        SimMessage top = awaitSingleTopLevel(cluster);
        send(Topics.RECOVERIES, cluster, RESTORE_SERVICE.wrap(EventTypes.RECOVERY_UPDATED, cluster,
                update(planId, incidentId, cluster, PlanState.RUNNING, 1, StepState.RUNNING, StepState.PENDING, StepState.PENDING)));
        await().atMost(AT_MOST).untilAsserted(() -> assertThat(replies(top)).hasSize(1));
        String first = replies(top).get(0).ts();

        assertThat(SlackSimulatorResource.simulator().delete(first)).isTrue();
        send(Topics.RECOVERIES, cluster, RESTORE_SERVICE.wrap(EventTypes.RECOVERY_UPDATED, cluster,
                update(planId, incidentId, cluster, PlanState.RUNNING, 2, StepState.SUCCEEDED, StepState.RUNNING, StepState.PENDING)));

        await().atMost(AT_MOST).untilAsserted(() -> assertThat(replies(top)).singleElement()
                .satisfies(m -> assertThat(m.ts()).isNotEqualTo(first)));
        Api.viewer().queryParam("incidentId", incidentId).when().get("/api/v1/notifications")
                .then().statusCode(200)
                .body("find { it.kind == 'PROGRESS' }.ts", equalTo(replies(top).get(0).ts()));
    }

    @Test
    void aRedeliveredIncidentOpenedAddsNoMessage() {
        String cluster = "redeliver-" + shortId();
        CloudEvent opened = HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, cluster, opened("inc-" + cluster, cluster));

        send(Topics.INCIDENTS, cluster, opened);
        awaitSingleTopLevel(cluster);
        send(Topics.INCIDENTS, cluster, opened);
        // the next incident of the same cluster (same partition) proves the redelivery was consumed
        String second = "inc2-" + cluster;
        send(Topics.INCIDENTS, cluster, HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, cluster, opened(second, cluster)));

        await().atMost(AT_MOST).untilAsserted(() -> assertThat(topLevel(cluster)).hasSize(2));
        assertThat(topLevel(cluster)).filteredOn(m -> m.blocks().toString().contains("`inc-" + cluster + "`")).hasSize(1);
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicAndTheNextEventIsStillPosted() {
        String cluster = "dlq-" + shortId();
        String notJson = "this is not a cloud event " + cluster;
        String badPayload = EventCodec.encode(HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, cluster,
                Map.of("clusterId", cluster, "summary", "no incident id")));

        send(Topics.INCIDENTS, cluster, notJson);
        send(Topics.INCIDENTS, cluster, badPayload);
        send(Topics.INCIDENTS, cluster, HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, cluster, opened("inc-" + cluster, cluster)));

        awaitSingleTopLevel(cluster);
        List<String> deadLettered = readUntil(Topics.deadLetter(Topics.INCIDENTS, "notifier"), cluster, 2);
        assertThat(deadLettered).containsExactly(notJson, badPayload);
    }

    @Test
    void anIncidentArrivingWhileTheDatabaseRestartsIsPostedOnceItIsBackAndNotDeadLettered() {
        String cluster = "db-restart-" + shortId();
        String malformedAfter = "not a cloud event, after " + cluster;
        PostgresServer database = PostgresResource.server();

        // given the database stopped, when an incident arrives
        database.stopKeepingData();
        try {
            send(Topics.INCIDENTS, cluster, HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, cluster, opened("inc-" + cluster, cluster)));

            // then nothing is posted while it is away
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> topLevel(cluster).isEmpty());
        } finally {
            database.startAgain();
        }

        // and once it is back the incident is posted, once
        awaitSingleTopLevel(cluster);
        // and it was not dead-lettered: the dead-letter topic holds only a malformed record sent after it, same partition
        send(Topics.INCIDENTS, cluster, malformedAfter);
        assertThat(readUntil(Topics.deadLetter(Topics.INCIDENTS, "notifier"), cluster, 1)).containsExactly(malformedAfter);
    }

    @Test
    void badLimitIsAProblem() {
        Api.viewer().queryParam("limit", "lots").when().get("/api/v1/notifications")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Bad request parameter 'limit'"));
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
    void aNulByteInAQueryParameterIsA400NamingItNotADatabaseError() {
        Api.viewer().urlEncodingEnabled(false).when().get("/api/v1/notifications?incidentId=inc%00x")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Bad request parameter 'incidentId'"))
                .body("detail", org.hamcrest.Matchers.containsString("U+0000"));
        Api.viewer().urlEncodingEnabled(false).when().get("/api/v1/approvals/audit?planId=%00")
                .then().statusCode(400)
                .body("title", equalTo("Bad request parameter 'planId'"));
    }

    @Test
    void healthSaysWhereNotificationsGo() {
        io.restassured.RestAssured.given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'slack-delivery' }.data.delivery", equalTo("SLACK"));
    }

    // ------------------------------------------------------------------ helpers

    private static SimMessage awaitSingleTopLevel(String cluster) {
        await().atMost(AT_MOST).untilAsserted(() -> assertThat(topLevel(cluster)).hasSize(1));
        return topLevel(cluster).get(0);
    }

    /** Top-level messages about this cluster (every message cpr writes names the cluster). */
    private static List<SimMessage> topLevel(String cluster) {
        return SlackSimulatorResource.simulator().messages().stream()
                .filter(SimMessage::isTopLevel)
                .filter(m -> m.text().contains(cluster))
                .toList();
    }

    private static List<SimMessage> replies(SimMessage top) {
        return SlackSimulatorResource.simulator().replies(top.ts());
    }

    private static void send(String topic, String key, CloudEvent event) {
        send(topic, key, EventCodec.encode(event));
    }

    private static void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce to " + topic, e);
        }
    }

    private static List<String> readUntil(String topic, String key, int count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "notifier-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            await().atMost(AT_MOST).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        values.add(record.value());
                    }
                }
                return values.size() >= count;
            });
        }
        return values;
    }

    private static IncidentOpened opened(String incidentId, String cluster) {
        return new IncidentOpened(incidentId, cluster, FailureKind.MEMBER_UNHEALTHY, List.of("etcd-2"), List.of(),
                "etcd-2 lost its WAL", T0, T0.plusSeconds(3));
    }

    private static RecoveryUpdate update(String planId, String incidentId, String cluster, PlanState state, long sequence,
            StepState... states) {
        String[] names = {"safety-snapshot", "member-replace", "verify"};
        List<StepView> steps = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            steps.add(new StepView(i, names[i], "step " + names[i], i == 1, states[i], 1, T0, null, null));
        }
        return new RecoveryUpdate(planId, incidentId, cluster, "etcd-member-replace", state, sequence, steps, null,
                T0, T0.plusSeconds(10L * sequence), null, null);
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

}
