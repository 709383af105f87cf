package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.MemberCrashScenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A member's process killed with its data intact, as `./cpr demo --scenario member-crash` runs it. */
class MemberCrashScenarioIT {

    @Test
    void aMemberKilledWithItsDataIntactIsStartedAgainOnItAndNeverRemovedOrWiped() {
        World world = SharedWorld.get();

        ScenarioResult result = new MemberCrashScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as("ok").isTrue();
        assertThat(result.get("plan")).isEqualTo("etcd-member-revive");
        assertThat(result.get("plan_state")).isEqualTo("SUCCEEDED");
        assertThat((List<?>) result.get("destructive_steps_run")).as("member-remove or wipe-data-dir run").isEmpty();
        assertThat((Long) result.get("keys_after")).isEqualTo((Long) result.get("keys_before"));
        assertThat((Long) result.get("recovered_ms")).isLessThan(15_000L);
    }
}
