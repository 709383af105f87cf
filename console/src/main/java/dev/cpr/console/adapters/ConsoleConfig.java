package dev.cpr.console.adapters;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
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

    /**
     * Logging people in through the OIDC provider of {@code cpr.auth.oidc.issuer} (authorization code flow with PKCE).
     * Both the issuer and a client id are needed; without them the login page offers the token form only.
     */
    Oidc oidc();

    interface Oidc {

        /** The console's client at the provider ({@code CPR_CONSOLE_OIDC_CLIENT_ID}). */
        Optional<String> clientId();

        /** The client's secret, for a confidential client ({@code CPR_CONSOLE_OIDC_CLIENT_SECRET}). */
        Optional<String> clientSecret();

        /**
         * The console's address as people's browsers reach it ({@code CPR_CONSOLE_PUBLIC_URL}), for the redirect back
         * from the provider; none: the address the browser used, which is wrong behind a proxy that rewrites Host.
         */
        Optional<URI> publicUrl();
    }
}
