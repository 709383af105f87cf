package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import dev.cpr.sandbox.demo.scenario.SpaceExhaustedScenario;
import java.util.List;
import org.junit.jupiter.api.Test;

/** etcd's space quota, as `./cpr demo --scenario space-exhausted` runs it. */
class SpaceExhaustedScenarioIT {

    @Test
    void aClusterOutOfSpaceIsCompactedDefragmentedAndDisarmedWithoutLosingAKeyOrProposingARestore() {
        World world = SharedWorld.get();

        ScenarioResult result = new SpaceExhaustedScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as("ok").isTrue();
        assertThat(result.get("plan")).isEqualTo(PlanNames.ETCD_SPACE_RECOVER);
        assertThat((List<?>) result.get("alarms")).as("alarms at NOSPACE").isNotEmpty();
        assertThat((List<?>) result.get("alarms_after")).as("alarms after").isEmpty();
        assertThat((Long) result.get("keys_after")).isEqualTo((Long) result.get("keys_before"))
                .isGreaterThanOrEqualTo(10_000L);
        assertThat((Long) result.get("db_bytes_after")).isLessThan((Long) result.get("db_bytes_before"));
        assertThat(result.get("quorum_lost_reported")).isEqualTo(false);
        assertThat(result.get("restore_proposed")).isEqualTo(false);
        assertThat((Long) result.get("detected_ms")).isPositive().isLessThan(15_000L);
        assertThat((Long) result.get("recovered_ms")).isLessThan(80_000L);
    }
}
