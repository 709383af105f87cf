package dev.cpr.restore.adapters.persistence;

import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.app.PlanRecords;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.PlanStore;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Plans and steps in PostgreSQL (schema {@code restore_service}) through Hibernate Reactive with Panache. Every stored
 * transition (a new plan, a saved one) writes its {@code dev.cpr.recovery.updated} outbox row in the same transaction.
 */
@ApplicationScoped
public class PlanRepository {

    static final List<PlanState> ACTIVE = List.of(PlanState.PROPOSED, PlanState.AWAITING_APPROVAL, PlanState.RUNNING);

    private final EventOutbox events;
    private final DeferredIncidentRepository deferred;

    public PlanRepository(EventOutbox events, DeferredIncidentRepository deferred) {
        this.events = events;
        this.deferred = deferred;
    }

    /**
     * Stores a new plan in one transaction, unless its incident already has one or its cluster has an
     * active plan. The unique constraints back both checks up across replicas: a violation fails the Uni.
     */
    public Uni<PlanRecords.Created> create(RecoveryPlan plan) {
        return Panache.withTransaction(() -> createInTransaction(plan));
    }

    /**
     * As {@link #create(RecoveryPlan)} for the plan of an incident, and in the same transaction: a busy cluster keeps
     * the incident as its deferred one; a stored (or already stored) plan ends the incident's wait.
     */
    public Uni<PlanRecords.Created> create(RecoveryPlan plan, IncidentOpened incident) {
        return Panache.withTransaction(() -> createInTransaction(plan).call(created -> created
                instanceof PlanRecords.ClusterBusy
                ? deferred.defer(incident)
                : deferred.forget(incident.clusterId(), incident.incidentId())));
    }

    /**
     * As {@link #create(RecoveryPlan, IncidentOpened)} for an incident that waited: its row is deleted first, so a
     * resolution deleting it concurrently either goes first (this finds no row and stores nothing) or waits for this
     * transaction and then finds the plan to withdraw. A cluster busy again puts the incident back.
     */
    public Uni<PlanRecords.Created> createFromDeferred(RecoveryPlan plan, IncidentOpened incident) {
        return Panache.withTransaction(() -> deferred.forget(incident.clusterId(), incident.incidentId())
                .flatMap(taken -> taken == 0
                        ? Uni.createFrom().<PlanRecords.Created>item(new PlanRecords.NoLongerWaiting(incident.incidentId()))
                        : createInTransaction(plan).call(created -> created instanceof PlanRecords.ClusterBusy
                                ? deferred.defer(incident)
                                : Uni.createFrom().voidItem())));
    }

