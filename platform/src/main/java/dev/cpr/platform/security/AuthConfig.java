package dev.cpr.platform.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** {@code cpr.auth.*}: who may call the REST API. */
@ConfigMapping(prefix = "cpr.auth")
public interface AuthConfig {

    /**
     * Accepted bearer tokens as {@code name=role:token} entries (comma-separated in one variable,
     * {@code CPR_AUTH_TOKENS}). With none configured (and no OIDC provider) every {@code /api} call is refused with
     * 401: a recovery tool's API is never open by default.
     */
    Optional<List<String>> tokens();

    /** An OIDC provider whose access tokens are accepted beside the static tokens. */
    Oidc oidc();

    interface Oidc {

        /**
         * The provider's issuer ({@code CPR_AUTH_OIDC_ISSUER}), exactly as its tokens name it, for instance
         * {@code https://sso.example.com/realms/ops}. None: only the static tokens are accepted.
         */
        Optional<URI> issuer();

        /** The audience ({@code aud}) a token must carry to be accepted by cpr ({@code CPR_AUTH_OIDC_AUDIENCE}). */
        @WithDefault("cpr")
        String audience();

        /**
         * The claim holding the caller's roles; its values {@code viewer}, {@code operator}, {@code admin} are cpr's
         * roles, others are ignored. A dotted path reaches into an object ({@code realm_access.roles}).
         */
        @WithDefault("roles")
        String rolesClaim();
    }
}
