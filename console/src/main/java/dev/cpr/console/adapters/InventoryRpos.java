package dev.cpr.console.adapters;

import dev.cpr.console.app.RpoSource;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.InventoryLoader;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The RPOs of the inventory's clusters, read once at start. The console needs nothing else from the inventory, so
 * it is optional: without {@code cpr.console.inventory-path} (or {@code CPR_INVENTORY_PATH}) no RPO is shown. A bad
 * inventory stops start-up with the loader's message (file, field, reason), as in every other service.
 */
@ApplicationScoped
public class InventoryRpos implements RpoSource {

    private static final Logger LOG = Logger.getLogger(InventoryRpos.class);

    private final Map<String, Duration> rpos = new HashMap<>();

    public InventoryRpos(ConsoleConfig config) {
        String path = config.inventoryPath().filter(p -> !p.isBlank()).orElse(null);
        if (path == null) {
            LOG.info("no inventory configured (CPR_INVENTORY_PATH): backup ages are shown without an RPO");
            return;
        }
        Inventory inventory = InventoryLoader.load(Path.of(path));
        for (ClusterSpec cluster : inventory.clusters()) {
            if (cluster.backup() != null && cluster.backup().rpoDuration() != null) {
                rpos.put(cluster.id(), cluster.backup().rpoDuration());
            }
        }
    }

    @Override
    public Duration rpo(String clusterId) {
        return rpos.get(clusterId);
    }
}
