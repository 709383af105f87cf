package dev.cpr.notifier.adapters;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code cpr.notifier.*}: the services {@code /cpr backup} and {@code /cpr recover} call. */
@ConfigMapping(prefix = "cpr.notifier")
public interface ServiceSettings {

    /** backup-service base URL, e.g. {@code http://127.0.0.1:8082}; without it {@code /cpr backup} says so. */
    Optional<String> backupServiceUrl();

    /** restore-service base URL, e.g. {@code http://127.0.0.1:8083}; without it {@code /cpr recover} says so. */
    Optional<String> restoreServiceUrl();

    /** Bearer token notifier presents to those services. */
    Optional<String> serviceToken();

    @WithDefault("PT5S")
    Duration callTimeout();
}
