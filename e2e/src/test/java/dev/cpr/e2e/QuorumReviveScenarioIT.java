package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.QuorumReviveScenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import org.junit.jupiter.api.Test;

/** Quorum lost with the members' data intact, as `./cpr demo --scenario quorum-revive` runs it. */
class QuorumReviveScenarioIT {

    @Test
    void twoMembersKilledWithTheirDataAreStartedAgainByThemselvesWithEveryKeyAndNoRestore() {
        World world = SharedWorld.get();

        ScenarioResult result = new QuorumReviveScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as("ok").isTrue();
        assertThat(result.get("plan")).isEqualTo("etcd-quorum-revive");
        assertThat(result.get("plan_state")).isEqualTo("SUCCEEDED");
        assertThat(result.get("restore_proposed")).isEqualTo(false);
        assertThat(result.get("awaited_approval")).isEqualTo(false);
        assertThat((Long) result.get("keys_after")).isEqualTo((Long) result.get("keys_before"))
                .isGreaterThanOrEqualTo(10_000L);
        assertThat((java.util.List<?>) result.get("options")).hasSize(3).first().asString()
                .startsWith("etcd-quorum-revive chosen, loses 0 revisions, 0 s");
    }
}
