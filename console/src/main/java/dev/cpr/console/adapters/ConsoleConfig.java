package dev.cpr.console.adapters;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code cpr.console.*}: where the four services are, and how the console calls them. */
@ConfigMapping(prefix = "cpr.console")
public interface ConsoleConfig {

    /** health-monitor's base URL ({@code CPR_CONSOLE_HEALTH_MONITOR_URL}). */
    @WithDefault("http://127.0.0.1:8081")
    String healthMonitorUrl();

    @WithDefault("http://127.0.0.1:8082")
    String backupServiceUrl();

    @WithDefault("http://127.0.0.1:8083")
    String restoreServiceUrl();

    @WithDefault("http://127.0.0.1:8084")
    String notifierUrl();

    /** Connect and read timeout of each call; a service slower than this shows as down. */
    @WithDefault("3s")
    Duration callTimeout();

    /** How often a live page (server-sent events) reads the services again. */
    @WithDefault("1s")
    Duration refreshInterval();

    /** The login cookie's {@code Secure} flag: set it when the console is served over HTTPS. */
    @WithDefault("false")
    boolean secureCookie();

    /** The inventory ({@code CPR_INVENTORY_PATH}), read only for each cluster's RPO; none: no RPO shown. */
    Optional<String> inventoryPath();
}