    private Uni<PlanRecords.Created> createInTransaction(RecoveryPlan plan) {
        return PlanEntity.<PlanEntity>find("incidentId", plan.incidentId()).firstResult()
                .flatMap(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().<PlanRecords.Created>item(new PlanRecords.Duplicate(existing.id));
                    }
                    return PlanEntity.<PlanEntity>find("clusterId = ?1 and state in ?2", plan.clusterId(), ACTIVE)
                            .firstResult()
                            .flatMap(active -> active != null
                                    ? Uni.createFrom().<PlanRecords.Created>item(new PlanRecords.ClusterBusy(active.id))
                                    : insert(plan));
                });
    }

    private Uni<PlanRecords.Created> insert(RecoveryPlan plan) {
        List<Object> rows = new ArrayList<>();
        rows.add(PlanEntity.of(plan));
        plan.steps().forEach(s -> rows.add(StepEntity.of(plan.id(), s)));
        return Panache.getSession()
                .flatMap(session -> session.persistAll(rows.toArray()).call(session::flush))
                .call(() -> events.planTransitioned(plan))
                .replaceWith(new PlanRecords.Stored(plan));
    }

    /**
     * Stores a transition with its event, and a REST decision's {@code dev.cpr.approval.decided} with them, in one
     * transaction; {@code alsoInTheTransaction} (the decision's audit row) commits with them too.
     */
    public Uni<Void> saveDecided(RecoveryPlan plan, ApprovalDecided decided, Supplier<Uni<Void>> alsoInTheTransaction) {
        return Panache.withTransaction(() -> save(plan)
                .call(() -> events.approvalDecided(decided))
                .call(() -> alsoInTheTransaction.get()));
    }

    /** Stores a transition and its event; refuses one that does not follow the stored sequence. */
    public Uni<Void> save(RecoveryPlan plan) {
        return Panache.withTransaction(() -> PlanEntity.<PlanEntity>findById(plan.id()).flatMap(entity -> {
            if (entity == null) {
                return Uni.createFrom().failure(new PlanStore.ConcurrentPlanUpdateException(
                        "plan " + plan.id() + " is not stored"));
            }
            if (entity.sequence != plan.sequence() - 1) {
                return Uni.createFrom().failure(new PlanStore.ConcurrentPlanUpdateException("plan " + plan.id()
                        + " is at sequence " + entity.sequence + ", transition " + plan.sequence()
                        + " does not follow: another runner moved it"));
            }
            entity.update(plan);
            return StepEntity.<StepEntity>list("planId", plan.id()).invoke(steps -> {
                for (StepEntity step : steps) {
                    step.update(plan.step(step.stepIndex));
                }
            }).call(() -> events.planTransitioned(plan)).replaceWithVoid();
        }));
    }

    /**
     * Takes the lease of a RUNNING plan for this runner unless another runner holds an unexpired one.
     *
     * @return true when this runner may run the plan now
     */
    public Uni<Boolean> claim(String planId, String runnerId, Instant now, Instant leaseUntil) {
        return Panache.withTransaction(() -> PlanEntity.update("runnerId = ?1, leaseUntil = ?2 where id = ?3 and state = ?4"
                + " and (runnerId is null or runnerId = ?1 or leaseUntil is null or leaseUntil < ?5)",
                runnerId, leaseUntil, planId, PlanState.RUNNING, now).map(rows -> rows == 1));
    }

    /** Extends this runner's leases of these plans; returns how many it still holds. */
    public Uni<Integer> renew(Collection<String> planIds, String runnerId, Instant leaseUntil) {
        if (planIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Panache.withTransaction(() -> PlanEntity.update("leaseUntil = ?1 where id in ?2 and runnerId = ?3",
                leaseUntil, List.copyOf(planIds), runnerId));
    }

    /** RUNNING plans nobody holds a live lease on: a replica died while running them. */
    public Uni<List<RecoveryPlan>> runningWithoutLease(Instant now) {
        return Panache.withSession(() -> PlanEntity.<PlanEntity>list(
                "state = ?1 and (runnerId is null or leaseUntil is null or leaseUntil < ?2)", PlanState.RUNNING, now)
                .flatMap(this::withSteps));
    }

    /** Records a cancel request on a RUNNING plan; false if the plan is not RUNNING (any more). */
    public Uni<Boolean> requestCancel(String planId, String who, Instant now) {
        return Panache.withTransaction(() -> PlanEntity.update("cancelRequestedBy = ?1, cancelRequestedAt = ?2 "
                + "where id = ?3 and state = ?4", who, now, planId, PlanState.RUNNING).map(rows -> rows == 1));
    }

    public Uni<Optional<String>> cancelRequestedBy(String planId) {
        return Panache.withSession(() -> PlanEntity.<PlanEntity>findById(planId)
                .map(e -> e == null ? Optional.<String>empty() : Optional.ofNullable(e.cancelRequestedBy)));
    }

    /** The cluster's active plan (PROPOSED, AWAITING_APPROVAL or RUNNING), if any. */
    public Uni<Optional<RecoveryPlan>> activeOn(String clusterId) {
        return Panache.withSession(() -> PlanEntity.<PlanEntity>find("clusterId = ?1 and state in ?2", clusterId, ACTIVE)
                .firstResult().flatMap(e -> e == null ? Uni.createFrom().item(Optional.<RecoveryPlan>empty())
                        : withSteps(List.of(e)).map(p -> Optional.of(p.get(0)))));
    }

    /** Clusters with an active plan created at or after {@code since} (the fleet meltdown guard's count). */
    public Uni<Set<String>> clustersRecoveringSince(Instant since) {
        // active plans are few (one per cluster at most), so reading their rows is cheap
        return Panache.withSession(() -> PlanEntity.<PlanEntity>list("state in ?1 and createdAt >= ?2", ACTIVE, since)
                .map(rows -> rows.stream().map(e -> e.clusterId).collect(Collectors.toSet())));
    }

    public Uni<Optional<RecoveryPlan>> find(String id) {
        return Panache.withSession(() -> PlanEntity.<PlanEntity>findById(id).flatMap(entity -> entity == null
                ? Uni.createFrom().item(Optional.<RecoveryPlan>empty())
                : withSteps(List.of(entity)).map(plans -> Optional.of(plans.get(0)))));
    }

    /** Newest first, optionally of one cluster. */
    public Uni<List<RecoveryPlan>> list(Optional<String> cluster, int limit) {
        Sort newest = Sort.descending("createdAt").and("id");
        return Panache.withSession(() -> (cluster.isPresent()
                ? PlanEntity.<PlanEntity>find("clusterId", newest, cluster.get())
                : PlanEntity.<PlanEntity>findAll(newest))
                .page(Page.ofSize(limit)).list()
                .flatMap(this::withSteps));
    }

    public Uni<List<RecoveryPlan>> inState(PlanState state) {
        return Panache.withSession(() -> PlanEntity.<PlanEntity>list("state", state).flatMap(this::withSteps));
    }

    private Uni<List<RecoveryPlan>> withSteps(List<PlanEntity> plans) {
        if (plans.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> ids = plans.stream().map(p -> p.id).toList();
        return StepEntity.<StepEntity>list("planId in ?1", ids).map(steps -> {
            Map<String, List<PlanStep>> byPlan = steps.stream()
                    .sorted(Comparator.comparingInt(s -> s.stepIndex))
                    .collect(Collectors.groupingBy(s -> s.planId, Collectors.mapping(StepEntity::toDomain,
                            Collectors.toList())));
            return plans.stream().map(p -> p.toDomain(byPlan.getOrDefault(p.id, List.of()))).toList();
        });
    }
}
