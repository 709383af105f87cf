package dev.cpr.notifier.config;

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

    /**
     * The private key (base64 PKCS#8 Ed25519) the notifier signs each approval it publishes with, so restore-service
     * can tell it came from a verified Slack click (CPR_NOTIFIER_APPROVAL_SIGNING_KEY; a secret, never in a file in
     * the repository). Without it approvals are published unsigned, and restore-service refuses them.
     */
    Optional<String> approvalSigningKey();
}
