package dev.cpr.contracts.inventory;

import java.util.List;
import java.util.Optional;

/** Every cluster cpr knows, read from the inventory YAML (see {@link InventoryLoader}). */
public record Inventory(List<ClusterSpec> clusters) {

    public Optional<ClusterSpec> cluster(String id) {
        return clusters.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
