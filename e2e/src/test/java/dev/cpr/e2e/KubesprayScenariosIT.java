package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.KubesprayMemberLossScenario;
import dev.cpr.sandbox.demo.scenario.KubesprayQuorumLossScenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Seed 004, as {@code ./cpr demo --scenario kubespray-member-loss} and {@code kubespray-quorum-loss} run it: the
 * kubespray cluster recovered by the real ansible-playbook over ssh, driven by cpr.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubesprayScenariosIT {

    @Test
    @Order(1)
    void aNodeThatLostItsEtcdDataIsRecoveredByRecoverControlPlaneWithoutLosingAKey() {
        World world = SharedWorld.get();

        ScenarioResult result = new KubesprayMemberLossScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as("ok").isTrue();
        assertThat(result.get("plan")).isEqualTo("kubespray-recover-control-plane");
        assertThat(result.get("playbook_exit")).isEqualTo(0);
        assertThat((Long) result.get("keys_after")).isEqualTo((Long) result.get("keys_before")).isGreaterThanOrEqualTo(1_000L);
        assertThat((Long) result.get("detected_ms")).isPositive().isLessThan(10_000L);
        assertThat(result.get("env_joined_existing")).isEqualTo(true);
        assertThat((Long) result.get("restarted_components")).isEqualTo(12L);
        assertThat((Long) result.get("playbook_live_updates")).as("updates showing the playbook's output while it ran")
                .isPositive();
    }

    @Test
    @Order(2)
    void aQuorumLossIsRestoredByRecoverControlPlaneFromTheSnapshotAfterApproval() {
        World world = SharedWorld.get();

        ScenarioResult result = new KubesprayQuorumLossScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as("ok").isTrue();
        assertThat(result.get("playbook_exit")).isEqualTo(0);
        assertThat(result.get("restored_from_snapshot")).isEqualTo(true);
        assertThat((Long) result.get("rpo_keys_lost")).isEqualTo(100L);
        assertThat((Long) result.get("keys_after")).isEqualTo((Long) result.get("snapshot_keys"));
        assertThat((Long) result.get("approved_ms")).isLessThan((Long) result.get("recovered_ms"));
        assertThat((Long) result.get("restarted_components")).isEqualTo(12L);
        assertThat((Long) result.get("playbook_live_updates")).as("updates showing the playbook's output while it ran")
                .isPositive();
    }
}
