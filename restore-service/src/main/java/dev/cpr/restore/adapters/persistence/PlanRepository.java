package dev.cpr.restore.adapters.persistence;

import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.PlanStore;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Plans and steps in PostgreSQL (schema {@code restore_service}) through Hibernate Reactive with Panache. */
@ApplicationScoped
public class PlanRepository {

    static final List<PlanState> ACTIVE = List.of(PlanState.PROPOSED, PlanState.AWAITING_APPROVAL, PlanState.RUNNING);

    /** What {@link #create} did. */
    public sealed interface Created permits Stored, Duplicate, ClusterBusy {
    }

    public record Stored(RecoveryPlan plan) implements Created {
    }

    /** A plan for this incident exists already (a redelivered incident). */
    public record Duplicate(String existingPlanId) implements Created {
    }

    /** Another plan is active on the cluster: one active plan per cluster. */
    public record ClusterBusy(String activePlanId) implements Created {
    }

    /**
     * Stores a new plan in one transaction, unless its incident already has one or its cluster has an
     * active plan. The unique constraints back both checks up across replicas: a violation fails the Uni.
     */
    public Uni<Created> create(RecoveryPlan plan) {
        return Panache.withTransaction(() -> PlanEntity.<PlanEntity>find("incidentId", plan.incidentId()).firstResult()
                .flatMap(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().<Created>item(new Duplicate(existing.id));
                    }
                    return PlanEntity.<PlanEntity>find("clusterId = ?1 and state in ?2", plan.clusterId(), ACTIVE)
                            .firstResult()
                            .flatMap(active -> active != null
                                    ? Uni.createFrom().<Created>item(new ClusterBusy(active.id))
                                    : insert(plan));
                }));
    }

    private Uni<Created> insert(RecoveryPlan plan) {
        List<Object> rows = new ArrayList<>();
        rows.add(PlanEntity.of(plan));
        plan.steps().forEach(s -> rows.add(StepEntity.of(plan.id(), s)));
        return Panache.getSession()
                .flatMap(session -> session.persistAll(rows.toArray()).call(session::flush))
                .replaceWith(new Stored(plan));
    }

    /** Stores a transition; refuses one that does not follow the stored sequence. */
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
            }).replaceWithVoid();
        }));
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
