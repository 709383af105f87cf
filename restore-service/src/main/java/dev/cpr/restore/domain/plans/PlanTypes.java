package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The plans restore-service runs: every {@link PlanType}, registered once, in the order REST lists them. */
public final class PlanTypes {

    private static final Map<String, PlanType> BY_NAME = register(
            new EtcdMemberReplaceType(),
            new EtcdQuorumRestoreType(),
            new KubesprayRecoverControlPlaneType(),
            new BoshCloudCheckType(),
            BbrRestoreType.deployment(),
            BbrRestoreType.director(),
            new EtcdSpaceRecoverType(),
            new EtcdQuorumReviveType(),
            new EtcdSurvivorRebuildType(),
            new EtcdMemberReviveType(),
            new EtcdPointInTimeRestoreType());

    private PlanTypes() {
    }

    private static Map<String, PlanType> register(PlanType... types) {
        Map<String, PlanType> byName = new LinkedHashMap<>();
        for (PlanType type : types) {
            if (byName.putIfAbsent(type.name(), type) != null) {
                throw new IllegalStateException("plan " + type.name() + " registered twice");
            }
        }
        return byName;
    }

    /** The names of the plans, for REST's "unknown plan" answer. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    public static Optional<PlanType> find(String name) {
        return Optional.ofNullable(name).map(BY_NAME::get);
    }

    public static PlanType of(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("restore-service knows no plan '" + name + "'"));
    }

    /** The mode the cluster's recovery policy names for the plan, else the plan's own default. */
    public static RecoveryMode modeFor(ClusterSpec cluster, String planName) {
        return cluster.policyOrDefaults().named(planName)
                .orElseGet(() -> find(planName).map(PlanType::defaultMode).orElse(RecoveryMode.APPROVAL));
    }
}
