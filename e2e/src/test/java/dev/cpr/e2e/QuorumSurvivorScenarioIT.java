package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.QuorumSurvivorScenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import org.junit.jupiter.api.Test;

/** Quorum lost, two members' data gone, one survivor, as `./cpr demo --scenario quorum-survivor` runs it. */
class QuorumSurvivorScenarioIT {

    @Test
    void twoWipedMembersAreRebuiltFromTheSurvivorAfterARestApprovalWithEveryKey() {
        World world = SharedWorld.get();

        ScenarioResult result = new QuorumSurvivorScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as("ok").isTrue();
        assertThat(result.get("plan")).isEqualTo("etcd-survivor-rebuild");
        assertThat(result.get("plan_state")).isEqualTo("SUCCEEDED");
        assertThat(result.get("restore_proposed")).isEqualTo(false);
        assertThat((Long) result.get("keys_after")).isEqualTo((Long) result.get("keys_before"))
                .isGreaterThanOrEqualTo(10_000L);
        assertThat((java.util.List<?>) result.get("options")).hasSize(3).element(1).asString()
                .startsWith("etcd-survivor-rebuild chosen, loses 0 revisions");
    }
}
