package dev.cpr.console.adapters.security;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * The dashboard's login: the same bearer token a person would give the CLI, kept in an HttpOnly, SameSite=Strict
 * cookie after the login form. It is checked by the same token registry as the {@code Authorization} header (the
 * platform's identity provider), so a page can do exactly what its token's role allows and no more; SameSite=Strict
 * keeps another site's form from riding on it.
 */
@ApplicationScoped
public class CookieTokenAuthentication implements HttpAuthenticationMechanism {

    public static final String COOKIE = "cpr_token";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (context.request().getHeader("Authorization") != null) {
            return Uni.createFrom().optional(Optional.empty()); // the header wins; the platform's mechanism reads it
        }
        Cookie cookie = context.request().getCookie(COOKIE);
        if (cookie == null || cookie.getValue().isBlank()) {
            return Uni.createFrom().optional(Optional.empty());
        }
        TokenCredential credential = new TokenCredential(cookie.getValue(), "bearer");
        return identityProviderManager.authenticate(new TokenAuthenticationRequest(credential));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"cpr\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.COOKIE, COOKIE));
    }
}
