package dev.cpr.restore.domain.rehearsal;

import dev.cpr.restore.domain.plan.PlanStore;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one plan of a rehearsal, kept in memory while it runs: it is never a recovery plan of the real cluster, so it is
 * not in the plan table (not listed among the cluster's plans, no lease, no event on the recoveries topic, no Slack
 * message, and the one-plan-per-cluster and meltdown guards never see it). The rehearsal's durable record is its row in
 * {@code rehearsals}.
 */
public final class RehearsalPlanStore implements PlanStore {

    private final AtomicReference<RecoveryPlan> plan;

    public RehearsalPlanStore(RecoveryPlan plan) {
        this.plan = new AtomicReference<>(plan);
    }

    @Override
    public void save(RecoveryPlan next) {
        RecoveryPlan stored = plan.get();
        if (!stored.id().equals(next.id()) || stored.sequence() != next.sequence() - 1
                || !plan.compareAndSet(stored, next)) {
            throw new ConcurrentPlanUpdateException("rehearsal plan " + next.id() + ": sequence " + next.sequence()
                    + " does not follow the stored " + stored.sequence());
        }
    }

    @Override
    public Optional<RecoveryPlan> find(String planId) {
        RecoveryPlan stored = plan.get();
        return stored.id().equals(planId) ? Optional.of(stored) : Optional.empty();
    }

    @Override
    public List<RecoveryPlan> running() {
        return List.of();
    }

    public RecoveryPlan plan() {
        return plan.get();
    }
}
