package dev.cpr.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryOption;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.contracts.recovery.StepView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class MessageRendererTest {

    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private static final String DIGEST = "sha256:0123456789ab" + "c".repeat(52);
    private final MessageRenderer renderer = new MessageRenderer();

    @Test
    void progressMessageHasOneLinePerStepWithItsStateAndTheBar() {
        RecoveryUpdate update = update(PlanState.RUNNING, 7, List.of(
                StepState.SUCCEEDED, StepState.SKIPPED, StepState.SUCCEEDED, StepState.RUNNING, StepState.PENDING));

        SlackMessage message = renderer.progress(update);

        String head = message.blocks().get(0).path("text").path("text").asText();
        assertThat(head).contains("*Recovery `etcd-member-replace`*", "RUNNING", "`▰▰▰▱▱ 3/5`", "elapsed 1m 05s");
        List<String> lines = List.of(message.blocks().get(1).path("text").path("text").asText().split("\n"));
        assertThat(lines).containsExactly(
                ":white_check_mark: 1. *safety-snapshot*: step 0",
                ":fast_forward: 2. *member-remove*: step 1",
                ":white_check_mark: 3. *wipe-data*: step 2",
                ":arrows_counterclockwise: 4. *member-add*: step 3",
                ":white_circle: 5. *start-member*: step 4");
        assertThat(message.text()).isEqualTo(
                "Recovery etcd-member-replace on sandbox: RUNNING ▰▰▰▱▱ 3/5 (elapsed 1m 05s)");
    }

    @Test
    void aQuorumLossPlanShowsEveryOptionLeastDestructiveFirstWithWhatItWouldLose() {
        RecoveryUpdate waiting = update(PlanState.AWAITING_APPROVAL, 1, List.of(StepState.PENDING));
        RecoveryUpdate update = new RecoveryUpdate(waiting.planId(), waiting.incidentId(), waiting.clusterId(),
                "etcd-survivor-rebuild", waiting.state(), 1, waiting.steps(), null, T0, T0, null, null, null, List.of(
                        new RecoveryOption(1, "etcd-quorum-revive", "", false, false, null, null,
                                "no down member has its data directory intact"),
                        new RecoveryOption(2, "etcd-survivor-rebuild", "etcd-1", true, true, 0L, 0L,
                                "a one-member cluster from etcd-1"),
                        new RecoveryOption(3, "etcd-quorum-restore", "snap-1", false, true, 120L, 3_720L,
                                "every member restored from snap-1")));

        SlackMessage message = renderer.progress(update);

        String options = StreamSupport.stream(message.blocks().spliterator(), false)
                .map(b -> b.path("text").path("text").asText()).filter(t -> t.startsWith("*Options"))
                .findFirst().orElseThrow();
        assertThat(options.split("\n")).containsExactly("*Options, least destructive first*",
                "1. `etcd-quorum-revive` _(not possible)_: no down member has its data directory intact",
                "2. `etcd-survivor-rebuild` *(this plan)*: *loses 0 revisions, 0s* · a one-member cluster from etcd-1",
                "3. `etcd-quorum-restore`: *loses 120 revisions, 1h 02m* · every member restored from snap-1");
    }

    @Test
    void aPlanWithoutOptionsHasNoOptionsSection() {
        SlackMessage message = renderer.progress(update(PlanState.RUNNING, 1, List.of(StepState.PENDING)));

        assertThat(StreamSupport.stream(message.blocks().spliterator(), false)
                .map(b -> b.path("text").path("text").asText())).noneMatch(t -> t.startsWith("*Options"));
    }

    @Test
    void aPlanWaitingForApprovalCarriesApproveAndRejectButtonsNamingPlanClusterAndTheDigestShown() {
        RecoveryUpdate update = update(PlanState.AWAITING_APPROVAL, 1, List.of(StepState.PENDING, StepState.PENDING));

        SlackMessage message = renderer.progress(update);

        JsonNode actions = StreamSupport.stream(message.blocks().spliterator(), false)
                .filter(b -> "actions".equals(b.path("type").asText())).findFirst().orElseThrow();
        assertThat(actions.path("block_id").asText()).isEqualTo(ApprovalAction.BLOCK_ID);
        assertThat(actions.path("elements")).extracting(e -> e.path("action_id").asText())
                .containsExactly(ApprovalAction.APPROVE, ApprovalAction.REJECT);
        assertThat(ApprovalAction.parse(ApprovalAction.APPROVE, actions.path("elements").get(0).path("value").asText()))
                .isEqualTo(new ApprovalAction(true, update.planId(), "sandbox", DIGEST));
        assertThat(message.blocksJson()).contains("Plan digest `0123456789ab`").contains("plan `plan-1` · digest `0123456789ab`");
        assertThat(message.text()).endsWith("waits for approval");
    }

    @Test
    void aDecidedPlanShowsWhoDecidedAndWhenInsteadOfButtons() {
        RecoveryUpdate update = update(PlanState.AWAITING_APPROVAL, 1, List.of(StepState.PENDING));

        SlackMessage message = renderer.progress(update, new ApprovalNote(true, "U0APPROVER", T0.plusSeconds(90)));

        assertThat(message.blocksJson()).doesNotContain("\"actions\"")
                .contains("*Approved* by <@U0APPROVER> at 2026-11-21 06:01:30 UTC");
        assertThat(message.text()).endsWith("approved by U0APPROVER");
    }

    @Test
    void succeededPlanShowsAFullBarAndItsFinalState() {
        RecoveryUpdate update = update(PlanState.SUCCEEDED, 12, List.of(
                StepState.SUCCEEDED, StepState.SUCCEEDED, StepState.SUCCEEDED, StepState.SUCCEEDED, StepState.SUCCEEDED));

        SlackMessage message = renderer.progress(update);

        assertThat(message.text()).contains("SUCCEEDED", "▰▰▰▰▰ 5/5");
        assertThat(message.blocks().get(0).path("text").path("text").asText()).startsWith(":white_check_mark:");
    }

    @Test
    void stepsAreListedInIndexOrderAndAFailedStepShowsItsOutput() {
        List<StepView> steps = new ArrayList<>();
        steps.add(new StepView(1, "member-add", "Add", true, StepState.FAILED, 3, T0, T0, "etcdserver: unhealthy cluster"));
        steps.add(new StepView(0, "snapshot", "Snapshot", false, StepState.SUCCEEDED, 1, T0, T0, null));
        RecoveryUpdate update = new RecoveryUpdate("plan-1", "inc-1", "sandbox", "etcd-member-replace", PlanState.FAILED,
                3, steps, "member-add failed", T0, T0.plusSeconds(10), null, null);

        String lines = renderer.progress(update).blocks().get(1).path("text").path("text").asText();

        assertThat(lines.split("\n")).containsExactly(
                ":white_check_mark: 1. *snapshot*: Snapshot",
                ":x: 2. *member-add*: Add (attempt 3) — etcdserver: unhealthy cluster");
    }

    @Test
    void aRunningStepShowsTheNewestLineOfItsOutputSoFar() {
        List<StepView> steps = List.of(new StepView(0, "run-playbook", "ansible-playbook recover-control-plane.yml",
                true, StepState.RUNNING, 1, T0, null,
                "ansible-playbook running; last lines:\nTASK [etcd : stop etcd]\nTASK [etcd : restore the snapshot on node1]\n"));
        RecoveryUpdate update = new RecoveryUpdate("plan-1", "inc-1", "kubespray-1", "kubespray-recover-control-plane",
                PlanState.RUNNING, 4, steps, "running", T0, null, null, null);

        String lines = renderer.progress(update).blocks().get(1).path("text").path("text").asText();

        assertThat(lines).isEqualTo(":arrows_counterclockwise: 1. *run-playbook*: ansible-playbook recover-control-plane.yml"
                + " — _TASK [etcd : restore the snapshot on node1]_");
    }

    @Test
    void incidentMessageHasAHeaderWithClusterAndFailureAndTheThreeFields() {
        SlackMessage message = renderer.incidentOpened(incident());

        JsonNode header = message.blocks().get(0);
        assertThat(header.path("type").asText()).isEqualTo("header");
        assertThat(header.path("text").path("text").asText()).isEqualTo(":rotating_light: sandbox: member unhealthy");
        List<String> fields = StreamSupport.stream(message.blocks().get(1).path("fields").spliterator(), false)
                .map(f -> f.path("text").asText()).toList();
        assertThat(fields).containsExactly(
                "*Failed members*\netcd-2",
                "*Detected at*\n2026-11-21 06:00:05 UTC",
                "*Summary*\netcd-2 lost its WAL");
        assertThat(message.text()).isEqualTo("Incident on sandbox: member unhealthy (etcd-2): etcd-2 lost its WAL");
    }

    @Test
    void resolvedMessageKeepsTheIncidentDetailsAndSaysHowLongItWasOpen() {
        IncidentResolved resolved = new IncidentResolved("inc-1", "sandbox", FailureKind.MEMBER_UNHEALTHY, T0,
                T0.plusSeconds(95));

        SlackMessage top = renderer.incidentResolved(incident(), resolved);
        SlackMessage reply = renderer.resolvedReply(resolved);

        assertThat(top.blocks().get(0).path("text").path("text").asText()).startsWith(":white_check_mark: Resolved: sandbox");
        assertThat(top.blocks().toString()).contains("etcd-2 lost its WAL", "*Open for*\\n1m 35s");
        assertThat(top.text()).isEqualTo("Resolved: incident on sandbox: member unhealthy (open for 1m 35s)");
        assertThat(reply.text()).isEqualTo("Resolved: sandbox is healthy again after 1m 35s");
    }

    @Test
    void blocksSerialiseToTheJsonStringTheWebApiTakes() {
        String json = renderer.incidentOpened(incident()).blocksJson();

        assertThat(json).startsWith("[{\"type\":\"header\"");
    }

    private static IncidentOpened incident() {
        return new IncidentOpened("inc-1", "sandbox", FailureKind.MEMBER_UNHEALTHY, List.of("etcd-2"),
                List.of(new MemberHealth("etcd-2", "http://127.0.0.1:2379", false, "connection refused")),
                "etcd-2 lost its WAL", T0, T0.plusSeconds(5));
    }

    private static RecoveryUpdate update(PlanState state, long sequence, List<StepState> states) {
        String[] names = {"safety-snapshot", "member-remove", "wipe-data", "member-add", "start-member"};
        List<StepView> steps = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            steps.add(new StepView(i, names[i], "step " + i, i == 1, states.get(i), 1, T0, null, null));
        }
        return new RecoveryUpdate("plan-1", "inc-1", "sandbox", "etcd-member-replace", state, sequence, steps, null,
                T0, T0.plusSeconds(65), null, null, DIGEST);
    }
}
