package dev.cpr.restore.domain.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.inventory.RecoveryPolicy;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.kernel.MeltdownGuard;
import dev.cpr.restore.domain.etcd.FakeEtcdCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A zone outage takes one member from many clusters: each alone is an ordinary member loss, together they are not. */
class FleetGuardTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:01Z");
    private static final Duration WINDOW = Duration.ofMinutes(2);
    private static final MeltdownGuard THREE_AND_20_PERCENT = new MeltdownGuard(3, 20);

    private static Inventory fleetOf(int clusters) {
        List<ClusterSpec> specs = new ArrayList<>();
        IntStream.rangeClosed(1, clusters).forEach(i -> specs.add(
                new FakeEtcdCluster("c" + i, (RecoveryPolicy) null, "etcd-1", "etcd-2", "etcd-3").spec));
        return new Inventory(specs);
    }

    private static IncidentOpened memberLoss(String cluster) {
        return new IncidentOpened("inc-" + cluster, cluster, FailureKind.MEMBER_UNHEALTHY, List.of("etcd-2"), List.of(),
                "etcd-2 down", NOW, NOW);
    }

    private static Planner.Create plan(Planner planner, String cluster) {
        return (Planner.Create) planner.plan(memberLoss(cluster), "p-" + cluster, NOW);
    }

    @Test
    void aMemberLossWhileTwoOtherClustersAreBeingRecoveredIsProposedForAPersonNotRunByItself() {
        // given three clusters, two of them already being recovered
        Planner planner = new Planner(fleetOf(3)).withFleetGuard(
                new FleetGuard(THREE_AND_20_PERCENT, WINDOW, since -> Set.of("c1", "c2")));

        // when the third loses a member
        Planner.Create create = plan(planner, "c3");

        // then nothing runs by itself: the replace is proposed, saying why
        assertThat(create.plan().mode()).isEqualTo(RecoveryMode.NOTIFY_ONLY);
        assertThat(create.plan().state()).isEqualTo(PlanState.PROPOSED);
        assertThat(create.plan().message()).contains("fleet meltdown guard: 3 of 3 clusters failing at once")
                .contains("replacing etcd-2 is proposed for a person to decide");
    }

    @Test
    void oneOtherClusterBeingRecoveredLeavesAnOrdinaryMemberLossAutomatic() {
        Planner planner = new Planner(fleetOf(3)).withFleetGuard(
                new FleetGuard(THREE_AND_20_PERCENT, WINDOW, since -> Set.of("c1")));

        Planner.Create create = plan(planner, "c3");

        assertThat(create.plan().mode()).isEqualTo(RecoveryMode.AUTO);
        assertThat(create.plan().state()).isEqualTo(PlanState.RUNNING);
    }

    @Test
    void theClusterItselfIsCountedOnceEvenWhenTheStoreAlreadyListsIt() {
        Planner planner = new Planner(fleetOf(3)).withFleetGuard(
                new FleetGuard(THREE_AND_20_PERCENT, WINDOW, since -> Set.of("c1", "c3")));

        assertThat(plan(planner, "c3").plan().mode()).isEqualTo(RecoveryMode.AUTO);
    }

    @Test
    void inALargeFleetAFewClustersAtOnceAreBelowTheShareAndStayAutomatic() {
        // 3 of 50 clusters is 6 %, under 20 %: three unrelated losses, not a shared cause
        Planner planner = new Planner(fleetOf(50)).withFleetGuard(
                new FleetGuard(THREE_AND_20_PERCENT, WINDOW, since -> Set.of("c1", "c2")));

        assertThat(plan(planner, "c3").plan().mode()).isEqualTo(RecoveryMode.AUTO);
    }

    @Test
    void plansOnClustersOutsideThisInventoryAreNotCounted() {
        Planner planner = new Planner(fleetOf(3)).withFleetGuard(
                new FleetGuard(THREE_AND_20_PERCENT, WINDOW, since -> Set.of("elsewhere-1", "elsewhere-2", "c1")));

        assertThat(plan(planner, "c3").plan().mode()).isEqualTo(RecoveryMode.AUTO);
    }

    @Test
    void onlyPlansMadeWithinTheWindowAreAskedFor() {
        AtomicReference<Instant> askedSince = new AtomicReference<>();
        Planner planner = new Planner(fleetOf(3)).withFleetGuard(new FleetGuard(THREE_AND_20_PERCENT, WINDOW, since -> {
            askedSince.set(since);
            return Set.of();
        }));

        plan(planner, "c3");

        assertThat(askedSince.get()).isEqualTo(NOW.minus(WINDOW));
    }

    @Test
    void aPlanAPersonMustApproveAnywayIsNotTouchedAndTheStoreIsNotAsked() {
        AtomicReference<Instant> askedSince = new AtomicReference<>();
        RecoveryPolicy approval = new RecoveryPolicy(java.util.Map.of("etcd-member-replace", RecoveryMode.APPROVAL));
        Planner planner = new Planner(new Inventory(List.of(
                new FakeEtcdCluster("c1", approval, "etcd-1", "etcd-2", "etcd-3").spec)))
                .withFleetGuard(new FleetGuard(new MeltdownGuard(1, 0), WINDOW, since -> {
                    askedSince.set(since);
                    return Set.of();
                }));

        Planner.Create create = plan(planner, "c1");

        assertThat(create.plan().mode()).isEqualTo(RecoveryMode.APPROVAL);
        assertThat(askedSince.get()).isNull();
    }

    @Test
    void withoutAFleetGuardNothingIsCountedAcrossClusters() {
        Planner planner = new Planner(fleetOf(3));

        assertThat(plan(planner, "c3").plan().mode()).isEqualTo(RecoveryMode.AUTO);
    }
}
