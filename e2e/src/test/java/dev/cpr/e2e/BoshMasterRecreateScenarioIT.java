package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.BoshMasterRecreateScenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Seed 001 on the PKS cluster, as `./cpr demo --scenario bosh-master-recreate` runs it. */
class BoshMasterRecreateScenarioIT {

    @Test
    void aMasterWhoseVmAndWalAreGoneIsRecreatedAndReplacedThroughTheDirectorWithoutLosingAKey() {
        World world = SharedWorld.get();

        ScenarioResult result = new BoshMasterRecreateScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as("ok").isTrue();
        assertThat(result.get("plan")).isEqualTo(PlanNames.BOSH_CLOUD_CHECK);
        assertThat(result.get("member_replaced")).as("the recreate alone left etcd failing; the member was replaced").isEqualTo(true);
        assertThat((Long) result.get("keys_after")).isEqualTo((Long) result.get("keys_before")).isGreaterThanOrEqualTo(10_000L);
        assertThat((Long) result.get("detected_ms")).isPositive().isLessThan(10_000L);
        assertThat((Long) result.get("recovered_ms")).isLessThan(60_000L);
        assertThat((String) result.get("masters")).doesNotContain("no VM").doesNotContain("failing");
        assertThat(result.get("backup_fell_back")).as("bbr with a master down fell back to an etcd snapshot").isEqualTo(true);
        assertThat(((Map<?, ?>) result.get("backup_while_down")).get("kind")).isEqualTo("bbr-deployment");
    }
}
