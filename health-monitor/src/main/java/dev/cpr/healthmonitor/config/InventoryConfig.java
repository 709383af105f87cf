package dev.cpr.healthmonitor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cpr.inventory.*} (env {@code CPR_INVENTORY_PATH}). */
@ConfigMapping(prefix = "cpr.inventory")
public interface InventoryConfig {

    @WithDefault("inventory.yaml")
    String path();
}
