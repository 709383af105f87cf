package dev.cpr.restore.app;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepCatalog;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.plans.PlanPorts;
import dev.cpr.restore.domain.plans.PlanType;
import dev.cpr.restore.domain.plans.PlanTypes;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Binds a stored plan to its steps: its {@link PlanType} declares them, with the cluster from the inventory and the
 * real ports. A step's timeout can be overridden by name: {@code cpr.restore.step-timeouts.<step>=<duration>}.
 */
@ApplicationScoped
public class InventoryStepCatalog implements StepCatalog {

    private final Inventory inventory;
    private final PlanPorts ports;
    private final Map<String, Duration> timeouts;

    public InventoryStepCatalog(Inventory inventory, PlanPorts ports, RestoreConfig config) {
        this.inventory = inventory;
        this.ports = ports;
        this.timeouts = Map.copyOf(config.stepTimeouts());
    }

    @Override
    public List<StepSpec> stepsFor(RecoveryPlan plan) {
        ClusterSpec cluster = inventory.cluster(plan.clusterId()).orElseThrow(() ->
                new IllegalStateException("cluster " + plan.clusterId() + " is no longer in the inventory"));
        PlanType type = PlanTypes.find(plan.plan()).orElseThrow(() ->
                new IllegalStateException("restore-service cannot run plan '" + plan.plan() + "'"));
        return type.steps(plan, cluster, ports).stream().map(this::withConfiguredTimeout).toList();
    }

    private StepSpec withConfiguredTimeout(StepSpec spec) {
        Duration configured = timeouts.get(spec.name());
        return configured == null ? spec : new StepSpec(spec.name(), spec.description(), spec.destructive(), configured,
                spec.retry(), spec.check(), spec.action(), spec.verify());
    }
}
