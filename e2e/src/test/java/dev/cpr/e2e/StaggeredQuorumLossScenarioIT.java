package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import dev.cpr.sandbox.demo.scenario.StaggeredQuorumLossScenario;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two members killed 1.7 s apart (as on CI10's loaded machine), as `./cpr demo --scenario quorum-loss-staggered` runs
 * it: the least destructive recovery first must hold, and both members must come back. Pending: measured on
 * 2026-12-04 with the member streams on, nothing destructive ran but etcd-3 was left down (health-monitor/README.md,
 * "Member streams"); not run with the streams off (the default).
 */
@Tag("pending")
class StaggeredQuorumLossScenarioIT {

    @Test
    void twoMembersKilledApartAreBroughtBackWithoutRemovingWipingOrRestoringAnything() {
        World world = SharedWorld.get();

        ScenarioResult result = new StaggeredQuorumLossScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.get("members_healthy")).isEqualTo(true);
        assertThat((List<?>) result.get("destructive_steps_run")).isEmpty();
        assertThat(result.get("restore_proposed")).isEqualTo(false);
        assertThat((Long) result.get("keys_after")).isEqualTo((Long) result.get("keys_before"));
        assertThat(result.ok()).as("ok").isTrue();
    }
}
