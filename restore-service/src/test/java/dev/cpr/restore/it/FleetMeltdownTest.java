package dev.cpr.restore.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.inventory.RecoveryPolicy;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.app.PlanRecords;
import dev.cpr.restore.app.Recoveries;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fleet meltdown guard as the service runs it: the count of clusters being recovered comes from the plans in
 * PostgreSQL (every replica's), with the service's default rule (3 clusters and 20 %). Three clusters, each the
 * sandbox's members under its own id, automatic member replaces by policy.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(BackupServiceStandIn.class)
class FleetMeltdownTest {

    @Inject
    Inventory sandboxInventory;
    @Inject
    PlanRecords store;
    @Inject
    ReplicaBuilder replicas;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> clusters = Stream.of("a", "b", "c").map(name -> "zone-" + run + "-" + name).toList();

    private Recoveries replicaOverThreeClusters() {
        ClusterSpec sandbox = sandboxInventory.clusters().get(0);
        RecoveryPolicy automatic = new RecoveryPolicy(Map.of("etcd-member-replace", RecoveryMode.AUTO,
                "etcd-member-revive", RecoveryMode.AUTO));
        Inventory fleet = new Inventory(clusters.stream().map(id -> new ClusterSpec(id, sandbox.kind(),
                sandbox.initialClusterToken(), sandbox.tls(), sandbox.members(), automatic)).toList());
        return replicas.replica(fleet);
    }

    /** A plan a person still has to decide on: the cluster counts as being recovered, and nothing runs. */
    private void beingRecovered(String cluster) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RecoveryPlan plan = new RecoveryPlan(UUID.randomUUID().toString(), "inc-" + UUID.randomUUID(), cluster,
                "etcd-member-replace", "etcd-3", PlanState.AWAITING_APPROVAL, RecoveryMode.APPROVAL, now, now, now, null,
                "waiting for a person", 1, EtcdMemberReplacePlan.outline("etcd-3"));
        assertThat(store.create(plan)).isInstanceOf(PlanRecords.Stored.class);
    }

    @Test
    void whileTwoOfThreeClustersAreBeingRecoveredTheThirdsMemberLossWaitsForAPerson() {
        // given two of the three clusters being recovered right now
        beingRecovered(clusters.get(0));
        beingRecovered(clusters.get(1));
        assertThat(store.clustersRecoveringSince(Instant.now().minusSeconds(60)))
                .contains(clusters.get(0), clusters.get(1));

        // when the third loses a member (an ordinary member loss, automatic by its policy)
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        replicaOverThreeClusters().plan("[test]", new IncidentOpened("inc-" + UUID.randomUUID(), clusters.get(2),
                FailureKind.MEMBER_UNHEALTHY, List.of("etcd-2"), List.of(), "etcd-2 unhealthy", now, now));

        // then its plan is a proposal saying why, and nothing runs by itself
        assertThat(store.activeOn(clusters.get(2))).hasValueSatisfying(plan -> {
            assertThat(plan.mode()).isEqualTo(RecoveryMode.NOTIFY_ONLY);
            assertThat(plan.state()).isEqualTo(PlanState.PROPOSED);
            assertThat(plan.message()).contains("fleet meltdown guard: 3 of 3 clusters failing at once");
        });
    }

    @Test
    void aPlanThatEndedNoLongerCountsAsAClusterBeingRecovered() {
        beingRecovered(clusters.get(0));
        RecoveryPlan active = store.activeOn(clusters.get(0)).orElseThrow();

        store.save(active.withState(PlanState.REJECTED, "rejected", Instant.now().truncatedTo(ChronoUnit.MICROS)));

        assertThat(store.clustersRecoveringSince(Instant.now().minusSeconds(60))).doesNotContain(clusters.get(0));
    }
}
