package dev.cpr.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.notifier.adapters.kafka.ApprovalPublisher;
import dev.cpr.notifier.domain.ApprovalAction;
import dev.cpr.platform.events.EventRecords;
import dev.cpr.platform.outbox.OutboxRelay;
import dev.cpr.sandbox.slack.SlackSimulator;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import dev.cpr.sandbox.testing.SlackSimulatorResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Slack decision and its {@code dev.cpr.approval.decided} commit together, and the event leaves from its outbox row
 * whatever happens between the commit and the publish. The relay is paused to stand for a notifier that died right
 * after the commit; resuming it is the restart. Same resources as {@link ApprovalFlowTest} (one Quarkus start).
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SlackSimulatorResource.class)
class ApprovalOutboxFaultTest {

    private static final Duration AT_MOST = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL base;

    @Inject
    ApprovalPublisher publisher;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void onCallGroup() {
        SlackSimulatorResource.simulator().defineUserGroup("S0ONCALL", ApprovalFlowTest.ON_CALL);
    }

    @AfterEach
    void relayRuns() {
        publisher.relay().resume();
    }

    @Test
    void aClickCommittedBeforeItsPublishLeavesAfterTheRestartFromItsOutboxRowUnchanged() throws Exception {
        String cluster = "outbox-" + ApprovalFlowTest.shortId();
        ApprovalFlowTest.Waiting plan = ApprovalFlowTest.planWaitingForApproval(cluster);
        SlackSimulator slack = SlackSimulatorResource.simulator();
        try (KafkaConsumer<String, String> reader = Kafka.reader(Topics.APPROVALS)) {
            // given a notifier that will die between the commit and the publish
            publisher.relay().pause();

            // when an approver clicks Approve
            int status = slack.clickButton(url(), ApprovalFlowTest.APPROVER, plan.message().ts(),
                    ApprovalAction.APPROVE, ApprovalAction.value(plan.planId(), cluster, ApprovalFlowTest.DIGEST));

            // then the decision is committed (its audit row says ACCEPTED) and its event waits in the outbox
            assertThat(status).isEqualTo(200);
            assertThat(Api.viewer().queryParam("planId", plan.planId()).when().get("/api/v1/approvals/audit")
                    .then().statusCode(200).extract().jsonPath().getList("outcome", String.class))
                    .containsExactly("ACCEPTED");
            List<String> rows = pendingRows(cluster);
            assertThat(rows).singleElement()
                    .satisfies(row -> assertThat(EventCodec.decode(row).type()).isEqualTo(EventTypes.APPROVAL_DECIDED));
            assertThat(backlog()).isGreaterThanOrEqualTo(1);
            List<ConsumerRecord<String, String>> sent = new ArrayList<>();
            await("nothing on cpr.approvals yet").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> poll(reader, cluster, sent).isEmpty());

            // when the service is back
            publisher.relay().resume();

            // then the record leaves unchanged: the stored CloudEvent, keyed by cluster, in structured mode
            await("the decision published").atMost(AT_MOST).until(() -> poll(reader, cluster, sent).size() == 1);
            ConsumerRecord<String, String> record = sent.get(0);
            assertThat(record.value()).isEqualTo(rows.get(0));
            assertThat(record.key()).isEqualTo(cluster);
            assertThat(new String(record.headers().lastHeader(EventRecords.CONTENT_TYPE_HEADER).value(),
                    StandardCharsets.UTF_8)).startsWith(EventRecords.CONTENT_TYPE);
            assertThat(pendingRows(cluster)).isEmpty();
        }
    }

    private double backlog() {
        return registry.get(OutboxRelay.BACKLOG_GAUGE).tag("service", "notifier").gauge().value();
    }

    private static List<ConsumerRecord<String, String>> poll(KafkaConsumer<String, String> reader, String cluster,
            List<ConsumerRecord<String, String>> into) {
        for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(300))) {
            if (cluster.equals(record.key())) {
                into.add(record);
            }
        }
        return into;
    }

    /** The cluster's unpublished rows of {@code cpr.approvals}: the stored CloudEvents, in outbox order. */
    private List<String> pendingRows(String cluster) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select cloud_event from notifier.event_outbox where published_at is null"
                        + " and topic = ? and record_key = ? order by seq")) {
            s.setString(1, Topics.APPROVALS);
            s.setString(2, cluster);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }

    private String url() {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
