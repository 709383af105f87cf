package dev.cpr.restore.config;

import io.smallrye.config.ConfigMapping;

/** {@code cpr.inventory.path} (env {@code CPR_INVENTORY_PATH}): the cluster inventory YAML. */
@ConfigMapping(prefix = "cpr.inventory")
public interface InventoryConfig {
    String path();
}
