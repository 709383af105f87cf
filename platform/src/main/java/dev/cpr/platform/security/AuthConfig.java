package dev.cpr.platform.security;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** {@code cpr.auth.*}: who may call the REST API. */
@ConfigMapping(prefix = "cpr.auth")
public interface AuthConfig {

    /**
     * Accepted bearer tokens as {@code name=role:token} entries (comma-separated in one variable,
     * {@code CPR_AUTH_TOKENS}). With none configured every {@code /api} call is refused with 401: a
     * recovery tool's API is never open by default.
     */
    Optional<List<String>> tokens();
}
