package dev.cpr.restore.domain.plans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.inventory.RecoveryPolicy;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.etcd.FakeEtcdCluster;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.planner.Planner;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanTypesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    private final ClusterSpec cluster = new FakeEtcdCluster("etcd-1", "etcd-2", "etcd-3").spec;
    private final Planner planner = new Planner(new Inventory(List.of(cluster)));

    private ManualTrigger trigger(String plan, String member) {
        return new ManualTrigger(cluster, plan, member, null, "alice", "plan-1", "manual-plan-1", NOW);
    }

    @Test
    void everyPlanNameIsRegisteredOnceInTheOrderRestListsThem() {
        assertThat(PlanTypes.names()).containsExactly(PlanNames.ETCD_MEMBER_REPLACE, PlanNames.ETCD_QUORUM_RESTORE,
                PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE, PlanNames.BOSH_CLOUD_CHECK, PlanNames.BBR_DEPLOYMENT_RESTORE,
                PlanNames.BBR_DIRECTOR_RESTORE, PlanNames.ETCD_SPACE_RECOVER, PlanNames.ETCD_QUORUM_REVIVE,
                PlanNames.ETCD_SURVIVOR_REBUILD, PlanNames.ETCD_MEMBER_REVIVE,
                PlanNames.ETCD_POINT_IN_TIME_RESTORE);
        assertThat(PlanTypes.names()).containsExactlyInAnyOrderElementsOf(PlanNames.ALL);
    }

    @Test
    void withoutAPolicyOnlyThePlansThatLoseNothingRunByThemselves() {
        for (String name : PlanTypes.names()) {
            RecoveryMode expected = List.of(PlanNames.ETCD_MEMBER_REPLACE, PlanNames.ETCD_MEMBER_REVIVE,
                    PlanNames.BOSH_CLOUD_CHECK,
                    PlanNames.ETCD_SPACE_RECOVER, PlanNames.ETCD_QUORUM_REVIVE).contains(name)
                    ? RecoveryMode.AUTO : RecoveryMode.APPROVAL;
            assertThat(PlanTypes.of(name).defaultMode()).as(name).isEqualTo(expected);
            assertThat(PlanTypes.modeFor(cluster, name)).as(name).isEqualTo(expected);
        }
    }

    @Test
    void theClustersPolicyOverridesThePlansDefaultMode() {
        ClusterSpec strict = new FakeEtcdCluster("strict", new RecoveryPolicy(Map.of(PlanNames.ETCD_MEMBER_REPLACE,
                RecoveryMode.NOTIFY_ONLY)), "etcd-1", "etcd-2", "etcd-3").spec;

        assertThat(PlanTypes.modeFor(strict, PlanNames.ETCD_MEMBER_REPLACE)).isEqualTo(RecoveryMode.NOTIFY_ONLY);
        assertThat(PlanTypes.modeFor(strict, PlanNames.ETCD_SPACE_RECOVER)).isEqualTo(RecoveryMode.AUTO);
        assertThat(PlanTypes.modeFor(strict, PlanNames.ETCD_QUORUM_RESTORE)).isEqualTo(RecoveryMode.APPROVAL);
    }

    @Test
    void anUnknownPlanIsNotFound() {
        assertThat(PlanTypes.find("etcd-reboot")).isEmpty();
        assertThat(PlanTypes.find(null)).isEmpty();
        assertThatThrownBy(() -> PlanTypes.of("etcd-reboot")).hasMessageContaining("etcd-reboot");
    }

    @Test
    void aMemberReplaceTriggeredByHandRunsAsThePolicySaysAndNamesWhoTriggeredIt() {
        RecoveryPlan plan = PlanTypes.of(PlanNames.ETCD_MEMBER_REPLACE).trigger(trigger(PlanNames.ETCD_MEMBER_REPLACE,
                "etcd-2"), planner);

        assertThat(plan.plan()).isEqualTo(PlanNames.ETCD_MEMBER_REPLACE);
        assertThat(plan.targetMember()).isEqualTo("etcd-2");
        assertThat(plan.state()).isEqualTo(PlanState.RUNNING);
        assertThat(plan.message()).isEqualTo("replace etcd-2, triggered by alice (auto)");
    }

    @Test
    void aMemberReplaceWithoutAKnownMemberIsRefusedWithA400NamingTheMembers() {
        PlanType replace = PlanTypes.of(PlanNames.ETCD_MEMBER_REPLACE);

        assertThatThrownBy(() -> replace.trigger(trigger(PlanNames.ETCD_MEMBER_REPLACE, " "), planner))
                .isInstanceOfSatisfying(TriggerRefused.class, refused -> {
                    assertThat(refused.kind()).isEqualTo(TriggerRefused.Kind.INVALID_REQUEST);
                    assertThat(refused.title()).isEqualTo("Missing member");
                    assertThat(refused.detail()).isEqualTo("'member' is required for etcd-member-replace; members of "
                            + "test: [etcd-1, etcd-2, etcd-3]");
                });
        assertThatThrownBy(() -> replace.trigger(trigger(PlanNames.ETCD_MEMBER_REPLACE, "etcd-9"), planner))
                .isInstanceOfSatisfying(TriggerRefused.class, refused -> assertThat(refused.title())
                        .isEqualTo("Unknown member"));
    }

    @Test
    void aBbrRestoreOnAPlainEtcdClusterIsRefused() {
        assertThatThrownBy(() -> PlanTypes.of(PlanNames.BBR_DIRECTOR_RESTORE)
                .trigger(trigger(PlanNames.BBR_DIRECTOR_RESTORE, null), planner))
                .isInstanceOfSatisfying(TriggerRefused.class, refused -> {
                    assertThat(refused.kind()).isEqualTo(TriggerRefused.Kind.INVALID_REQUEST);
                    assertThat(refused.detail()).isEqualTo("cluster test is not kind: bosh; bbr-director-restore "
                            + "restores BOSH deployments and directors");
                });
    }
}
