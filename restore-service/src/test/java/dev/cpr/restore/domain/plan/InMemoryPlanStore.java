package dev.cpr.restore.domain.plan;

import dev.cpr.contracts.recovery.PlanState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Keeps plans in a map and every saved version in order, with the store's sequence rule. */
public final class InMemoryPlanStore implements PlanStore {

    private final Map<String, RecoveryPlan> plans = new LinkedHashMap<>();
    public final List<RecoveryPlan> saved = new ArrayList<>();

    public void insert(RecoveryPlan plan) {
        plans.put(plan.id(), plan);
    }

    @Override
    public void save(RecoveryPlan plan) {
        RecoveryPlan stored = plans.get(plan.id());
        if (stored == null || stored.sequence() != plan.sequence() - 1) {
            throw new ConcurrentPlanUpdateException("sequence " + plan.sequence() + " does not follow the stored one");
        }
        plans.put(plan.id(), plan);
        saved.add(plan);
    }

    @Override
    public Optional<RecoveryPlan> find(String planId) {
        return Optional.ofNullable(plans.get(planId));
    }

    @Override
    public List<RecoveryPlan> running() {
        return plans.values().stream().filter(p -> p.state() == PlanState.RUNNING).toList();
    }
}
