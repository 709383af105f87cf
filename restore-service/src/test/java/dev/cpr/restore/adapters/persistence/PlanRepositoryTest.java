package dev.cpr.restore.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.app.PlanRecords;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import dev.cpr.restore.domain.plan.PlanStore;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The plan tables in the real PostgreSQL: the rules the database itself enforces. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(dev.cpr.restore.it.BackupServiceStandIn.class)
class PlanRepositoryTest {

    @Inject
    PlanRepository repository;

    private final String cluster = "repo-test-" + UUID.randomUUID();

    private static RecoveryPlan plan(String cluster, PlanState state) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new RecoveryPlan(UUID.randomUUID().toString(), "inc-" + UUID.randomUUID(), cluster, "etcd-member-replace",
                "etcd-2", state, RecoveryMode.APPROVAL, now, now, now, null, "test", 1,
                EtcdMemberReplacePlan.outline("etcd-2"));
    }

    private static <T> T await(Supplier<Uni<T>> work) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(work);
    }

    @Test
    void aStoredPlanIsReadBackWithItsStepsInOrder() throws Throwable {
        RecoveryPlan plan = plan(cluster, PlanState.AWAITING_APPROVAL);

        await(() -> repository.create(plan));

        Optional<RecoveryPlan> found = await(() -> repository.find(plan.id()));
        assertThat(found).contains(plan);
    }

    @Test
    void aSecondIncidentOnABusyClusterMakesNoPlan() throws Throwable {
        RecoveryPlan first = plan(cluster, PlanState.AWAITING_APPROVAL);
        await(() -> repository.create(first));

        PlanRecords.Created second = await(() -> repository.create(plan(cluster, PlanState.PROPOSED)));

        assertThat(second).isEqualTo(new PlanRecords.ClusterBusy(first.id()));
    }

    @Test
    void theSameIncidentTwiceIsADuplicate() throws Throwable {
        RecoveryPlan first = plan(cluster, PlanState.PROPOSED);
        await(() -> repository.create(first));
        RecoveryPlan again = new RecoveryPlan(UUID.randomUUID().toString(), first.incidentId(), cluster, first.plan(),
                "etcd-2", PlanState.PROPOSED, RecoveryMode.NOTIFY_ONLY, first.createdAt(), first.createdAt(), null, null,
                "again", 1, first.steps());

        assertThat(await(() -> repository.create(again))).isEqualTo(new PlanRecords.Duplicate(first.id()));
    }

    @Test
    void theDatabaseRefusesTwoActivePlansForOneClusterEvenWithoutTheCheck() throws Throwable {
        await(() -> repository.create(plan(cluster, PlanState.AWAITING_APPROVAL)));
        PlanEntity racing = PlanEntity.of(plan(cluster, PlanState.PROPOSED));

        assertThatThrownBy(() -> await(() -> Panache.withTransaction(() -> racing.persistAndFlush())))
                .hasStackTraceContaining("recovery_plan_one_active_per_cluster");
    }

    @Test
    void aFinishedPlanDoesNotBlockTheNextOne() throws Throwable {
        RecoveryPlan first = plan(cluster, PlanState.AWAITING_APPROVAL);
        await(() -> repository.create(first));
        await(() -> repository.save(first.withState(PlanState.REJECTED, "no", Instant.now())));

        PlanRecords.Created next = await(() -> repository.create(plan(cluster, PlanState.PROPOSED)));

        assertThat(next).isInstanceOf(PlanRecords.Stored.class);
    }

    @Test
    void aTransitionThatDoesNotFollowTheStoredSequenceIsRefused() throws Throwable {
        RecoveryPlan plan = plan(cluster, PlanState.AWAITING_APPROVAL);
        await(() -> repository.create(plan));
        RecoveryPlan moved = plan.withState(PlanState.REJECTED, "no", Instant.now());
        await(() -> repository.save(moved));

        assertThatThrownBy(() -> await(() -> repository.save(moved)))
                .isInstanceOf(PlanStore.ConcurrentPlanUpdateException.class)
                .hasMessageContaining("does not follow");
    }

    @Test
    void onlyTheReplicaHoldingTheLeaseRunsAPlanAndAnExpiredLeaseIsTakenOver() throws Throwable {
        RecoveryPlan plan = plan(cluster, PlanState.RUNNING);
        await(() -> repository.create(plan));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

        boolean first = await(() -> repository.claim(plan.id(), "replica-a", now, now.plusSeconds(15)));
        boolean second = await(() -> repository.claim(plan.id(), "replica-b", now.plusSeconds(1), now.plusSeconds(16)));
        boolean renewedByOwner = await(() -> repository.claim(plan.id(), "replica-a", now.plusSeconds(2),
                now.plusSeconds(17)));
        boolean orphanWhileHeld = await(() -> repository.runningWithoutLease(now.plusSeconds(3))).stream()
                .anyMatch(p -> p.id().equals(plan.id()));
        boolean orphanAfterExpiry = await(() -> repository.runningWithoutLease(now.plusSeconds(18))).stream()
                .anyMatch(p -> p.id().equals(plan.id()));
        boolean takenOver = await(() -> repository.claim(plan.id(), "replica-b", now.plusSeconds(18),
                now.plusSeconds(33)));

        assertThat(first).isTrue();
        assertThat(second).as("another replica holds a live lease").isFalse();
        assertThat(renewedByOwner).isTrue();
        assertThat(orphanWhileHeld).isFalse();
        assertThat(orphanAfterExpiry).isTrue();
        assertThat(takenOver).as("the lease expired: replica-a is gone").isTrue();
    }

    @Test
    void aCancelRequestIsRecordedOnlyForARunningPlan() throws Throwable {
        RecoveryPlan running = plan(cluster, PlanState.RUNNING);
        await(() -> repository.create(running));
        RecoveryPlan waiting = plan("other-" + cluster, PlanState.AWAITING_APPROVAL);
        await(() -> repository.create(waiting));

        boolean recorded = await(() -> repository.requestCancel(running.id(), "alice", Instant.now()));
        boolean refused = await(() -> repository.requestCancel(waiting.id(), "alice", Instant.now()));

        assertThat(recorded).isTrue();
        assertThat(refused).isFalse();
        assertThat((Optional<String>) await(() -> repository.cancelRequestedBy(running.id()))).contains("alice");
    }
}
