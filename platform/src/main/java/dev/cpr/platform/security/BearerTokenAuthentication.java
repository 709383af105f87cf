package dev.cpr.platform.security;

import io.quarkus.runtime.Startup;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import dev.cpr.platform.security.oidc.InvalidAccessTokenException;
import dev.cpr.platform.security.oidc.OidcAccessTokens;
import dev.cpr.platform.security.oidc.OidcDiscovery;
import dev.cpr.platform.security.oidc.OidcUnavailableException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * {@code Authorization: Bearer <token>} against the configured {@link TokenRegistry}, and, when an OIDC provider is
 * configured, against its access tokens ({@link OidcAccessTokens}). No header means an anonymous caller (refused with
 * 401 wherever a role is needed); an unknown token is refused.
 */
@ApplicationScoped
@Startup
public class BearerTokenAuthentication implements HttpAuthenticationMechanism, IdentityProvider<TokenAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(BearerTokenAuthentication.class);
    private static final String PREFIX = "bearer ";

    private final TokenRegistry registry;
    private final Optional<OidcAccessTokens> oidc;

    @Inject
    public BearerTokenAuthentication(AuthConfig config) {
        this.registry = TokenRegistry.parse(config.tokens().orElse(List.of()));
        this.oidc = config.oidc().issuer().map(issuer -> new OidcAccessTokens(issuer, config.oidc().audience(),
                config.oidc().rolesClaim(),
                new OidcDiscovery(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build())));
        if (registry.size() == 0 && oidc.isEmpty()) {
            LOG.warn("no bearer tokens configured (cpr.auth.tokens / CPR_AUTH_TOKENS) and no OIDC provider"
                    + " (CPR_AUTH_OIDC_ISSUER): every /api call will be refused");
        } else {
            LOG.infof("%d bearer token(s) configured", registry.size());
        }
        oidc.ifPresent(tokens -> LOG.infof("OIDC access tokens from %s accepted (audience '%s', roles from '%s')",
                tokens.issuer(), config.oidc().audience(), config.oidc().rolesClaim()));
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        TokenCredential credential = new TokenCredential(header.substring(PREFIX.length()).trim(), "bearer");
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
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        Optional<Caller> known = registry.lookup(token);
        if (known.isPresent()) {
            return Uni.createFrom().item(identity(known.get()));
        }
        if (oidc.isPresent() && OidcAccessTokens.looksLikeJwt(token)) {
            // the provider's keys may have to be fetched: blocking, so off the event loop
            return context.runBlocking(() -> identity(verified(oidc.get(), token)));
        }
        return Uni.createFrom().failure(new AuthenticationFailedException("unknown bearer token"));
    }

    private static Caller verified(OidcAccessTokens tokens, String token) {
        try {
            return tokens.verify(token);
        } catch (InvalidAccessTokenException e) {
            LOG.info(e.getMessage());
            throw new AuthenticationFailedException(e.getMessage());
        } catch (OidcUnavailableException e) {
            LOG.warn(e.getMessage());
            throw new AuthenticationFailedException("the OIDC provider could not be asked to check the token");
        }
    }

    private static SecurityIdentity identity(Caller caller) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.name()))
                .addRoles(caller.role().grantedRoleNames())
                .build();
    }
}
