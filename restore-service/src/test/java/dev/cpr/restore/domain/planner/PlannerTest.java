package dev.cpr.restore.domain.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.inventory.RecoveryPolicy;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.restore.domain.etcd.FakeEtcdCluster;
import dev.cpr.restore.domain.plan.PlanStep;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static final Instant DETECTED = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:01Z");

    private static Planner planner(RecoveryMode mode) {
        RecoveryPolicy policy = mode == null ? null : new RecoveryPolicy(Map.of("etcd-member-replace", mode));
        return new Planner(new Inventory(List.of(new FakeEtcdCluster("prod", policy, "etcd-1", "etcd-2", "etcd-3").spec)));
    }

    private static IncidentOpened incident(String cluster, FailureKind failure, String... failed) {
        return new IncidentOpened("inc-1", cluster, failure, List.of(failed), List.of(), "summary", DETECTED, DETECTED);
    }

    @Test
    void anUnhealthyMemberWithQuorumGetsARunningMemberReplaceUnderTheDefaultPolicy() {
        Planner.Planning planning = planner(null).plan(incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-2"), "p1", NOW);

        assertThat(planning).isInstanceOf(Planner.Create.class);
        Planner.Create create = (Planner.Create) planning;
        assertThat(create.plan().plan()).isEqualTo("etcd-member-replace");
        assertThat(create.plan().state()).isEqualTo(PlanState.RUNNING);
        assertThat(create.plan().targetMember()).isEqualTo("etcd-2");
        assertThat(create.plan().incidentId()).isEqualTo("inc-1");
        assertThat(create.plan().detectedAt()).isEqualTo(DETECTED);
        assertThat(create.plan().sequence()).isEqualTo(1);
        assertThat(create.plan().steps()).extracting(PlanStep::state).containsOnly(StepState.PENDING);
        assertThat(create.waiting()).isEmpty();
    }

    @Test
    void theModeOfTheClusterPolicyDecidesTheFirstState() {
        assertThat(((Planner.Create) planner(RecoveryMode.APPROVAL)
                .plan(incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-2"), "p", NOW)).plan().state())
                .isEqualTo(PlanState.AWAITING_APPROVAL);
        assertThat(((Planner.Create) planner(RecoveryMode.NOTIFY_ONLY)
                .plan(incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-2"), "p", NOW)).plan().state())
                .isEqualTo(PlanState.PROPOSED);
    }

    @Test
    void withSeveralFailedMembersOnlyTheFirstIsReplacedAndTheOthersWait() {
        Planner planner = new Planner(new Inventory(List.of(
                new FakeEtcdCluster("prod", (RecoveryPolicy) null, "etcd-1", "etcd-2", "etcd-3", "etcd-4", "etcd-5").spec)));

        Planner.Create create = (Planner.Create) planner.plan(
                incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-4", "etcd-5"), "p", NOW);

        assertThat(create.plan().targetMember()).isEqualTo("etcd-4");
        assertThat(create.waiting()).containsExactly("etcd-5");
    }

    @Test
    void quorumLostMakesNoPlanAndWarns() {
        Planner.Planning planning = planner(null).plan(
                incident("prod", FailureKind.QUORUM_LOST, "etcd-1", "etcd-2"), "p", NOW);

        assertThat(planning).isInstanceOf(Planner.Skip.class);
        assertThat(((Planner.Skip) planning).warning()).isTrue();
        assertThat(((Planner.Skip) planning).reason()).contains("quorum lost");
    }

    @Test
    void tooManyFailedMembersForAMemberReplaceMakeNoPlan() {
        Planner.Planning planning = planner(null).plan(
                incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-1", "etcd-2"), "p", NOW);

        assertThat(planning).isInstanceOf(Planner.Skip.class);
        assertThat(((Planner.Skip) planning).reason()).contains("quorum (2) does not hold");
    }

    @Test
    void anUnknownClusterOrMemberIsSkipped() {
        assertThat(planner(null).plan(incident("elsewhere", FailureKind.MEMBER_UNHEALTHY, "etcd-2"), "p", NOW))
                .isEqualTo(new Planner.Skip("cluster elsewhere is not in the inventory", false));
        assertThat(planner(null).plan(incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-9"), "p", NOW))
                .isInstanceOf(Planner.Skip.class);
    }
}
