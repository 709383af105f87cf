package dev.cpr.backup.config;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "cpr.inventory")
public interface InventoryConfig {
    /** The cluster inventory YAML (CPR_INVENTORY_PATH). */
    String path();
}
