package dev.cpr.healthmonitor.config;

import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.InventoryException;
import dev.cpr.contracts.inventory.InventoryLoader;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Loads the inventory once, at start-up: a bad inventory stops start-up with the
 * {@link InventoryException} message (file, field, reason).
 */
@ApplicationScoped
public class InventoryProducer {

    private static final Logger LOG = Logger.getLogger(InventoryProducer.class);

    @Produces
    @Singleton
    @Startup
    Inventory inventory(InventoryConfig config) {
        return load(Path.of(config.path()));
    }

    /** @throws InventoryException naming file, field and reason; logged once here */
    public static Inventory load(Path path) {
        try {
            Inventory inventory = InventoryLoader.load(path);
            LOG.infof("inventory %s: %d cluster(s) %s", path, inventory.clusters().size(),
                    inventory.clusters().stream().map(c -> c.id()).toList());
            return inventory;
        } catch (InventoryException e) {
            LOG.errorf("cannot start: %s", e.getMessage());
            throw e;
        }
    }
}
