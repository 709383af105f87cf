package dev.cpr.restore.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.inventory.RecoveryPolicy;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.adapters.persistence.DeferredIncidentRepository;
import dev.cpr.restore.adapters.persistence.PanacheDeferredIncidents;
import dev.cpr.restore.app.DeferredIncidentStore;
import dev.cpr.restore.app.PlanRecords;
import dev.cpr.restore.app.Recoveries;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import dev.cpr.restore.domain.etcd.MemberSurvey;
import dev.cpr.restore.domain.etcd.MemberSurveyor;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An incident that found its cluster busy waits in PostgreSQL, not in a replica's memory: a replica built afresh over
 * the same database (as a restart builds it, with nothing in memory) still finds it and plans it once the cluster is
 * free. The cluster is the sandbox's under another id, its member replace needing approval, so nothing runs.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(BackupServiceStandIn.class)
class DeferredIncidentsTest {

    @Inject
    Inventory sandboxInventory;
    @Inject
    PlanRecords store;
    @Inject
    ReplicaBuilder replicas;
    @Inject
    MemberSurveyor surveyor;

    private final String cluster = "deferred-" + UUID.randomUUID();
    private Inventory inventory;

    @BeforeEach
    void aClusterWhoseMemberReplaceWaitsForAPerson() {
        ClusterSpec sandbox = sandboxInventory.clusters().get(0);
        inventory = new Inventory(List.of(new ClusterSpec(cluster, sandbox.kind(), sandbox.initialClusterToken(),
                sandbox.tls(), sandbox.members(), new RecoveryPolicy(Map.of("etcd-member-replace",
                RecoveryMode.APPROVAL)))));
    }

    /** A replica as a (re)start builds it: its own objects, nothing carried over in memory but the database. */
    private Recoveries replica() {
        return replicas.replica(inventory);
    }

    private static DeferredIncidentStore freshStore() {
        return new PanacheDeferredIncidents(new DeferredIncidentRepository());
    }

