package dev.cpr.restore.adapters.health;

import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.restore.app.PlanRunner;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the inventory is loaded; reports how many plans this replica is running. */
@Readiness
@ApplicationScoped
public class PlanRunnerHealth implements HealthCheck {

    private final Inventory inventory;
    private final PlanRunner runner;

    public PlanRunnerHealth(Inventory inventory, PlanRunner runner) {
        this.inventory = inventory;
        this.runner = runner;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("restore-service plans").up()
                .withData("clusters", inventory.clusters().size())
                .withData("runningPlans", runner.active().size())
                .build();
    }
}
