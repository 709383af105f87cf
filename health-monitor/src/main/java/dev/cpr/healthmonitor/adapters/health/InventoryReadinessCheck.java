package dev.cpr.healthmonitor.adapters.health;

import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.healthmonitor.app.StatusBoard;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the inventory is loaded and names at least one cluster; reports which clusters were
 * polled already. (Kafka and the database have their own checks from their extensions.)
 */
@Readiness
@ApplicationScoped
public class InventoryReadinessCheck implements HealthCheck {

    private final Inventory inventory;
    private final StatusBoard board;

    public InventoryReadinessCheck(Inventory inventory, StatusBoard board) {
        this.inventory = inventory;
        this.board = board;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("inventory")
                .status(inventory != null && !inventory.clusters().isEmpty());
        if (inventory != null) {
            inventory.clusters().forEach(c -> response.withData(c.id(),
                    board.latest(c.id()).map(l -> l.classification().failure().map(Enum::name).orElse("HEALTHY"))
                            .orElse("NOT_POLLED_YET")));
        }
        return response.build();
    }
}
