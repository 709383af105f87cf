package dev.cpr.platform.security.oidc;

import dev.cpr.platform.security.Caller;
import dev.cpr.platform.security.Role;
import java.net.URI;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;

/**
 * Access tokens issued by the configured OIDC provider, accepted beside the static bearer tokens: signed by one of the
 * provider's published keys, from its issuer, for cpr's audience, not expired. The caller's role is the highest cpr
 * role ({@code viewer}, {@code operator}, {@code admin}) among the values of one claim ({@code roles} by default, a
 * dotted path such as {@code realm_access.roles} for a nested one), so the people who may approve a quorum restore
 * are managed where the rest of their access is. A token naming no cpr role is refused, never given a default.
 *
 * <p>The provider is asked for its keys on first use, not at start-up, so cpr starts while the provider is down; its
 * keys are fetched again when a token names one not seen yet (key rotation). The calls block: run them off the event
 * loop.
 */
public final class OidcAccessTokens {

    /** Clocks of the provider and of cpr's hosts may differ by this much. */
    private static final int CLOCK_SKEW_SECONDS = 30;

    private final URI issuer;
    private final String audience;
    private final String rolesClaim;
    private final OidcDiscovery discovery;
    private volatile JwtConsumer consumer;

    public OidcAccessTokens(URI issuer, String audience, String rolesClaim, OidcDiscovery discovery) {
        this.issuer = issuer;
        this.audience = audience;
        this.rolesClaim = rolesClaim;
        this.discovery = discovery;
    }

    /** A compact JWS has three dot-separated parts; cpr's own tokens never contain a dot. */
    public static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    public URI issuer() {
        return issuer;
    }

    /**
     * @return the caller the token names: {@code oidc:<preferred_username>} (else its subject) and its role
     * @throws InvalidAccessTokenException saying why the token is refused
     * @throws OidcUnavailableException when the provider cannot be asked for its keys
     */
    public Caller verify(String token) {
        JwtClaims claims;
        try {
            claims = consumer().processToClaims(token);
        } catch (InvalidJwtException e) {
            throw new InvalidAccessTokenException("the OIDC access token is refused: " + reason(e));
        }
        Role role = highestRole(claims).orElseThrow(() -> new InvalidAccessTokenException("the OIDC access token of "
                + name(claims) + " names no cpr role (viewer, operator or admin) in its '" + rolesClaim + "' claim"));
        return new Caller("oidc:" + name(claims), role);
    }

    private JwtConsumer consumer() {
        JwtConsumer built = consumer;
        if (built == null) {
            synchronized (this) {
                if (consumer == null) {
                    OidcProvider provider = discovery.discover(issuer);
                    consumer = new JwtConsumerBuilder()
                            .setRequireExpirationTime()
                            .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                            .setRequireSubject()
                            .setExpectedIssuer(issuer.toString())
                            .setExpectedAudience(audience)
                            .setVerificationKeyResolver(
                                    new HttpsJwksVerificationKeyResolver(new HttpsJwks(provider.jwksUri().toString())))
                            .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                                    AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
                                    AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
                                    AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
                                    AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384)
                            .build();
                }
                built = consumer;
            }
        }
        return built;
    }

    private Optional<Role> highestRole(JwtClaims claims) {
        Object value = claims.getClaimsMap();
        for (String part : rolesClaim.split("\\.")) {
            value = value instanceof Map<?, ?> map ? map.get(part) : null;
        }
        Collection<?> values = value instanceof Collection<?> many ? many : value == null ? List.of() : List.of(value);
        return values.stream().map(String::valueOf).flatMap(OidcAccessTokens::role)
                .max(Comparator.naturalOrder());
    }

    private static Stream<Role> role(String name) {
        try {
            return Stream.of(Role.parse(name));
        } catch (IllegalArgumentException notACprRole) {
            return Stream.empty();
        }
    }

    private static String name(JwtClaims claims) {
        try {
            String username = claims.getStringClaimValue("preferred_username");
            return username != null && !username.isBlank() ? username : claims.getSubject();
        } catch (MalformedClaimException e) {
            return "an unnamed subject";
        }
    }

    /**
     * jose4j's first error detail says what failed (expired, issuer, audience, signature); for a signature or key
     * failure it goes on to print the whole token, which has no place in a log or a reply, so that part is cut.
     */
    private static String reason(InvalidJwtException e) {
        String detail = e.getErrorDetails().isEmpty() ? e.getMessage() : e.getErrorDetails().get(0).getErrorMessage();
        int token = detail.indexOf("JsonWebSignature{");
        return token < 0 ? detail : detail.substring(0, token).replaceAll("[\\s:]+$", "");
    }
}
