package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.BoshQuorumBbrRestoreScenario;
import dev.cpr.sandbox.demo.scenario.DirectorRestoreScenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import org.junit.jupiter.api.Test;

/** Seeds 000 and 003 on the PKS cluster, as `./cpr demo` runs them: bbr restores after an approval. */
class BoshBbrRestoreScenariosIT {

    @Test
    void aLostQuorumOfPksMastersIsRestoredFromTheVerifiedBbrArtifactOnceApproved() {
        World world = SharedWorld.get();

        ScenarioResult result = new BoshQuorumBbrRestoreScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as("ok").isTrue();
        assertThat(result.get("plan")).isEqualTo(PlanNames.BBR_DEPLOYMENT_RESTORE);
        assertThat(result.get("plan_state")).isEqualTo("SUCCEEDED");
        long before = (Long) result.get("keys_before");
        long after = (Long) result.get("keys_after");
        assertThat(before - after).as("only the keys written after the backup are lost")
                .isEqualTo(((Number) result.get("keys_lost")).longValue()).isEqualTo(100L);
    }

    @Test
    void aLostDirectorIsRestoredIntoANewEmptyDirectorOnceApprovedAndEtcdIsNotTouched() {
        World world = SharedWorld.get();

        ScenarioResult result = new DirectorRestoreScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as("ok").isTrue();
        assertThat(result.get("plan")).isEqualTo(PlanNames.BBR_DIRECTOR_RESTORE);
        assertThat(result.get("new_director_empty")).isEqualTo(true);
        assertThat(result.get("state_loss_detected")).as("cpr said the new director does not know the deployment")
                .isEqualTo(true);
        assertThat(result.get("first_plan_withdrawn")).as("the unreachable incident resolved: its plan was withdrawn")
                .isEqualTo(true);
        assertThat(result.get("deployment_known")).isEqualTo(true);
        assertThat((Long) result.get("keys_after")).isEqualTo((Long) result.get("keys_before"));
    }
}
