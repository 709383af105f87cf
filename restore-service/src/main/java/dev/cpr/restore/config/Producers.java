package dev.cpr.restore.config;

import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.InventoryLoader;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import org.jboss.logging.Logger;

/** The clock and the inventory (read once at start-up: a bad inventory fails the start with its message). */
@ApplicationScoped
public class Producers {

    private static final Logger LOG = Logger.getLogger(Producers.class);

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    @Startup
    Inventory inventory(InventoryConfig config) {
        Inventory inventory = InventoryLoader.load(Path.of(config.path()));
        LOG.infof("inventory %s: clusters %s", config.path(),
                inventory.clusters().stream().map(c -> c.id()).toList());
        return inventory;
    }
}
