package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.ForgedApprovalScenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue #11, as `./cpr demo --scenario forged-approval` runs it, against the packaged services. */
class ForgedApprovalScenarioIT {

    @Test
    void forgedAndUnauthorisedApprovalsAreRefusedAndAuditedAndOnlyTheApproversSignedClickRunsThePlan() {
        World world = SharedWorld.get();

        ScenarioResult result = new ForgedApprovalScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.get("unsigned_refused")).as("unsigned approval on the bus refused and audited").isEqualTo(true);
        assertThat(result.get("tampered_refused")).as("tampered approval on the bus refused and audited").isEqualTo(true);
        assertThat(result.get("viewer_refused")).as("REST approval by a viewer: 403 and audited").isEqualTo(true);
        assertThat(result.get("still_waiting")).as("the plan unchanged after the refusals").isEqualTo(true);
        assertThat((List<?>) result.get("refusals")).hasSize(3);
        assertThat(result.get("approved_by")).isEqualTo(World.SLACK_APPROVER);
        assertThat(result.get("approval_signed")).isEqualTo(true);
        assertThat(result.get("plan_state")).isEqualTo("SUCCEEDED");
        assertThat(result.ok()).as("ok").isTrue();
    }
}
