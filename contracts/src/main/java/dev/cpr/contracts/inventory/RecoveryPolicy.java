package dev.cpr.contracts.inventory;

import java.util.Map;
import java.util.Optional;

/**
 * Per-cluster recovery modes by plan name, as the inventory names them. A plan the policy does not name runs in its
 * own default mode, which only restore-service's plan type knows ({@code PlanType.defaultMode()}): one place decides
 * what runs by itself.
 */
public record RecoveryPolicy(Map<String, RecoveryMode> recovery) {

    public static final RecoveryPolicy DEFAULTS = new RecoveryPolicy(Map.of());

    /** The mode this policy names for the plan; empty when it leaves the plan to its default. */
    public Optional<RecoveryMode> named(String plan) {
        return recovery == null ? Optional.empty() : Optional.ofNullable(recovery.get(plan));
    }
}