    private IncidentOpened memberUnhealthy() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new IncidentOpened("inc-" + UUID.randomUUID(), cluster, FailureKind.MEMBER_UNHEALTHY,
                List.of("etcd-2"), List.of(), "etcd-2 unhealthy", now, now);
    }

    private RecoveryPlan busyPlan() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RecoveryPlan busy = new RecoveryPlan(UUID.randomUUID().toString(), "inc-" + UUID.randomUUID(), cluster,
                "etcd-member-replace", "etcd-3", PlanState.AWAITING_APPROVAL, RecoveryMode.APPROVAL, now, now, now, null,
                "the plan that keeps the cluster busy", 1, EtcdMemberReplacePlan.outline("etcd-3"));
        assertThat(store.create(busy)).isInstanceOf(PlanRecords.Stored.class);
        return busy;
    }

    @Test
    void anIncidentOnABusyClusterIsStoredInTheDatabaseNotInTheReplica() {
        busyPlan();
        IncidentOpened incident = memberUnhealthy();

        replica().plan("[test]", incident);

        assertThat(freshStore().waiting(cluster)).as("read by objects that never saw the incident")
                .hasValueSatisfying(kept -> assertThat(kept).isEqualTo(incident));
        assertThat(freshStore().all()).extracting(IncidentOpened::incidentId).contains(incident.incidentId());
    }

    @Test
    void aDeferredIncidentIsPlannedByARestartedReplicaOnceTheClusterIsFree() {
        RecoveryPlan busy = busyPlan();
        IncidentOpened incident = memberUnhealthy();
        replica().plan("[test]", incident);

        // the busy plan ends while no replica is there to plan what waited (stored directly: no PlanEnded fires)
        store.save(busy.withState(PlanState.REJECTED, "rejected", Instant.now().truncatedTo(ChronoUnit.MICROS)));
        Recoveries restarted = replica();
        restarted.planDeferred();

        assertThat(store.activeOn(cluster)).hasValueSatisfying(plan -> {
            assertThat(plan.incidentId()).isEqualTo(incident.incidentId());
            // etcd-2 is up with its data: a revive, which waits for a person as the policy's member replace would
            assertThat(plan.plan()).isEqualTo("etcd-member-revive");
            assertThat(plan.targetMember()).isEqualTo("etcd-2");
            assertThat(plan.state()).isEqualTo(PlanState.AWAITING_APPROVAL);
        });
        assertThat(freshStore().waiting(cluster)).as("stored with its plan, it waits no more").isEmpty();
    }

    @Test
    void aDeferredIncidentStillWaitsWhileTheClusterIsBusyAndIsForgottenWhenItResolves() {
        busyPlan();
        IncidentOpened incident = memberUnhealthy();
        replica().plan("[test]", incident);

        Recoveries restarted = replica();
        restarted.planDeferred();
        assertThat(freshStore().waiting(cluster)).as("the cluster is still busy").isPresent();

        freshStore().forget(cluster, "another-incident");
        assertThat(freshStore().waiting(cluster)).as("only its own incident's resolution forgets it").isPresent();
        freshStore().forget(cluster, incident.incidentId());
        assertThat(freshStore().waiting(cluster)).isEmpty();
    }

    /**
     * CI21's race: a deferred incident was read when the busy plan ended, its resolution arrived while its plan was
     * being made (the survey takes a moment), found no plan yet and forgot it, and the plan was stored afterwards for an
     * incident already over, waiting for an approval nobody needed. Taking the incident with the plan's insert, in one
     * transaction, means whichever goes second sees what the first did.
     */
    @Test
    void givenADeferredIncident_whenItResolvesWhileItsPlanIsBeingMade_thenNoPlanIsStored() {
        // given an incident deferred behind a plan that has now ended
        RecoveryPlan busy = busyPlan();
        IncidentOpened incident = memberUnhealthy();
        replica().plan("[test]", incident);
        store.save(busy.withState(PlanState.REJECTED, "rejected", Instant.now().truncatedTo(ChronoUnit.MICROS)));
        // and a replica whose member survey is where the resolution arrives
        Recoveries[] replica = new Recoveries[1];
        MemberSurveyor resolvesWhileSurveying = new MemberSurveyor() {
            @Override
            public List<MemberSurvey> survey(ClusterSpec surveyed) {
                Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                replica[0].incidentResolved(new IncidentResolved(incident.incidentId(), cluster,
                        FailureKind.MEMBER_UNHEALTHY, incident.detectedAt(), now), "[test resolution]");
                return surveyor.survey(surveyed);
            }
        };
        replica[0] = replicas.replica(inventory, resolvesWhileSurveying);

        // when the deferred incident is planned
        replica[0].planDeferred();

        // then nothing is active on the cluster and nothing waits
        assertThat(store.activeOn(cluster)).as("a plan for an incident that resolved while it was made").isEmpty();
        assertThat(freshStore().waiting(cluster)).isEmpty();
    }

    @Test
    void aPlanForADeferredIncidentNoLongerWaitingIsNotStored() {
        IncidentOpened incident = memberUnhealthy();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RecoveryPlan plan = new RecoveryPlan(UUID.randomUUID().toString(), incident.incidentId(), cluster,
                "etcd-member-replace", "etcd-2", PlanState.AWAITING_APPROVAL, RecoveryMode.APPROVAL, now, now, now, null,
                "the plan of an incident that is no longer deferred", 1, EtcdMemberReplacePlan.outline("etcd-2"));

        assertThat(store.createFromDeferred(plan, incident)).isEqualTo(
                new PlanRecords.NoLongerWaiting(incident.incidentId()));
        assertThat(store.find(plan.id())).isEmpty();
    }

    /**
     * Issue #15, the liveness gap: an incident naming two members gets a plan for the first only (one member at a
     * time); once that member is back, health-monitor resolves it and opens one naming the other, which waits while
     * the first plan is active and is planned when it ends. Five members (the sandbox's three and two that are never
     * contacted), so two down keep the quorum.
     */
    @Test
    void givenAPlanForTheFirstOfTwoMembers_whenTheIncidentForTheSecondWaitsAndThePlanEnds_thenTheSecondGetsItsPlan() {
        // given
        ClusterSpec sandbox = sandboxInventory.clusters().get(0);
        List<MemberSpec> five = new ArrayList<>(sandbox.members());
        MemberSpec third = sandbox.members().get(2);
        for (int i = 4; i <= 5; i++) {
            five.add(new MemberSpec("etcd-" + i, "http://127.0.0.1:1", "http://127.0.0.1:1", third.dataDir() + "-" + i,
                    third.access()));
        }
        inventory = new Inventory(List.of(new ClusterSpec(cluster, sandbox.kind(), sandbox.initialClusterToken(),
                sandbox.tls(), five, new RecoveryPolicy(Map.of("etcd-member-replace", RecoveryMode.APPROVAL)))));
        Recoveries replica = replica();
        IncidentOpened both = memberUnhealthy("etcd-2", "etcd-3");
        replica.plan("[test]", both);
        RecoveryPlan first = store.activeOn(cluster).orElseThrow();
        // when health-monitor opens etcd-3's own incident while etcd-2's plan is active, and that plan ends
        IncidentOpened second = memberUnhealthy("etcd-3");
        replica.plan("[test]", second);
        assertThat(freshStore().waiting(cluster)).as("the cluster is busy with etcd-2's plan")
                .hasValueSatisfying(kept -> assertThat(kept.incidentId()).isEqualTo(second.incidentId()));
        store.save(first.withState(PlanState.REJECTED, "rejected", Instant.now().truncatedTo(ChronoUnit.MICROS)));
        replica().planDeferred();
        // then
        assertThat(first.incidentId()).isEqualTo(both.incidentId());
        assertThat(first.targetMember()).isEqualTo("etcd-2");
        assertThat(store.activeOn(cluster)).hasValueSatisfying(plan -> {
            assertThat(plan.incidentId()).isEqualTo(second.incidentId());
            assertThat(plan.targetMember()).isEqualTo("etcd-3");
        });
        assertThat(freshStore().waiting(cluster)).isEmpty();
    }

    private IncidentOpened memberUnhealthy(String... members) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new IncidentOpened("inc-" + UUID.randomUUID(), cluster, FailureKind.MEMBER_UNHEALTHY,
                List.of(members), List.of(), String.join(", ", members) + " unhealthy", now, now);
    }
}
